// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// The citizen portal: the procedure catalogue (search without diacritics), a procedure's
/// page, filing online with the files, and "my dossiers".
enum CitizenPages {
    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/thu-tuc") { req, ctx in
            let ui = UI(req, ctx)
            let q = Form.query(req, "q") ?? ""
            let today = VietnamTime.date(of: app.clock.now())
            let list = try await app.catalog.procedures(.init(query: q))
            let items: [[String: Any]] = list.map { p in
                let v = p.version(on: today)
                return ["code": p.code, "name": p.name, "field": p.field.name, "time": v.map { time($0.processingTime, ui.t) } ?? "—", "online": online(v?.onlineLevel, ui.t)]
            }
            return ui.page("procedures", title: ui.t("proc.heading"), ["q": q, "items": items, "count": ui.t("proc.count", ["n": String(list.count)])])
        }
        router.get("/thu-tuc/{code}") { req, ctx in
            let ui = UI(req, ctx)
            let p = try await app.catalog.procedure(code: try ctx.path("code"))
            let today = VietnamTime.date(of: app.clock.now())
            guard let v = p.version(on: today) ?? p.versions.last else { throw HTTPError(.notFound) }
            let units = try await app.catalog.units()
            let points = receptionPoints(p, units: units).map(\.name)
            return ui.page(
                "procedure", title: p.name,
                [
                    "code": p.code, "name": p.name, "field": p.field.name, "time": time(v.processingTime, ui.t),
                    "fee": v.totalFee == 0 ? ui.t("proc.free") : FormService.vnd(v.totalFee),
                    "where": points.prefix(4).joined(separator: "; ") + (points.count > 4 ? "…" : ""), "online": online(v.onlineLevel, ui.t),
                    "result": v.result?.name ?? "", "canFile": v.onlineLevel != .none,
                    "components": v.components.map { c in
                        ["name": c.name, "form": c.form.vietnameseName, "required": c.required ? ui.t("proc.yes") : ui.t("proc.no")]
                    },
                ])
        }
        router.get("/thu-tuc/{code}/nop") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.citizen) else { return DashboardPages.signInRedirect(req) }
            let p = try await app.catalog.procedure(code: try ctx.path("code"))
            return try await filingForm(p, ui: ui, app: app, values: ["dt": "", "email": "", "address": ""], errors: [:], fileErrors: [:], status: .ok)
        }
        router.post("/thu-tuc/{code}/nop") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.citizen), let user = ui.user else { return DashboardPages.signInRedirect(req) }
            let p = try await app.catalog.procedure(code: try ctx.path("code"))
            let form = try await PageUpload.read(req, app: app)
            var values = ["dt": form.fields["dt"] ?? "", "email": form.fields["email"] ?? "", "address": form.fields["dia-chi"] ?? "", "unit": form.fields["noi-nop"] ?? ""]
            let reuse = form.fields.filter { $0.key.hasPrefix("reuse:") && !$0.value.isEmpty }
            for (k, v) in reuse { values[k] = v }
            var errors: [String: String] = [:]
            var fileErrors = form.refused.mapValues { ui.t("file.refused.\($0)") }
            let today = VietnamTime.date(of: app.clock.now())
            let version = p.version(on: today) ?? p.versions.last
            // Everything is checked before anything is stored: a refused form leaves nothing behind.
            if values["dt"]!.isEmpty || !PhoneNumber.isValid(values["dt"]!) { errors["dt"] = ui.t("file.error.phone") }
            if !values["email"]!.isEmpty && !values["email"]!.contains("@") { errors["email"] = ui.t("file.error.email") }
            for c in version?.components ?? []
            where c.required && !form.files.contains(where: { $0.field == c.code }) && reuse["reuse:\(c.code)"] == nil && fileErrors[c.code] == nil {
                fileErrors[c.code] = ui.t("file.error.required")
            }
            guard errors.isEmpty, fileErrors.isEmpty else {
                form.discard()
                return try await filingForm(p, ui: ui, app: app, values: values, errors: errors, fileErrors: fileErrors, status: .badRequest)
            }
            let applicant = Applicant(
                idNumber: user.idNumber ?? "", fullName: user.fullName, phone: values["dt"], email: values["email"]!.isEmpty ? nil : values["email"],
                address: values["address"]!.isEmpty ? nil : values["address"])
            let created: DossierDetail
            do {
                created = try await app.dossiers.create(IntakeRequest(procedureCode: p.code, channel: .online, receivingUnit: values["unit"]!, applicant: applicant), by: actor)
            } catch let e as ServiceError {
                form.discard()
                guard case .invalid(let field, let message) = e else { throw e }
                errors[field == "receivingUnit" ? "unit" : field.hasSuffix("phone") ? "dt" : "form"] = "\(ui.t("file.error.invalid")) \(message)"
                return try await filingForm(p, ui: ui, app: app, values: values, errors: errors, fileErrors: [:], status: .badRequest)
            }
            var failed: [String] = []
            for (key, documentId) in reuse where !form.files.contains(where: { "reuse:\($0.field)" == key }) {
                do {
                    _ = try await app.documents.reuse(documentId: documentId, as: String(key.dropFirst("reuse:".count)), in: created.dossier.code, by: actor)
                } catch { failed.append(key) }
            }
            for f in form.files {
                do {
                    _ = try await app.documents.add(ComponentUpload(file: f.staged, componentCode: f.field, originalName: f.name), to: created.dossier.code, by: actor)
                } catch { failed.append(f.field) }
            }
            // Post/Redirect/Get: the dossier page says what happened.
            let note = failed.isEmpty ? "nop" : "nop-thieu"
            return UI.redirect("/ho-so/\(created.dossier.code)?tb=\(note)")
        }
        router.get("/cong-dan") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.citizen) else { return DashboardPages.signInRedirect(req) }
            var q = DossierQuery()
            q.limit = 200
            let page = try await app.dossiers.list(q, by: actor)
            let rows = WorkPages.rows(page.items, ui: ui, now: app.clock.now())
            let docs = try await app.documents.warehouse(owner: ui.user?.idNumber ?? "", by: actor, purpose: "own-warehouse")
            return ui.page(
                "list", title: ui.t("nav.myDossiers"),
                [
                    "heading": ui.t("nav.myDossiers"), "sections": [WorkPages.section("mine", ui.t("list.mine"), rows)],
                    "warehouse": docs.map { ["title": $0.title, "number": $0.number ?? "", "issuer": $0.issuer ?? "", "validUntil": $0.validUntil ?? "—"] },
                    "hasWarehouse": true,
                ])
        }
    }

    /// Where a procedure is filed: communes for commune procedures, otherwise the public-service
    /// centre and its branches.
    static func receptionPoints(_ p: Procedure, units: [AdministrativeUnit]) -> [AdministrativeUnit] {
        let points = units.filter { p.authority == "commune" ? $0.kind == .commune : ($0.kind == .centre || $0.kind == .branch) }
        return points.sorted { ($0.kind == .centre ? 0 : 1, $0.name) < ($1.kind == .centre ? 0 : 1, $1.name) }
    }

    static func filingForm(
        _ p: Procedure, ui: UI, app: MotCua, values: [String: String], errors: [String: String], fileErrors: [String: String], status: HTTPResponse.Status
    ) async throws -> Response {
        let today = VietnamTime.date(of: app.clock.now())
        guard let v = p.version(on: today) ?? p.versions.last, v.onlineLevel != .none else {
            return ui.page("message", title: p.name, ["heading": p.name, "message": ui.t("file.notOnline"), "css": "alert", "back": "/thu-tuc/\(p.code)"], status: .conflict)
        }
        let units = receptionPoints(p, units: try await app.catalog.units())
        // Documents the state already holds for this citizen, offered instead of an upload.
        var offers: [String: [WarehouseDocument]] = [:]
        if let actor = ui.actor, let id = ui.user?.idNumber {
            let docs = (try? await app.documents.warehouse(owner: id, by: actor, purpose: "filing")) ?? []
            for c in v.components where c.reusable {
                offers[c.code] = docs.filter { $0.documentType == c.documentType && $0.isValid(on: today) }
            }
        }
        var data: [String: Any] = [
            "code": p.code, "name": p.name, "applicantName": ui.user?.fullName ?? "", "idNumber": ui.user?.idNumber ?? "", "values": values,
            "errors": errors,
            "units": units.map { ["code": $0.code, "name": $0.name, "selected": $0.code == values["unit"]] as [String: Any] },
            "components": v.components.map { c -> [String: Any] in
                var d: [String: Any] = ["code": c.code, "name": c.name, "required": c.required]
                if let e = fileErrors[c.code] { d["error"] = e }
                if let docs = offers[c.code], !docs.isEmpty {
                    d["hasReuse"] = true
                    d["reuse"] = docs.map { doc in
                        ["id": doc.id, "label": [doc.title, doc.number, doc.issuer].compactMap { $0 }.joined(separator: " · "), "selected": values["reuse:\(c.code)"] == doc.id] as [String: Any]
                    }
                }
                return d
            },
        ]
        if let e = errors["form"] {
            data["formError"] = e
        } else if !errors.isEmpty || !fileErrors.isEmpty {
            data["formError"] = ui.t("file.error.summary")
        }
        return ui.page("file", title: ui.t("file.heading"), data, status: status)
    }

    static func time(_ t: ProcessingTime, _ texts: Texts) -> String {
        let unit = switch t.unit {
        case .workingDays: texts("proc.workingDays")
        case .workingHours: texts("proc.workingHours")
        case .calendarDays: texts("proc.days")
        }
        return "\(t.amount) \(unit)"
    }

    static func online(_ level: OnlineLevel?, _ t: Texts) -> String {
        switch level {
        case .full: t("proc.onlineFull")
        case .partial: t("proc.onlinePartial")
        default: t("proc.onlineNone")
        }
    }
}
