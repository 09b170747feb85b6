// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import PDF
import Storage

/// Mẫu 02–07 from their templates (`Resources/templates/forms`), filled from the dossier and its
/// events, and signed: 02–05 by the official who took the decision, 06–07 with the unit's seal.
extension FormService {
    /// The official forms by their API names.
    public static let formIds = (1...7).map { "mau-0\($0)" }

    /// A form of a dossier as a PDF; `mau-07` is the tracking book of the dossier's receiving unit
    /// for the month it was received.
    public func form(_ id: String, code: String, by actor: Actor) async throws -> Data {
        switch id {
        case "mau-01": return try await receipt(code: code, by: actor)
        case "mau-07":
            let detail = try await app.dossiers.get(code: code, by: actor, purpose: "print-tracking-book")
            let d = detail.dossier
            guard let received = d.receivedAt else { throw notYet(detail, "the tracking book lists received dossiers; \(code) has not been received") }
            let day = VietnamTime.date(of: received)
            let from = LocalDate(year: day.year, month: day.month, day: 1)!
            let to = day.month == 12 ? LocalDate(year: day.year + 1, month: 1, day: 1)! : LocalDate(year: day.year, month: day.month + 1, day: 1)!
            return try await trackingBook(unit: d.receivingUnit, from: from, to: to, by: actor)
        case "mau-02", "mau-03", "mau-04", "mau-05", "mau-06": break
        default: throw ServiceError.notFound(what: "form", key: "\(id); forms are \(Self.formIds.joined(separator: ", "))")
        }
        let detail = try await app.dossiers.get(code: code, by: actor, purpose: "print-\(id)")
        let d = detail.dossier
        let events = detail.events ?? []
        let procedure = try await app.catalog.procedure(code: d.procedureCode)
        let units = try await app.catalog.unitsByCode()
        let now = app.clock.now()
        func last(_ action: DossierAction) -> StoredEvent? { events.last { $0.action == action.rawValue } }
        var values: [String: String]
        var tables: [String: [[String: String]]] = [:]
        var signer: String?
        var date = now
        switch id {
        case "mau-02":
            guard let e = last(.requestSupplement) else { throw notYet(detail, "Mẫu 02 is issued when a supplement is requested; none was for \(code)") }
            date = e.at
            values = FormValues.common(d, procedure: procedure, unit: units[e.actorUnit ?? d.receivingUnit], units: units, publicURL: app.config.publicURL, date: e.at)
            values["reason"] = e.data["reason"] ?? ""
            values["officer.fullName"] = try await fullName(of: e.actor)
            tables["missing"] = try await missingComponents(d, procedure: procedure)
            signer = e.actor
        case "mau-03":
            guard let e = last(.refuse) else { throw notYet(detail, "Mẫu 03 is issued when a dossier is refused; \(code) was not") }
            date = e.at
            values = FormValues.common(d, procedure: procedure, unit: units[e.actorUnit ?? d.receivingUnit], units: units, publicURL: app.config.publicURL, date: e.at)
            values["reason"] = e.data["reason"] ?? ""
            values["officer.fullName"] = try await fullName(of: e.actor)
            signer = e.actor
        case "mau-04":
            guard let e = last(.extend) else { throw notYet(detail, "Mẫu 04 is issued when the appointment is moved; \(code) has no extension") }
            date = e.at
            values = FormValues.common(d, procedure: procedure, unit: units[e.actorUnit ?? d.handlingUnit], units: units, publicURL: app.config.publicURL, date: e.at)
            values["reason"] = e.data["reason"] ?? ""
            values["oldDue"] = e.data["oldDueAt"].flatMap(SharedFormat.parseWithOffset).map(FormValues.appointment) ?? ""
            values["newDue"] = e.data["newDueAt"].flatMap(SharedFormat.parseWithOffset).map(FormValues.appointment) ?? ""
            values["signer.fullName"] = try await fullName(of: e.actor)
            values["signer.title"] = Self.signerTitle
            signer = e.actor
        case "mau-05":
            guard let e = last(.stop) else { throw notYet(detail, "Mẫu 05 is issued when handling stops; \(code) was not stopped") }
            date = e.at
            values = FormValues.common(d, procedure: procedure, unit: units[e.actorUnit ?? d.handlingUnit], units: units, publicURL: app.config.publicURL, date: e.at)
            values["reason"] = e.data["reason"] ?? ""
            values["stage"] = e.fromStatus?.vietnameseName ?? ""
            values["feeHandling"] = d.paidAt == nil
                ? (d.fee == 0 ? "không thu" : "chưa nộp, không phải nộp")
                : "đã nộp \(Self.vnd(d.fee)); phí, lệ phí đã nộp được xử lý theo quy định của pháp luật về phí và lệ phí"
            values["signer.fullName"] = try await fullName(of: e.actor)
            values["signer.title"] = Self.signerTitle
            signer = e.actor
        default:  // mau-06
            guard d.receivedAt != nil else { throw notYet(detail, "the process control sheet starts at reception; \(code) has not been received") }
            values = FormValues.common(d, procedure: procedure, unit: units[d.receivingUnit], units: units, publicURL: app.config.publicURL, date: now)
            tables["hops"] = try await handOvers(d, events: events, units: units)
            signer = SignatureService.agencySigner(d.receivingUnit)
        }
        let template = try app.templates.form(id)
        let pdf = try TemplateRenderer.render(template, values: values, tables: tables, fonts: try Self.fonts.get(), creationDate: date)
        let unitName = values["unit.name"] ?? ""
        guard let signer, let signed = try await app.signatures.sign(pdf, as: signer, reason: "\(template.id) hồ sơ \(d.code)", location: unitName) else {
            return pdf
        }
        return signed
    }

