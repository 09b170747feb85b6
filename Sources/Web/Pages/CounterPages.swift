// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services

/// Reception at the one-stop counter (window or post): pick the procedure, look the applicant up
/// in the population database (or type the data), tick the checklist by scanning each document,
/// receive. The dossier page that follows shows each file's quality verdict and the receipt
/// (Mẫu 01) to print.
enum CounterPages {
    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/quay/tiep-nhan") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.officer), actor.unit != nil else { return DashboardPages.signInRedirect(req) }
            var values = ["idNumber": Form.query(req, "so-dinh-danh") ?? "", "fullName": "", "phone": "", "address": ""]
            var note: String?
            var lookupId: String?
            if let id = Form.query(req, "so-dinh-danh"), !id.isEmpty {
                do {
                    let found = try await app.population.lookUp(idNumber: id, dossierCode: nil, by: actor)
                    values["fullName"] = found.record.fullName
                    values["address"] = found.record.currentAddress.detail
                    lookupId = found.lookupId
                    note = ui.t("receive.found")
                } catch let e as ServiceError {
                    note = switch e {
                    case .unavailable: ui.t("receive.unavailable")
                    case .notFound: ui.t("receive.notFound")
                    default: e.message
                    }
                }
            }
            return try await form(ui: ui, app: app, procedure: Form.query(req, "thu-tuc"), values: values, window: true, lookupId: lookupId, note: note)
        }
        router.post("/quay/tiep-nhan") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.officer), let unit = actor.unit else { return DashboardPages.signInRedirect(req) }
            let upload = try await PageUpload.read(req, app: app)
            let f = upload.fields
            let values = ["idNumber": f["so-dinh-danh"] ?? "", "fullName": f["ho-ten"] ?? "", "phone": f["dt"] ?? "", "address": f["dia-chi"] ?? ""]
            let window = f["kenh"] != "post"
            let code = f["thu-tuc"] ?? ""
            var errors: [String: String] = [:]
            var fileErrors = upload.refused.mapValues { ui.t("file.refused.\($0)") }
            if values["fullName"]!.isEmpty { errors["fullName"] = ui.t("receive.error.name") }
            if !values["phone"]!.isEmpty && !PhoneNumber.isValid(values["phone"]!) { errors["phone"] = ui.t("file.error.phone") }
            let p = try? await app.catalog.procedure(code: code)
            let version = p.flatMap { $0.version(on: VietnamTime.date(of: app.clock.now())) ?? $0.versions.last }
            for c in version?.components ?? [] where c.required && !upload.files.contains(where: { $0.field == c.code }) && fileErrors[c.code] == nil {
                fileErrors[c.code] = ui.t("receive.error.scan")
            }
            func again(_ status: HTTPResponse.Status, formError: String? = nil) async throws -> Response {
                upload.discard()
                return try await form(
                    ui: ui, app: app, procedure: code, values: values, window: window, lookupId: f["tra-cuu"], errors: errors, fileErrors: fileErrors,
                    formError: formError ?? ui.t("receive.error.summary"), status: status)
            }
            guard p != nil, errors.isEmpty, fileErrors.isEmpty else { return try await again(.badRequest) }
            let applicant = Applicant(
                idNumber: values["idNumber"]!, fullName: values["fullName"]!, phone: values["phone"]!.isEmpty ? nil : values["phone"],
                address: values["address"]!.isEmpty ? nil : values["address"])
            let created: DossierDetail
            do {
                created = try await app.dossiers.create(
                    IntakeRequest(
                        procedureCode: code, channel: window ? .window : .post, receivingUnit: unit, applicant: applicant,
                        populationLookupId: f["tra-cuu"].flatMap { $0.isEmpty ? nil : $0 }), by: actor)
            } catch let e as ServiceError {
                guard case .invalid(let field, let message) = e else { throw e }
                switch field {
                case "applicant.idNumber": errors["idNumber"] = message
                case "applicant.phone": errors["phone"] = ui.t("file.error.phone")
                default: errors["form"] = message
                }
                return try await again(.badRequest, formError: errors["form"])
            }
            var failed = false
            for file in upload.files {
                do {
                    _ = try await app.documents.add(ComponentUpload(file: file.staged, componentCode: file.field, originalName: file.name), to: created.dossier.code, by: actor)
                } catch { failed = true }
            }
            return UI.redirect("/ho-so/\(created.dossier.code)?tb=\(failed ? "nop-thieu" : "tiep-nhan")")
        }
    }

    static func form(
        ui: UI, app: MotCua, procedure code: String?, values: [String: String], window: Bool, lookupId: String?, note: String? = nil,
        errors: [String: String] = [:], fileErrors: [String: String] = [:], formError: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let units = try await app.catalog.unitsByCode()
        let unit = ui.actor?.unit.flatMap { units[$0] }
        let today = VietnamTime.date(of: app.clock.now())
        // What this counter receives: commune procedures at a commune, the others at the centre and its branches.
        let list = try await app.catalog.allProcedures().filter { p in
            p.version(on: today) != nil && (unit?.kind == .commune ? p.authority == "commune" : p.authority != "commune")
        }
        let chosen = list.first { $0.code == code }
        var data: [String: Any] = [
            "procedures": list.map { ["code": $0.code, "name": $0.name, "selected": $0.code == code] as [String: Any] },
            "values": values, "errors": errors, "window": window,
        ]
        if let p = chosen, let v = p.version(on: today) {
            data["procedure"] = p.code
            data["components"] = v.components.map { c -> [String: Any] in
                var d: [String: Any] = ["code": c.code, "name": c.name, "required": c.required]
                if let e = fileErrors[c.code] { d["error"] = e }
                return d
            }
        }
        if let lookupId { data["lookupId"] = lookupId }
        if let note { data["lookupNote"] = note }
        if status != .ok, let formError { data["formError"] = formError }
        return ui.page("receive", title: ui.t("receive.heading"), data, status: status)
    }
}
