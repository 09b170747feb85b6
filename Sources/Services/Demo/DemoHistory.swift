// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// Drives one demo dossier at a time through the real services, moving a manual clock from
/// submission to the step it has reached by "now". Rates are tuned to the seeds' figures:
/// online share ~88%, on time ~96%, a few supplements, refusals, withdrawals and stops.
struct DemoHistory {
    let base: MotCua
    let procedures: [Procedure]
    let now: Date
    var rng: SplitMix64
    let clock: ManualClock
    let app: MotCua
    let units: [AdministrativeUnit]

    init(app base: MotCua, procedures: [Procedure], now: Date, seed: UInt64) {
        self.base = base
        self.procedures = procedures
        self.now = now
        self.rng = SplitMix64(seed: seed)
        self.clock = ManualClock(now)
        self.app = MotCua(config: base.config, database: base.database, calendar: base.calendar, blobs: base.blobs, clock: clock.clock)
        self.units = DemoProvince.units
    }

    static let familyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
    static let middleNames = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Đức", "Gia", "Xuân", "Kim"]
    static let givenNames = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Việt", "Yến"]
    static let streets = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt", "Quang Trung", "Phan Chu Trinh", "Bà Triệu"]

    mutating func pick<T>(_ a: [T]) -> T { a[Int.random(in: 0..<a.count, using: &rng)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

    mutating func applicant() -> Applicant {
        let provinces = ["001", "038", "040", "079", "031", "048", "092"]
        let female = chance(0.5)
        let year = Int.random(in: 1950...2006, using: &rng)
        let g = (year >= 2000 ? 2 : 0) + (female ? 1 : 0)
        let id = pick(provinces) + String(g) + String(format: "%02d", year % 100) + String(format: "%06d", Int.random(in: 0...999_999, using: &rng))
        let name = "\(pick(Self.familyNames)) \(female ? "Thị" : pick(Self.middleNames)) \(pick(Self.givenNames))"
        let phone = "09" + String(format: "%08d", Int.random(in: 0...99_999_999, using: &rng))
        return Applicant(idNumber: id, fullName: name, phone: phone, address: "\(Int.random(in: 1...300, using: &rng)) \(pick(Self.streets)), tỉnh Sơn Hà")
    }

    func officer(_ unit: String) -> Actor {
        unit == DemoProvince.centreCode
            ? Actor(username: "officer", roles: [.officer], unit: unit)
            : Actor(username: "motcua.\(DemoProvince.slug(unit))", roles: [.officer], unit: unit)
    }
    func specialist(_ unit: String) -> Actor { Actor(username: "chuyenvien.\(DemoProvince.slug(unit))", roles: [.specialist], unit: unit) }
    func leader(_ unit: String) -> Actor { Actor(username: "lanhdao.\(DemoProvince.slug(unit))", roles: [.leader], unit: unit) }

    /// A working instant some working minutes after `t` (so staff act in office hours).
    func later(_ t: Date, workingMinutes m: Int) -> Date {
        var steps: [DeadlineStep] = []
        let start = app.calendar.countingStart(from: t, steps: &steps)
        let end = app.calendar.addWorking(minutes: max(1, m), from: start, steps: &steps)
        return VietnamTime.instant(end.0, minuteOfDay: end.1)
    }

    /// Creates one dossier and takes it as far as its story goes before "now"; returns the number of
    /// actions, or nil when the story would start after "now" and nothing was created.
    mutating func run() async throws -> Int? {
        let p = pick(procedures)
        guard let version = p.versions.max(by: { $0.effectiveFrom < $1.effectiveFrom }) else { return nil }
        // Submission somewhere in the last 150 days, in office hours for the window.
        let daysBack = Int.random(in: 0...150, using: &rng)
        let day = VietnamTime.date(of: now).adding(days: -daysBack)
        var online = version.onlineLevel != .none && chance(0.88)
        let minute = online ? Int.random(in: 360...1380, using: &rng) : Int.random(in: 450...1000, using: &rng)
        var t = VietnamTime.instant(day, minuteOfDay: minute)
        if !online && !app.calendar.isWithinOfficeHours(t) { t = later(t, workingMinutes: 5) }
        if p.versions.allSatisfy({ $0.effectiveFrom > VietnamTime.date(of: t) }) { t = VietnamTime.instant(p.versions[0].effectiveFrom, minuteOfDay: 540) }
        guard t < now else { return nil }
        let communes = units.filter { $0.kind == .commune }.map(\.code)
        let receiving: String
        if p.authority == "commune" {
            receiving = pick(communes)
        } else {
            receiving = pick([DemoProvince.centreCode, DemoProvince.centreCode, "000.01.01.H99", "000.01.02.H99"])
        }
        var a = applicant()
        if chance(0.02) { a = Applicant(idNumber: DemoProvince.citizenIdNumber, fullName: "Phạm Thị Hoa", phone: "0912345678", address: "12 Lê Lợi, phường Sơn Hà") }
        let citizen = Actor(username: a.idNumber == DemoProvince.citizenIdNumber ? "citizen" : "cd.\(a.idNumber)", roles: [.citizen], unit: nil, idNumber: a.idNumber)
        let req = IntakeRequest(procedureCode: p.code, channel: online ? .online : (chance(0.15) ? .post : .window), receivingUnit: receiving, applicant: a)
        clock.set(t)
        var d: DossierDetail
        do {
            d = try await app.dossiers.create(req, by: online ? citizen : officer(receiving))
        } catch ServiceError.invalid(let field, _) where field == "channel" {
            online = false
            d = try await app.dossiers.create(IntakeRequest(procedureCode: p.code, channel: .window, receivingUnit: receiving, applicant: a), by: officer(receiving))
        }
        var actions = 1
        let code = d.dossier.code
        let handling = d.dossier.competentUnit
        var version_ = d.dossier.version

        // Returns false when the step would happen after "now": the story stops there.
        func step(_ at: Date, _ action: DossierAction, _ actor: Actor, _ input: ActionInput = .init()) async throws -> Bool {
            guard at < now else { return false }
            clock.set(at)
            let r = try await app.dossiers.act(code: code, action: action, input: input, expectedVersion: version_, by: actor)
            version_ = r.dossier.version
            d = r
            actions += 1
            return true
        }

        if online {
            t = later(t, workingMinutes: Int.random(in: 10...240, using: &rng))
            if chance(0.02) {
                _ = try await step(t, .refuse, officer(receiving), ActionInput(reason: "Thủ tục không thuộc thẩm quyền tiếp nhận của cơ quan"))
                return actions
            }
            guard try await step(t, .receive, officer(receiving)) else { return actions }
        }
        let due = d.dossier.dueAt ?? t
        let allowed = max(60, app.calendar.workingMinutes(from: t, to: due))
        t = later(t, workingMinutes: Int.random(in: 5...60, using: &rng))
        guard try await step(t, .assign, officer(receiving)) else { return actions }
        t = later(t, workingMinutes: Int.random(in: 10...120, using: &rng))
        guard try await step(t, .assign, leader(handling), ActionInput(assignee: specialist(handling).username)) else { return actions }
        if chance(0.01) {
            t = later(t, workingMinutes: 120)
            _ = try await step(t, .withdraw, citizen, ActionInput(reason: "Người dân xin rút hồ sơ"))
            return actions
        }
        if chance(0.07) {
            t = later(t, workingMinutes: Int.random(in: 30...240, using: &rng))
            guard try await step(t, .requestSupplement, specialist(handling), ActionInput(reason: "Bổ sung bản sao giấy tờ chứng minh nơi cư trú")) else { return actions }
            if chance(0.05) { return actions }  // still waiting for the applicant
            t = later(t, workingMinutes: Int.random(in: 480...2400, using: &rng))
            guard try await step(t, .supplement, online ? citizen : officer(receiving)) else { return actions }
        }
        if chance(0.01) {
            t = later(t, workingMinutes: 240)
            _ = try await step(t, .stop, leader(handling), ActionInput(reason: "Người yêu cầu không đủ điều kiện theo quy định"))
            return actions
        }
        if d.dossier.fee > 0 && chance(0.3) {
            t = later(t, workingMinutes: Int.random(in: 30...240, using: &rng))
            guard try await step(t, .requestPayment, specialist(handling)) else { return actions }
            t = later(t, workingMinutes: Int.random(in: 30...960, using: &rng))
            guard try await step(t, .recordPayment, online ? citizen : officer(receiving)) else { return actions }
        }
        // Most finish well inside the limit; a few run late, some of them with an apology and extension.
        let late = chance(0.025)
        let spent = late ? allowed + Int.random(in: 60...960, using: &rng) : Int(Double(allowed) * Double.random(in: 0.2...0.7, using: &rng))
        if late && chance(0.3), let currentDue = d.dossier.dueAt {
            let apology = later(currentDue, workingMinutes: -0 + 1)
            let before = max(t, apology.addingTimeInterval(-86400))
            let newDue = later(currentDue, workingMinutes: 960)
            if before < currentDue {
                guard try await step(before, .extend, leader(handling), ActionInput(reason: "Hồ sơ cần xác minh thêm với cơ quan liên quan", newDueAt: newDue)) else { return actions }
            }
        }
        let ready = later(t, workingMinutes: max(30, spent - 60))
        if ready < now {
            // The specialist drafts what the result template asks for before the leader approves.
            clock.set(ready)
            if let draft = try? await app.results.draft(code: code, by: specialist(handling)), !draft.missing.isEmpty {
                _ = try await app.results.putDraft(code: code, fields: Dictionary(uniqueKeysWithValues: draft.missing.map { ($0, Self.demoValue($0)) }), by: specialist(handling))
            }
        }
        guard try await step(ready, .approve, leader(handling)) else { return actions }
        t = later(ready, workingMinutes: 30)
        guard try await step(t, .finish, specialist(handling)) else { return actions }
        t = later(t, workingMinutes: Int.random(in: 30...960, using: &rng))
        guard try await step(t, .returnResult, officer(receiving)) else { return actions }
        // Some applicants rate the handling (5.4); a few send a petition about it (5.1–5.3).
        if chance(0.3), let phone = a.phone {
            t = later(t, workingMinutes: Int.random(in: 30...2400, using: &rng))
            if t < now {
                clock.set(t)
                let ok = !late && chance(0.95)
                _ = try await app.ratings.rate(code: code, DossierRating(timeOK: ok || chance(0.5), attitudeOK: ok, resultOK: true, comment: nil), proof: .phone(phone))
            }
        }
        if chance(late ? 0.3 : 0.02), let phone = a.phone {
            try await petition(about: code, phone: phone, name: a.fullName, unit: handling, from: t)
        }
        return actions
    }

    /// A petition about a dossier, answered by the unit (mostly within the 15 working days)
    /// and published, as far as "now" allows.
    mutating func petition(about code: String, phone: String, name: String, unit: String, from start: Date) async throws {
        var t = later(start, workingMinutes: Int.random(in: 60...4800, using: &rng))
        guard t < now else { return }
        clock.set(t)
        let p = try await app.petitions.file(
            PetitionService.Request(
                petitionClass: chance(0.8) ? .procedure : .conduct, dossierCode: code, petitioner: Petitioner(fullName: name, phone: phone),
                content: pick(Self.petitionTexts)), proof: .phone(phone))
        t = later(t, workingMinutes: Int.random(in: 240...(chance(0.1) ? 9600 : 6000), using: &rng))
        guard t < now else { return }
        clock.set(t)
        _ = try await app.petitions.act(
            code: p.code, action: .answer, text: "Đơn vị đã rà soát hồ sơ, giải thích và khắc phục; xin cảm ơn ông/bà đã phản ánh.", expectedVersion: nil,
            proof: .account(specialist(unit)))
        t = later(t, workingMinutes: Int.random(in: 60...1200, using: &rng))
        guard t < now else { return }
        clock.set(t)
        _ = try await app.petitions.act(code: p.code, action: .publish, text: nil, expectedVersion: nil, proof: .account(leader(unit)))
        t = later(t, workingMinutes: Int.random(in: 60...2400, using: &rng))
        guard t < now else { return }
        clock.set(t)
        _ = try await app.petitions.vote(code: p.code, chance(0.75) ? .like : .dislike, proof: .phone(phone))
    }

    static let petitionTexts = [
        "Hồ sơ đã quá hẹn nhưng chưa nhận được kết quả, đề nghị cơ quan giải thích.",
        "Cán bộ tiếp nhận yêu cầu nộp thêm giấy tờ không có trong thành phần hồ sơ.",
        "Đề nghị hướng dẫn rõ hơn cách nộp hồ sơ trực tuyến.",
        "Thái độ của cán bộ tại bộ phận một cửa chưa niềm nở.",
    ]

    /// Plausible values for result inputs in the demo.
    static func demoValue(_ key: String) -> String {
        switch key {
        case "result.birthDate": "15/03/1990"
        case "result.sex": "Nữ"
        case "result.ethnicity": "Kinh"
        case "result.nationality": "Việt Nam"
        case "result.maritalStatus": "Chưa đăng ký kết hôn với ai"
        case "result.purpose": "Làm thủ tục đăng ký kết hôn"
        case "result.businessCode": "99A8" + String(Int.random(in: 100_000...999_999))
        case "result.businessName": "Hộ kinh doanh Sơn Hà"
        case "result.businessAddress": "15 Nguyễn Trãi, phường Hòa Bình, tỉnh Sơn Hà"
        case "result.businessLines": "Bán lẻ lương thực, thực phẩm, đồ uống"
        case "result.capital": "200.000.000 đồng"
        default: "Đã giải quyết theo quy định"
        }
    }
}