    /// Mẫu 07: the tracking book of a unit for days [from, to), signed with the unit's seal.
    public func trackingBook(unit: String, from: LocalDate, to: LocalDate, by actor: Actor) async throws -> Data {
        guard actor.has(.admin) || (actor.isOfficial && actor.unit == unit) else {
            throw ServiceError.forbidden("the tracking book of \(unit) is for its officials and administrators")
        }
        guard from < to else { throw ServiceError.invalid(field: "to", message: "the period must end after it starts") }
        let units = try await app.catalog.unitsByCode()
        guard let u = units[unit] else { throw ServiceError.notFound(what: "unit", key: unit) }
        let limit = 20_000
        let rows = try await DossierStore.received(unit: unit, from: VietnamTime.instant(from, minuteOfDay: 0), to: VietnamTime.instant(to, minuteOfDay: 0), limit: limit + 1, on: app.database)
        guard rows.count <= limit else {
            throw ServiceError.invalid(field: "from", message: "more than \(limit) dossiers in the period; print a shorter period")
        }
        var table: [[String: String]] = []
        var finished = 0, onTime = 0, returned = 0, open = 0
        for r in rows {
            let p = try await app.catalog.procedure(code: try r.require("procedure_code"))
            let d = try DossierService.map(r, procedure: p)
            if d.finishedAt != nil, d.status == .processed || d.status == .returned {
                finished += 1
                if d.finishedOnTime == true { onTime += 1 }
            }
            if d.status == .returned { returned += 1 }
            if [.received, .processing, .supplementRequested, .paymentRequested].contains(d.status) { open += 1 }
            table.append([
                "code": d.code, "procedure": p.name, "applicant": d.applicant.fullName, "phone": d.applicant.phone ?? "",
                "receivedAt": d.receivedAt.map(FormValues.dateTime) ?? "", "dueAt": d.dueAt.map(FormValues.dateTime) ?? "",
                "handlingUnit": units[d.handlingUnit]?.name ?? d.handlingUnit, "finishedAt": d.finishedAt.map(FormValues.dateTime) ?? "",
                "returnedAt": d.returnedAt.map(FormValues.dateTime) ?? "", "status": d.status.vietnameseName,
            ])
        }
        let now = app.clock.now()
        let lastDay = VietnamTime.date(of: VietnamTime.instant(to, minuteOfDay: 0).addingTimeInterval(-1))
        let values: [String: String] = [
            "unit.name": u.name, "unit.parentName": u.parentCode.flatMap { units[$0]?.name } ?? "",
            "period.from": "\(Digits.pad(from.day, 2))/\(Digits.pad(from.month, 2))/\(from.year)",
            "period.to": "\(Digits.pad(lastDay.day, 2))/\(Digits.pad(lastDay.month, 2))/\(lastDay.year)",
            "summary.total": String(rows.count), "summary.finished": String(finished), "summary.onTime": String(onTime),
            "summary.late": String(finished - onTime), "summary.returned": String(returned),
            "summary.open": String(open),
        ]
        let pdf = try TemplateRenderer.render(try app.templates.form("mau-07"), values: values, tables: ["dossiers": table], fonts: try Self.fonts.get(), creationDate: now)
        return try await app.signatures.sign(pdf, as: SignatureService.agencySigner(unit), reason: "Sổ theo dõi hồ sơ", location: u.name) ?? pdf
    }

