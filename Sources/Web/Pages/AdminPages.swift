// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// Administration: portal sync and the parked dossiers (one-click retry), accounts (add one),
/// units, the holiday calendar in force, the catalogue. Administrators only.
enum AdminPages {
    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/quan-tri") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.admin) else { return DashboardPages.signInRedirect(req) }
            let notice = Form.query(req, "tb").flatMap { ["dong-bo": ui.t("admin.retried"), "tai-khoan": ui.t("admin.saved"), "ngay-nghi": ui.t("admin.calendarSaved")][$0] }
            return try await page(ui: ui, actor: actor, app: app, notice: notice)
        }
        router.post("/quan-tri/dong-bo/{code}") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.admin) else { return DashboardPages.signInRedirect(req) }
            _ = try await Form.decode(req)
            _ = try await app.sync.retry(code: try ctx.path("code"), by: actor)
            return UI.redirect("/quan-tri?tb=dong-bo#sync")
        }
        router.post("/quan-tri/ngay-nghi") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.admin) else { return DashboardPages.signInRedirect(req) }
            let f = try await Form.decode(req)
            let year = Int(f["year"] ?? "") ?? VietnamTime.date(of: app.clock.now()).year
            guard let date = LocalDate(iso: f["date"] ?? "") else {
                return try await page(ui: ui, actor: actor, app: app, values: f, errors: ["date": ui.t("admin.error.date")], status: .badRequest)
            }
            do {
                _ = try await app.calendars.add(f["kind"] == "working-day" ? .workingDay : .dayOff, on: date, name: f["name"] ?? "", year: year, by: actor)
            } catch let e as ServiceError {
                guard case .invalid(let field, let message) = e else { throw e }
                return try await page(ui: ui, actor: actor, app: app, values: f, errors: [field: message], status: .badRequest)
            }
            return UI.redirect("/quan-tri?tb=ngay-nghi#holidays")
        }
        router.post("/quan-tri/ngay-nghi/xoa") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.admin) else { return DashboardPages.signInRedirect(req) }
            let f = try await Form.decode(req)
            guard let date = LocalDate(iso: f["date"] ?? ""), let year = Int(f["year"] ?? "") else { throw Problem.invalid("date", "a date YYYY-MM-DD and its year") }
            _ = try await app.calendars.remove(date, year: year, by: actor)
            return UI.redirect("/quan-tri?tb=ngay-nghi#holidays")
        }
        router.post("/quan-tri/danh-muc") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.admin) else { return DashboardPages.signInRedirect(req) }
            let upload = try await PageUpload.read(req, app: app, scans: false)
            defer { upload.discard() }
            guard let file = upload.files.first, let data = FileManager.default.contents(atPath: file.staged.url.path) else {
                return try await page(ui: ui, actor: actor, app: app, errors: ["catalog": ui.t("admin.error.catalogFile")], status: .badRequest)
            }
            do {
                let s = try await app.catalog.importCatalog(try CatalogFile.decode(data))
                let notice = ui.t("admin.catalogImported", ["units": String(s.units), "procedures": String(s.procedures), "versions": String(s.versions)])
                return try await page(ui: ui, actor: actor, app: app, notice: notice)
            } catch let e as ServiceError {
                // Nothing was imported: the file is checked whole before any row is written.
                return try await page(ui: ui, actor: actor, app: app, errors: ["catalog": "\(ui.t("admin.error.catalog")) \(e.message)"], status: .badRequest)
            }
        }
        router.post("/quan-tri/tai-khoan") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.admin) else { return DashboardPages.signInRedirect(req) }
            let f = try await Form.decode(req)
            let username = (f["username"] ?? "").lowercased()
            var errors: [String: String] = [:]
            if username.range(of: #"^[a-z0-9][a-z0-9._-]{2,63}$"#, options: .regularExpression) == nil {
                errors["username"] = ui.t("admin.error.username")
            }
            if (f["fullName"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty { errors["fullName"] = ui.t("admin.error.fullName") }
            if (f["password"] ?? "").count < 12 { errors["password"] = ui.t("admin.error.password") }
            let role = Role(rawValue: f["role"] ?? "") ?? .officer
            let unit = f["unit"].flatMap { $0.isEmpty ? nil : $0 }
            if role != .admin, role != .citizen, unit == nil { errors["unit"] = ui.t("admin.error.unit") }
            guard errors.isEmpty else {
                return try await page(ui: ui, actor: actor, app: app, values: f, errors: errors, status: .badRequest)
            }
            do {
                try await app.accounts.create(
                    username: username, password: f["password"]!, fullName: f["fullName"]!.trimmingCharacters(in: .whitespaces), roles: [role],
                    unit: role == .admin || role == .citizen ? nil : unit)
            } catch ServiceError.invalid(let field, _) where field == "username" {
                return try await page(ui: ui, actor: actor, app: app, values: f, errors: ["username": ui.t("admin.error.exists")], status: .badRequest)
            }
            return UI.redirect("/quan-tri?tb=tai-khoan#users")
        }
    }

    static func page(
        ui: UI, actor: Actor, app: MotCua, values: [String: String] = [:], errors: [String: String] = [:], notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let t = ui.t
        let units = try await app.catalog.units()
        let byCode = Dictionary(uniqueKeysWithValues: units.map { ($0.code, $0) })
        let sync = try await app.sync.status(by: actor)
        let parked = try await app.sync.parked(by: actor, limit: 200)
        let year = VietnamTime.date(of: app.clock.now()).year
        let users = try await app.accounts.users().sorted { $0.username < $1.username }
        let procedures = try await app.catalog.allProcedures()
        var data: [String: Any] = [
            "sync": [
                "target": sync.target, "pending": sync.stats.pending, "failing": sync.stats.failing, "dead": sync.stats.dead, "inSync": sync.stats.inSync,
                "oldest": sync.stats.oldestPendingSince.map(FormValues.dateTime) ?? "—", "lastHour": sync.stats.deliveredLastHour,
                "month": "\(sync.monthConfirmed) / \(sync.monthReceived)",
            ],
            "parked": parked.map { ["code": $0.dossierCode, "attempts": $0.attempts, "error": $0.lastError ?? ""] as [String: Any] },
            "hasParked": !parked.isEmpty,
            "users": users.map { u in
                ["username": u.username, "fullName": u.fullName, "roles": u.roles.map { t("role.\($0.rawValue)") }.sorted().joined(separator: ", "),
                 "unit": u.unit.flatMap { byCode[$0]?.name } ?? ""]
            },
            "roles": Role.allCases.map { ["value": $0.rawValue, "label": t("role.\($0.rawValue)"), "selected": $0.rawValue == (values["role"] ?? "officer")] as [String: Any] },
            "unitOptions": ([["code": "", "name": "—", "selected": false]] as [[String: Any]])
                + units.map { ["code": $0.code, "name": $0.name, "selected": $0.code == values["unit"]] as [String: Any] },
            "units": units.map { ["code": $0.code, "name": $0.name, "kind": t("unitKind.\($0.kind.rawValue)")] },
            "year": year,
            "holidays": app.calendar.holidays.holidays(in: year).map { ["date": $0.date.description, "name": $0.name] },
            "decisions": {
                let o = app.calendars.override(year: year)
                return (o.daysOff.map { ($0, "admin.dayOff") } + o.workingDays.map { ($0, "admin.workingDay") }).sorted { $0.0.date < $1.0.date }.map { d, kind in
                    ["date": d.date.description, "name": d.name, "kind": t(kind), "year": year] as [String: Any]
                }
            }(),
            "catalogSummary": t("admin.catalogSummary", ["n": String(procedures.count)]),
            "values": ["username": values["username"] ?? "", "fullName": values["fullName"] ?? "", "date": values["date"] ?? "", "name": values["name"] ?? ""],
            "errors": errors,
        ]
        if !errors.isEmpty { data["formError"] = t("admin.error.summary") }
        return ui.page("admin", title: t("admin.heading"), data, status: status, wide: true, notice: notice)
    }
}
