// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Where "now" comes from. Production reads the system clock; tests and the demo pin it.
public struct AppClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    public static let system = AppClock { Date() }

    /// A clock stopped at one instant.
    public static func fixed(_ date: Date) -> AppClock { AppClock { date } }
}

/// A clock a test or the demo seeder moves by hand.
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public var now: Date { lock.withLock { current } }
    public func set(_ d: Date) { lock.withLock { current = d } }
    public func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
    public var clock: AppClock { AppClock { [self] in self.now } }
}