    /// The title above a leader's signature on letters and results. [R] The real title depends
    /// on the signer's post (Chủ tịch, Giám đốc, …), which accounts do not hold yet.
    static let signerTitle = "THỦ TRƯỞNG CƠ QUAN"

    func notYet(_ detail: DossierDetail, _ message: String) -> ServiceError {
        .conflict(message: message, status: detail.dossier.status, allowedActions: detail.allowedActions, currentVersion: detail.dossier.version)
    }

    /// Mẫu 02's table: required components with no file yet or whose latest file failed the
    /// digitization standard.
    func missingComponents(_ d: Dossier, procedure: Procedure) async throws -> [[String: String]] {
        let items = try await ComponentStore.components(dossierId: d.id, on: app.database)
        var latest: [String: StoredComponent] = [:]
        for c in items where (latest[c.componentCode]?.version ?? 0) < c.version { latest[c.componentCode] = c }
        return (procedure.version(number: d.procedureVersion)?.components ?? []).filter(\.required).compactMap { c in
            let note: String
            switch latest[c.code]?.qcStatus {
            case nil: note = "Chưa nộp"
            case "failed"?: note = "Bản số hóa chưa đạt, nộp lại"
            default: return nil
            }
            return ["name": c.name, "form": c.form.vietnameseName, "count": Digits.pad(c.count, 2), "note": note]
        }
    }

    /// Mẫu 06's rows: each hand-over in the event log, judged against the due date in force then.
    func handOvers(_ d: Dossier, events: [StoredEvent], units: [String: AdministrativeUnit]) async throws -> [[String: String]] {
        var names: [String: String] = [:]
        func person(_ username: String?) async throws -> String {
            guard let username else { return "" }
            if let n = names[username] { return n }
            let n = try await fullName(of: username)
            names[username] = n
            return n
        }
        func unitName(_ code: String?) -> String { code.flatMap { units[$0]?.name ?? $0 } ?? "" }
        var rows: [[String: String]] = []
        var due: Date?
        var assignee: String?
        for e in events {
            if let v = e.data["dueAt"] ?? e.data["newDueAt"], let t = SharedFormat.parseWithOffset(v) { due = t }
            let who = try await person(e.actor)
            let row: (String, String, String)?  // giver, receiver, step
            switch DossierAction(rawValue: e.action) {
            case .receive?: row = (d.applicant.fullName, "\(who) – \(unitName(e.actorUnit))", "Tiếp nhận hồ sơ")
            case .assign? where e.fromStatus == .received:
                row = ("Bộ phận một cửa – \(unitName(d.receivingUnit))", unitName(e.data["toUnit"]), "Chuyển hồ sơ đến cơ quan giải quyết")
            case .assign?:
                assignee = e.data["assignee"]
                row = (who, try await person(assignee), "Phân công thẩm định, xử lý")
            case .transfer?: row = (unitName(e.data["fromUnit"]), unitName(e.data["toUnit"]), "Chuyển liên thông")
            case .approve?: row = (try await person(assignee), who, "Trình, phê duyệt kết quả")
            case .finish?: row = (unitName(e.actorUnit), "Bộ phận một cửa – \(unitName(d.receivingUnit))", "Chuyển kết quả")
            case .returnResult?: row = (who, d.applicant.fullName, "Trả kết quả")
            case .requestSupplement?: row = (who, d.applicant.fullName, "Yêu cầu bổ sung hồ sơ")
            case .supplement?: row = (d.applicant.fullName, who, "Nộp bổ sung hồ sơ")
            case .extend?: row = (who, d.applicant.fullName, "Xin lỗi, hẹn lại ngày trả (Mẫu 04)")
            case .stop?: row = (who, d.applicant.fullName, "Dừng giải quyết (Mẫu 05)")
            default: row = nil
            }
            guard let (giver, receiver, step) = row else { continue }
            rows.append([
                "giver": giver, "receiver": receiver, "at": FormValues.dateTime(e.at), "step": step,
                "result": e.action == DossierAction.receive.rawValue ? "" : FormValues.timeliness(at: e.at, due: due),
                "note": e.data["reason"] ?? e.note ?? "",
            ])
        }
        return rows
    }
}
