// SPDX-License-Identifier: Apache-2.0
import Foundation

@testable import Domain

/// Shared test fixtures for the pure Domain: a small province (a service centre, a branch,
/// two departments, three communes), four procedures, actors and calendars.
/// Everything lives in this namespace so it cannot clash with file-private helpers elsewhere.
enum Fx {
    // MARK: - Dates and instants

    /// A date that must exist.
    static func day(_ y: Int, _ m: Int, _ d: Int) -> LocalDate {
        guard let date = LocalDate(year: y, month: m, day: d) else { fatalError("no such date \(y)-\(m)-\(d)") }
        return date
    }

    /// An instant in Vietnam time (UTC+7).
    static func at(_ y: Int, _ m: Int, _ d: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        VietnamTime.instant(day(y, m, d), minuteOfDay: hour * 60 + minute)
    }

    // MARK: - Calendars

    /// The holiday overrides shipped with the app, read from the source tree next to the tests.
    static var overridesURL: URL {
        URL(fileURLWithPath: #filePath)
            .resolvingSymlinksInPath()
            .deletingLastPathComponent()
            .appendingPathComponent("../../Sources/Services/Resources/holidays/overrides.json")
    }

    /// The real holiday calendar: statutory rules plus the shipped yearly overrides.
    static func realHolidays() throws -> HolidayCalendar {
        HolidayCalendar(overrides: try HolidayCalendar.decodeOverrides(from: Data(contentsOf: overridesURL)))
    }

    /// The real working calendar with standard office hours (07:30–11:30, 13:00–17:00).
    static func realCalendar() throws -> WorkingCalendar {
        WorkingCalendar(holidays: try realHolidays(), hours: .standard)
    }

    /// Statutory rules only (no yearly overrides): enough for lifecycle tests in March 2026.
    static let statutoryCalendar = WorkingCalendar(holidays: HolidayCalendar(), hours: .standard)

    // MARK: - Units

    static let centre = AdministrativeUnit(code: "000.00.01.H56", name: "Trung tâm Phục vụ hành chính công tỉnh", kind: .centre)
    static let branch = AdministrativeUnit(
        code: "000.00.02.H56", name: "Chi nhánh Trung tâm Phục vụ hành chính công số 1", kind: .branch, parentCode: centre.code)
    static let justice = AdministrativeUnit(code: "000.00.10.H56", name: "Sở Tư pháp", kind: .department, sector: "justice")
    static let construction = AdministrativeUnit(code: "000.00.11.H56", name: "Sở Xây dựng", kind: .department, sector: "construction")
    static let communeA = AdministrativeUnit(code: "000.01.01.H56", adminCode: "14755", name: "Phường Hạc Thành", kind: .commune)
    static let communeB = AdministrativeUnit(code: "000.01.02.H56", adminCode: "14758", name: "Phường Quảng Phú", kind: .commune)
    static let communeC = AdministrativeUnit(code: "000.01.03.H56", adminCode: "14761", name: "Xã Đông Tiến", kind: .commune)

    static let allUnits = [centre, branch, justice, construction, communeA, communeB, communeC]
    static var units: [String: AdministrativeUnit] { Dictionary(uniqueKeysWithValues: allUnits.map { ($0.code, $0) }) }

    // MARK: - Procedures

    static func version(
        _ n: Int, from: LocalDate, time: ProcessingTime, online: ProcessingTime? = nil, cutoff: String? = nil,
        level: OnlineLevel = .full, fee: Int = 0
    ) -> ProcedureVersion {
        ProcedureVersion(
            version: n, effectiveFrom: from, processingTime: time, onlineProcessingTime: online, cutoffTime: cutoff, onlineLevel: level,
            fees: fee > 0 ? [Fee(code: "LP", name: "Lệ phí", amount: fee)] : [],
            components: [
                RequiredComponent(
                    code: "TK", name: "Tờ khai", documentType: "form", form: .original, count: 1, required: true, reusable: false)
            ])
    }

    /// Commune-level, territorial: filed at the applicant's own commune.
    static let birthRegistration = Procedure(
        code: "1.001193", name: "Đăng ký khai sinh", field: ProcedureField(code: "HT", name: "Hộ tịch"), level: .commune,
        authority: "commune", subjects: [.citizen], nonTerritorial: false,
        versions: [version(1, from: day(2020, 1, 1), time: ProcessingTime(amount: 3, unit: .workingDays))])

    /// Province-level, non-territorial, competent: the justice department. 10 WD at the window, 8 WD online, 200 000 VND.
    static let criminalRecord = Procedure(
        code: "2.000488", name: "Cấp Phiếu lý lịch tư pháp", field: ProcedureField(code: "LLTP", name: "Lý lịch tư pháp"),
        level: .province, authority: "department:justice", subjects: [.citizen], nonTerritorial: true,
        versions: [
            version(
                1, from: day(2020, 1, 1), time: ProcessingTime(amount: 10, unit: .workingDays),
                online: ProcessingTime(amount: 8, unit: .workingDays), cutoff: "15:00", fee: 200_000)
        ])

    /// Province-level, territorial, not offered online, competent: the construction department.
    static let buildingPermit = Procedure(
        code: "1.009994", name: "Cấp giấy phép xây dựng", field: ProcedureField(code: "XD", name: "Xây dựng"), level: .province,
        authority: "department:construction", subjects: [.citizen, .enterprise], nonTerritorial: false,
        versions: [version(1, from: day(2021, 1, 1), time: ProcessingTime(amount: 20, unit: .workingDays), level: .none)])

    /// Two published versions: 15 WD from 2023-01-01, 10 WD from 2025-07-01.
    static let versioned = Procedure(
        code: "1.004000", name: "Chứng thực bản sao từ bản chính", field: ProcedureField(code: "CT", name: "Chứng thực"),
        level: .province, authority: "department:justice", subjects: [.citizen], nonTerritorial: true,
        versions: [
            version(2, from: day(2025, 7, 1), time: ProcessingTime(amount: 10, unit: .workingDays)),
            version(1, from: day(2023, 1, 1), time: ProcessingTime(amount: 15, unit: .workingDays)),
        ])

    // MARK: - People

    /// A valid CCCD: Hà Nội, male, born 1990.
    static let ownerID = "001090012345"
    /// Another valid CCCD: TP HCM, male, born 2003.
    static let otherID = "079203001234"

    static func applicant(_ id: String = ownerID, name: String = "Nguyễn Văn An") -> Applicant {
        Applicant(idNumber: id, fullName: name, phone: "0912345678", address: "Thanh Hóa")
    }

    static func officer(_ unit: AdministrativeUnit, _ username: String = "motcua") -> Actor {
        Actor(username: username, roles: [.officer], unit: unit.code)
    }
    static func specialist(_ unit: AdministrativeUnit) -> Actor { Actor(username: "chuyenvien", roles: [.specialist], unit: unit.code) }
    static func leader(_ unit: AdministrativeUnit) -> Actor { Actor(username: "lanhdao", roles: [.leader], unit: unit.code) }
    static func admin(_ unit: AdministrativeUnit) -> Actor { Actor(username: "quantri", roles: [.admin], unit: unit.code) }
    static func citizen(_ id: String = ownerID, username: String = "citizen.owner") -> Actor {
        Actor(username: username, roles: [.citizen], unit: nil, idNumber: id)
    }

    // MARK: - Dossiers

    /// A dossier in a given state. Reception Mon 2/3/2026 08:00, due Mon 16/3/2026 10:00 (a fixed
    /// value, not computed), a clock stopped on Tue 3/3/2026 10:00 when status is 5 or 6.
    static func dossier(
        status: DossierStatus, stage: HandlingStage = .none, receiving: AdministrativeUnit = centre,
        competent: AdministrativeUnit = justice, handling: AdministrativeUnit? = nil, statusBeforePause: DossierStatus? = nil,
        channel: Channel = .online, time: ProcessingTime = ProcessingTime(amount: 10, unit: .workingDays), fee: Int = 50_000
    ) -> Dossier {
        let received = status != .registered && !(status == .refused) && !(statusBeforePause == .registered)
        let submitted = at(2026, 3, 2, 8)
        let paused = (status == .supplementRequested || status == .paymentRequested) && received
        return Dossier(
            id: "0195f000-0000-7000-8000-000000000001", code: "\(receiving.code)-260302-0001", procedureCode: criminalRecord.code,
            procedureVersion: 1, processingTime: time, cutoffMinute: nil, nonTerritorial: true, channel: channel, status: status,
            stage: stage, receivingUnit: receiving.code, competentUnit: competent.code, handlingUnit: (handling ?? receiving).code,
            applicant: applicant(), ownerUsername: channel == .online ? "citizen.owner" : nil, subject: criminalRecord.name,
            submittedAt: submitted, receivedAt: received ? submitted : nil, dueAt: received ? at(2026, 3, 16, 10) : nil,
            finishedAt: status.endsHandling ? at(2026, 3, 4, 9) : nil, returnedAt: status == .returned ? at(2026, 3, 4, 9) : nil,
            pausedAt: paused ? at(2026, 3, 3, 10) : nil,
            pauseKind: paused ? (status == .supplementRequested ? .supplement : .payment) : nil,
            statusBeforePause: statusBeforePause, supplementCount: status == .supplementRequested && received ? 1 : 0, fee: fee,
            version: 3, createdAt: submitted, updatedAt: submitted)
    }
}

/// A small deterministic random generator (SplitMix64) so "random" tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
