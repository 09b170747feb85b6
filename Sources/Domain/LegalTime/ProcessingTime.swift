// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How a legal time limit is counted.
public enum DurationUnit: String, Codable, Sendable, CaseIterable {
    case workingDays = "working-days"
    case workingHours = "working-hours"
    case calendarDays = "calendar-days"
}

/// A legal time limit: an amount and its unit.
public struct ProcessingTime: Codable, Sendable, Hashable {
    public let amount: Int
    public let unit: DurationUnit

    public init(amount: Int, unit: DurationUnit) {
        self.amount = amount
        self.unit = unit
    }
}

/// Office hours as sessions of the day (minutes since midnight, UTC+7).
/// Default 07:30–11:30 and 13:00–17:00: 8 working hours, one working day.
public struct OfficeHours: Sendable, Hashable, Codable {
    public struct Session: Sendable, Hashable, Codable {
        public let start: Int
        public let end: Int
        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }
    }

    public let sessions: [Session]

    public init(sessions: [Session]) {
        self.sessions = sessions.sorted { $0.start < $1.start }
    }

    public static let standard = OfficeHours(sessions: [.init(start: 450, end: 690), .init(start: 780, end: 1020)])

    /// Parses "07:30-11:30,13:00-17:00".
    public init?(text: String) {
        var s: [Session] = []
        for part in text.split(separator: ",") {
            let ends = part.split(separator: "-")
            guard ends.count == 2, let a = ClockTime.minute(of: String(ends[0]).trimmingCharacters(in: .whitespaces)),
                let b = ClockTime.minute(of: String(ends[1]).trimmingCharacters(in: .whitespaces)), a < b
            else { return nil }
            s.append(.init(start: a, end: b))
        }
        guard !s.isEmpty else { return nil }
        let sorted = s.sorted { $0.start < $1.start }
        for i in 1..<max(1, sorted.count) where sorted[i].start < sorted[i - 1].end { return nil }
        self.init(sessions: sorted)
    }

    public var opening: Int { sessions[0].start }
    public var closing: Int { sessions[sessions.count - 1].end }

    /// Minutes of work in a full working day.
    public var minutesPerDay: Int { sessions.reduce(0) { $0 + $1.end - $1.start } }
}

