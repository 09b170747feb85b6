// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// The officials' pages: the one-stop counter (online dossiers waiting to be received), the
/// workbench (my dossiers by due date, overdue and due-soon marked; a leader's queue), and the
/// dossier page with exactly the actions the signed-in role may take. The citizen sees their
/// own dossier on the same page, with their own actions (supplement, withdraw).
enum WorkPages {
    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/quay") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.officer), let unit = actor.unit else { return DashboardPages.signInRedirect(req) }
            let now = app.clock.now()
            func received(_ status: DossierStatus) async throws -> [DossierDetail] {
                var q = DossierQuery()
                q.statuses = [status]
                q.receivingUnit = unit
                q.limit = 200
                return try await app.dossiers.list(q, by: actor).items
            }
            return ui.page(
                "list", title: ui.t("nav.counter"),
                [
                    "heading": "\(ui.t("nav.counter")) · \(try await app.catalog.unitsByCode()[unit]?.name ?? unit)", "intro": ui.t("counter.intro"),
                    "sections": [
                        section("waiting", ui.t("counter.waiting"), rows(try await received(.registered), ui: ui, now: now)),
                        section("results", ui.t("counter.results"), rows(try await received(.processed), ui: ui, now: now)),
                    ],
                ])
        }
        router.get("/viec-cua-toi") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.specialist) || actor.has(.leader), let unit = actor.unit else { return DashboardPages.signInRedirect(req) }
            let now = app.clock.now()
            // Filters: all, overdue only, due within two days.
            let filter = Form.query(req, "loc") ?? ""
            let wanted: Urgency? = filter == "qua-han" ? .late : filter == "sap-den-han" ? .soon : nil
            func shown(_ items: [DossierDetail]) -> [DossierDetail] { wanted.map { w in items.filter { urgency($0.dossier, now) == w } } ?? items }
            var sections: [[String: Any]] = []
            if actor.has(.specialist) {
                var mine = DossierQuery()
                mine.assignee = actor.username
                mine.statuses = [.processing, .supplementRequested, .paymentRequested]
                mine.limit = 200
                sections.append(section("mine", ui.t("work.mine"), rows(shown(try await app.dossiers.list(mine, by: actor).items), ui: ui, now: now)))
            }
            if actor.has(.leader) {
                var open = DossierQuery()
                open.handlingUnit = unit
                open.statuses = [.processing]
                open.limit = 500
                let all = shown(try await app.dossiers.list(open, by: actor).items)
                sections.append(section("assign", ui.t("work.toAssign"), rows(all.filter { $0.dossier.stage == .queued }, ui: ui, now: now)))
                sections.append(section("approve", ui.t("work.toApprove"), rows(all.filter { $0.allowedActions.contains(.approve) }, ui: ui, now: now)))
                sections.append(section("all", ui.t("work.unitOpen"), rows(all, ui: ui, now: now)))
            }
            let filters: [[String: Any]] = [("", "list.all"), ("qua-han", "list.late"), ("sap-den-han", "list.soon")].map { value, key in
                ["href": value.isEmpty ? "/viec-cua-toi" : "/viec-cua-toi?loc=\(value)", "label": ui.t(key), "current": value == filter]
            }
            return ui.page(
                "list", title: ui.t("nav.work"),
                ["heading": ui.t("nav.work"), "intro": ui.t("work.intro"), "sections": sections, "searchBox": true, "filters": filters, "hasFilters": true], wide: true)
        }
        router.get("/tim-kiem") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.isOfficial else { return DashboardPages.signInRedirect(req) }
            let q = Form.query(req, "q") ?? ""
            let found = q.isEmpty ? [] : try await app.dossiers.search(q, by: actor, limit: 100)
            let list = Self.rows(found, ui: ui, now: app.clock.now())
            return ui.page(
                "list", title: ui.t("list.search"),
                ["heading": ui.t("list.search"), "searchBox": true, "query": q, "sections": q.isEmpty ? [] : [Self.section("found", ui.t("list.found"), list)]], wide: true)
        }
        router.post("/ho-so/{code}/ket-qua/{id}/thu-hoi") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor else { return DashboardPages.signInRedirect(req) }
            let code = try ctx.path("code")
            let form = try await Form.decode(req)
            do {
                _ = try await app.results.revoke(code: code, resultId: try ctx.path("id"), reason: form["reason"] ?? "", by: actor)
            } catch let e as ServiceError {
                guard case .invalid(_, let message) = e else { throw e }
                return try await dossierPage(code, ui: ui, app: app, formError: message, status: .badRequest)
            }
            return UI.redirect("/ho-so/\(code)?tb=thu-hoi")
        }
        router.get("/ho-so/{code}") { req, ctx in
            let ui = UI(req, ctx)
            guard ui.actor != nil else { return DashboardPages.signInRedirect(req) }
            return try await dossierPage(try ctx.path("code"), ui: ui, app: app, notice: notice(Form.query(req, "tb"), ui.t))
        }
        router.post("/ho-so/{code}/thao-tac/{action}") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor else { return DashboardPages.signInRedirect(req) }
            let code = try ctx.path("code")
            let form = try await Form.decode(req)
            guard let action = DossierAction(rawValue: try ctx.path("action")) else { throw HTTPError(.notFound) }
            var input = ActionInput(reason: form["reason"].flatMap { $0.isEmpty ? nil : $0 }, assignee: form["assignee"].flatMap { $0.isEmpty ? nil : $0 })
            if let due = form["newDueAt"], !due.isEmpty {
                guard let d = localDateTime(due) else {
                    return try await dossierPage(code, ui: ui, app: app, failed: (action, "newDueAt", ui.t("dossier.error.due"), form), status: .badRequest)
                }
                input.newDueAt = d
            }
            do {
                _ = try await app.dossiers.act(code: code, action: action, input: input, expectedVersion: Int(form["version"] ?? "") ?? 0, by: actor)
            } catch let e as ServiceError {
                switch e {
                case .invalid(let field, let message):
                    return try await dossierPage(code, ui: ui, app: app, failed: (action, field, message, form), status: .badRequest)
                case .conflict:
                    return try await dossierPage(code, ui: ui, app: app, notice: ui.t("dossier.error.changed"), status: .conflict)
                default: throw e
                }
            }
            return UI.redirect("/ho-so/\(code)?tb=\(action.rawValue)")
        }
        router.post("/ho-so/{code}/tep") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor else { return DashboardPages.signInRedirect(req) }
            let code = try ctx.path("code")
            let form = try await PageUpload.read(req, app: app)
            guard let file = form.files.first, let component = form.fields["component"] else {
                form.discard()
                let why = form.refused.values.first.map { ui.t("file.refused.\($0)") } ?? ui.t("file.error.required")
                return try await dossierPage(code, ui: ui, app: app, formError: why, status: .badRequest)
            }
            do {
                _ = try await app.documents.add(ComponentUpload(file: file.staged, componentCode: component, originalName: file.name), to: code, by: actor)
            } catch let e as ServiceError {
                form.discard()
                return try await dossierPage(code, ui: ui, app: app, formError: e.message, status: .badRequest)
            }
            return UI.redirect("/ho-so/\(code)?tb=tep")
        }
        router.post("/ho-so/{code}/du-thao") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor else { return DashboardPages.signInRedirect(req) }
            let code = try ctx.path("code")
            let form = try await Form.decode(req)
            _ = try await app.results.putDraft(code: code, fields: form.filter { !$0.value.isEmpty }, by: actor)
            return UI.redirect("/ho-so/\(code)?tb=du-thao")
        }
    }

    /// The message after a successful form (`?tb=`): only those the pages send.
    static func notice(_ key: String?, _ t: Texts) -> String? {
        guard let key else { return nil }
        if ["du-thao", "nop", "nop-thieu", "tep", "thu-hoi", "tiep-nhan"].contains(key) { return t("notice.\(key)") }
        return DossierAction(rawValue: key).map { t("notice.action", ["action": t("action.\($0)")]) }
    }

    /// "2026-11-30T16:00" from a datetime-local input, in Vietnam time.
    static func localDateTime(_ s: String) -> Date? {
        let parts = s.split(separator: "T")
        guard parts.count == 2, let day = LocalDate(iso: String(parts[0])) else { return nil }
        let hm = parts[1].split(separator: ":").compactMap { Int($0) }
        guard hm.count >= 2, (0..<24).contains(hm[0]), (0..<60).contains(hm[1]) else { return nil }
        return VietnamTime.instant(day, minuteOfDay: hm[0] * 60 + hm[1])
    }

    static func section(_ id: String, _ title: String, _ rows: [[String: Any]]) -> [String: Any] {
        ["id": id, "title": title, "count": rows.count, "rows": rows, "empty": rows.isEmpty]
    }

    enum Urgency { case late, soon }

    /// Overdue, or due within two days; nil for closed, paused or comfortable dossiers.
    static func urgency(_ d: Dossier, _ now: Date) -> Urgency? {
        guard !d.status.isClosed, d.pausedAt == nil, let due = d.dueAt else { return nil }
        if due < now { return .late }
        return due.timeIntervalSince(now) < 2 * 86_400 ? .soon : nil
    }

    /// Rows of a dossier list: overdue and due within two days marked.
    static func rows(_ items: [DossierDetail], ui: UI, now: Date) -> [[String: Any]] {
        items.map { item in
            let d = item.dossier
            let u = urgency(d, now)
            var row: [String: Any] = [
                "code": d.code, "procedure": item.procedureName, "applicant": d.applicant.fullName, "status": statusName(d.status, ui.t),
                "due": d.dueAt.map(FormValues.dateTime) ?? "—", "css": u == .late ? "late" : u == .soon ? "soon" : "",
            ]
            if let u { row["flag"] = ui.t(u == .late ? "list.late" : "list.soon") }
            return row
        }
    }

    static func statusName(_ s: DossierStatus, _ t: Texts) -> String { t.pick(s.vietnameseName, t("status.\(s)")) }

    /// A failed action: which one, the field at fault, the message, and what was typed.
    typealias Failure = (action: DossierAction, field: String, message: String, form: [String: String])

    static func dossierPage(
        _ code: String, ui: UI, app: MotCua, notice: String? = nil, failed: Failure? = nil, formError: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let actor = ui.actor else { throw ServiceError.unauthorized("sign in") }
        let detail: DossierDetail
        do { detail = try await app.dossiers.get(code: code, by: actor, purpose: "page") } catch let e as ServiceError {
            let (s, key): (HTTPResponse.Status, String) = switch e {
            case .forbidden: (.forbidden, "dossier.error.forbidden")
            case .notFound: (.notFound, "dossier.error.notFound")
            default: (.badRequest, "dossier.error.notFound")
            }
            return ui.page("message", title: ui.t("dossier.heading"), ["heading": "\(ui.t("dossier.heading")) \(code)", "message": ui.t(key), "css": "alert"], status: s)
        }
        let d = detail.dossier
        let units = try await app.catalog.unitsByCode()
        let procedure = try await app.catalog.procedure(code: d.procedureCode)
        let version = procedure.version(number: d.procedureVersion)
        let components = try await app.documents.list(code: code, by: actor)
        let now = app.clock.now()
        // Specialists of the handling unit, for a leader's assignment.
        // The unit's specialists, when the leader may assign one.
        let specialists = detail.allowedActions.contains(.assign) && d.status == .processing
            ? try await app.accounts.users(unit: d.handlingUnit).filter { $0.roles.contains(.specialist) } : []
        var actions: [[String: Any]] = []
        for a in detail.allowedActions {
            var f: [String: Any] = ["action": a.rawValue, "label": ui.t("action.\(a)"), "danger": [.refuse, .stop, .withdraw].contains(a)]
            if a == .recordPayment, actor.has(.citizen) {
                // The applicant pays through the payment gateway (simulated for now): recorded as paid online.
                f["label"] = ui.t("action.payOnline", ["amount": FormService.vnd(d.fee)])
            }
            let needsReason: [DossierAction: Bool] = [.refuse: true, .requestSupplement: true, .stop: true, .extend: true, .withdraw: false, .supplement: false]
            if let required = needsReason[a] {
                f["reason"] = true
                f["reasonRequired"] = required
                f["reasonLabel"] = ui.t(a == .requestSupplement ? "dossier.whatMissing" : "dossier.reason")
            }
            if a == .assign, d.status == .processing {
                f["assignees"] = specialists.map { ["username": $0.username, "fullName": "\($0.fullName) (\($0.username))"] }
                f["hasAssignees"] = !specialists.isEmpty
            }
            if a == .extend { f["newDue"] = true }
            if let failed, failed.action == a {
                if failed.field == "newDueAt" { f["dueError"] = failed.message } else { f["reasonError"] = failed.message }
                f["reasonValue"] = failed.form["reason"] ?? ""
            }
            actions.append(f)
        }
        let latest = Dictionary(grouping: components.items.filter { $0.kind != "result" }, by: \.componentCode)
        let rows: [[String: Any]] = (version?.components ?? []).map { c in
            let files = (latest[c.code] ?? []).sorted { $0.version < $1.version }
            let last = files.last
            let quality: String = last.map { q in
                switch q.qcStatus {
                case "passed": ui.t("dossier.qc.passed")
                case "failed": ui.t("dossier.qc.failed")
                default: ui.t("dossier.qc.pending")
                }
            } ?? "—"
            return [
                "code": c.code, "name": c.name, "required": c.required, "quality": quality,
                "files": files.map { ["href": "/api/v1/dossiers/\(code)/components/\($0.id)/file", "label": "\($0.originalName ?? c.code) (v\($0.version))"] },
            ]
        }
        var data: [String: Any] = [
            "code": d.code, "version": d.version, "procedure": "\(procedure.name) (\(procedure.code))", "status": statusName(d.status, ui.t),
            "applicant": "\(d.applicant.fullName) · \(d.applicant.idNumber)", "channel": ui.t("channel.\(d.channel.rawValue)"),
            "receivedAt": d.receivedAt.map(FormValues.dateTime) ?? "—", "dueAt": d.dueAt.map(FormValues.dateTime) ?? "—",
            "late": urgency(d, now) == .late,
            "receivingUnit": units[d.receivingUnit]?.name ?? d.receivingUnit, "handlingUnit": units[d.handlingUnit]?.name ?? d.handlingUnit,
            "actions": actions, "hasActions": !actions.isEmpty, "components": rows,
            "canUpload": DocumentService.mayUpload(d, actor: actor),
            "events": (detail.events ?? []).map { e -> [String: Any] in
                var ev: [String: Any] = ["at": FormValues.dateTime(e.at), "actor": e.actor, "action": ui.t("action.\(DossierAction(rawValue: e.action).map { "\($0)" } ?? e.action)")]
                if let note = e.data["reason"] ?? e.note, !note.isEmpty { ev["note"] = note }
                return ev
            },
        ]
        // The forms of Circular 03/2025 this dossier has (signed PDFs, printed at the counter).
        let done = Set((detail.events ?? []).map(\.action))
        var forms: [(String, Bool)] = [("mau-01", d.receivedAt != nil), ("mau-02", done.contains(DossierAction.requestSupplement.rawValue))]
        forms += [("mau-03", done.contains(DossierAction.refuse.rawValue)), ("mau-04", done.contains(DossierAction.extend.rawValue))]
        forms += [("mau-05", done.contains(DossierAction.stop.rawValue)), ("mau-06", d.receivedAt != nil)]
        if actor.isOfficial {
            data["hasForms"] = forms.contains { $0.1 }
            data["forms"] = forms.filter(\.1).map { ["href": "/api/v1/dossiers/\(code)/forms/\($0.0)", "label": ui.t("form.\($0.0.replacingOccurrences(of: "-", with: ""))")] }
        }
        if d.competentUnit != d.receivingUnit { data["routed"] = ui.t("dossier.routed", ["unit": units[d.competentUnit]?.name ?? d.competentUnit]) }
        if let a = d.assignee { data["assignee"] = a }
        if let e = formError { data["formError"] = e }
        let results = (try? await app.results.list(code: code, by: actor)) ?? []
        // A leader of the handling unit may revoke a valid result (with the reason; the public page says so).
        let mayRevoke = actor.has(.leader) && actor.unit == d.handlingUnit
        data["results"] = results.map {
            ["id": $0.id, "title": $0.title, "status": ui.t("result.\($0.status.rawValue)"), "code": code, "revocable": mayRevoke && $0.status == .valid] as [String: Any]
        }
        data["hasResults"] = !results.isEmpty
        // The specialist fills what the result template asks for before the leader approves.
        if actor.has(.specialist), d.assignee == actor.username, d.status == .processing, d.stage == .assigned,
            let draft = try? await app.results.draft(code: code, by: actor), !draft.inputs.isEmpty
        {
            data["draft"] = [
                "fields": draft.inputs.map { i in
                    ["name": i.key, "label": i.label + (i.required ? " *" : ""), "value": draft.fields[i.key] ?? i.default ?? ""]
                }
            ]
        }
        return ui.page("dossier", title: "\(ui.t("dossier.heading")) \(d.code)", data, status: status, notice: notice)
    }
}
