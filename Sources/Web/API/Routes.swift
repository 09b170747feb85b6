// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// The routes as (method, OpenAPI path): what the router serves, compared in tests with the
/// OpenAPI document so the two cannot drift apart.
public struct RouteList: Sendable {
    public private(set) var entries: [(method: String, path: String)] = []
    mutating func add(_ method: HTTPRequest.Method, _ path: String) { entries.append((method.rawValue, path)) }
}

/// Builds the router for the whole application.
public func buildRouter(app: MotCua) -> (Router<AppContext>, RouteList) {
    let router = Router(context: AppContext.self)
    OperationsEndpoints.bootstrapped
    router.middlewares.add(RequestIdMiddleware())
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(SecurityHeadersMiddleware(https: app.config.publicURL.hasPrefix("https://")))
    router.middlewares.add(ProblemMiddleware())
    if app.config.rateLimits {
        // Several instances share one PostgreSQL: their limits too. SQLite is one instance.
        let limiter: any RateLimiting = app.database.dialect == .postgres ? SharedRateLimiter(database: app.database) : RateLimiter()
        router.middlewares.add(RateLimitMiddleware(limiter: limiter, clock: app.clock, trustedProxy: app.config.trustedProxy))
    }
    router.middlewares.add(BearerMiddleware(app: app))
    var routes = RouteList()

    func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (Request, AppContext) async throws -> Response) {
        routes.add(method, path)
        router.on(RouterPath(path), method: method, use: handler)
    }

    on(.get, "/healthz") { _, _ in
        _ = try await app.database.query("SELECT 1", [])
        return try JSON.response([
            "status": "ok", "database": app.database.dialect.rawValue,
            "portalSync": app.config.dvcqgURL == nil ? "disabled: DVCQG_URL is not set" : "enabled",
            "populationDatabase": app.config.populationURL == nil ? "disabled: POPULATION_URL is not set (manual entry)" : "enabled",
        ])
    }
    on(.get, "/api/v1/openapi.json") { _, _ in
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.json)))
    }
    // Pages are not part of the API document.
    router.get("/") { req, ctx in try await HomePage.render(UI(req, ctx), app: app) }
    router.get("/favicon.ico") { _, _ in
        var headers = HTTPFields()
        headers[.location] = "/static/favicon.svg"
        return Response(status: .movedPermanently, headers: headers)
    }
    router.get("/static/{name}") { _, ctx in
        let name = try ctx.path("name")
        guard let data = Views.asset(name) else { throw HTTPError(.notFound) }
        var headers = HTTPFields()
        headers[.contentType] = name.hasSuffix(".css") ? "text/css; charset=utf-8" : name.hasSuffix(".svg") ? "image/svg+xml" : "application/octet-stream"
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
    AuthRoutes.register(on, app: app)
    CatalogRoutes.register(on, app: app)
    DossierRoutes.register(on, app: app)
    CalendarRoutes.register(on, app: app)
    DocumentRoutes.register(on, app: app)
    SignatureRoutes.register(on, app: app)
    ResultRoutes.register(on, app: app)
    SyncRoutes.register(on, app: app)
    PopulationRoutes.register(on, app: app)
    IndexRoutes.register(on, app: app)
    RatingRoutes.register(on, app: app)
    PetitionRoutes.register(on, app: app)
    PublicPages.register(router, app: app)
    TrackingPages.register(router, app: app)
    PetitionPages.register(router, app: app)
    CitizenPages.register(router, app: app)
    WorkPages.register(router, app: app)
    CounterPages.register(router, app: app)
    AdminPages.register(router, app: app)
    PetitionWorkPages.register(router, app: app)
    DashboardPages.register(router, app: app)
    SecondFactorPages.register(router, app: app)
    ExternalSignInPages.register(router, app: app)
    AuditPages.register(router, app: app)
    OperationsEndpoints.register(router, app: app)
    return (router, routes)
}

typealias On = (HTTPRequest.Method, String, @escaping @Sendable (Request, AppContext) async throws -> Response) -> Void

extension Request {
    /// A query parameter, or nil when absent or empty.
    func query(_ name: String) -> String? {
        guard let v = uri.queryParameters.get(name), !v.isEmpty else { return nil }
        return v
    }
}

extension AppContext {
    func path(_ name: String) throws -> String {
        guard let v = parameters.get(name) else { throw Problem.invalid(name, "missing path parameter") }
        return v
    }
}

enum AuthRoutes {
    struct TokenBody: Decodable {
        let username: String
        let password: String
        /// The authenticator app's current code, or a recovery code, for an account with a second factor.
        let otp: String?
    }

    struct TokenDTO: Encodable {
        let access_token: String
        let token_type: String
        let expires_in: Int
        /// 1: password only; 2: password and second factor.
        let assurance: Int
    }

    struct CodeBody: Decodable {
        let code: String
    }

    static func register(_ on: On, app: MotCua) {
        on(.post, "/api/v1/auth/token") { req, ctx in
            let body = try await JSON.decode(TokenBody.self, from: req, context: ctx)
            let t = try await app.accounts.login(username: body.username, password: body.password, secondFactor: body.otp)
            return try JSON.response(TokenDTO(access_token: t.accessToken, token_type: "Bearer", expires_in: t.expiresIn, assurance: t.assurance))
        }
        on(.get, "/api/v1/me") { _, ctx in
            _ = try ctx.requireActor()
            let u = ctx.user!
            return try JSON.response(
                MeDTO(username: u.username, fullName: u.fullName, roles: u.roles.map(\.rawValue).sorted(), unit: u.unit, assurance: u.assurance, secondFactor: u.hasSecondFactor))
        }
        // Setting up a second factor (TOTP): a secret and its otpauth:// address, then a first code.
        on(.post, "/api/v1/me/second-factor") { _, ctx in
            _ = try ctx.requireActor()
            let e = try await app.accounts.beginSecondFactor(for: ctx.user!)
            return try JSON.response(["secret": e.secret, "otpauthUri": e.uri], status: .created)
        }
        on(.post, "/api/v1/me/second-factor/confirm") { req, ctx in
            _ = try ctx.requireActor()
            let body = try await JSON.decode(CodeBody.self, from: req, context: ctx)
            let codes = try await app.accounts.confirmSecondFactor(for: ctx.user!.username, code: body.code)
            return try JSON.response(["recoveryCodes": codes])
        }
        on(.delete, "/api/v1/admin/users/{username}/second-factor") { _, ctx in
            try await app.accounts.resetSecondFactor(username: try ctx.path("username"), by: try ctx.requireActor())
            return Response(status: .noContent)
        }
        on(.delete, "/api/v1/admin/users/{username}/sso") { _, ctx in
            try await app.accounts.unbindSingleSignOn(username: try ctx.path("username"), by: try ctx.requireActor())
            return Response(status: .noContent)
        }
        // Client credentials (RFC 6749 §4.4) for API clients: a form body, the client's id and
        // secret in HTTP Basic (or the body), answers and errors as RFC 6749 §5 writes them.
        on(.post, "/api/v1/oauth/token") { req, _ in
            var body = try await req.body.collect(upTo: 16 << 10)
            let form = FormEncoding.decode(body.readString(length: body.readableBytes) ?? "")
            var id = form["client_id"]
            var secret = form["client_secret"]
            if let basic = FormEncoding.basicCredentials(req.headers[.authorization]) { (id, secret) = basic }
            func refuse(_ status: HTTPResponse.Status, _ error: String, _ description: String) throws -> Response {
                var r = try JSON.response(["error": error, "error_description": description], status: status)
                r.headers[.cacheControl] = "no-store"
                if status == .unauthorized { r.headers[.wwwAuthenticate] = "Basic realm=\"motcua\"" }
                return r
            }
            guard form["grant_type"] == "client_credentials" else {
                return try refuse(.badRequest, "unsupported_grant_type", "grant_type must be client_credentials (people sign in at /api/v1/auth/token)")
            }
            guard let id, let secret, !id.isEmpty, !secret.isEmpty else {
                return try refuse(.unauthorized, "invalid_client", "send the client id and secret in HTTP Basic, or as client_id and client_secret")
            }
            do {
                let t = try await app.accounts.clientToken(id: id, secret: secret, scope: form["scope"])
                var r = try JSON.response(
                    ClientTokenDTO(access_token: t.accessToken, token_type: "Bearer", expires_in: t.expiresIn, scope: APIScope.text(t.user.scopes)))
                r.headers[.cacheControl] = "no-store"
                return r
            } catch let e as AccountService.OAuthRefusal {
                return try refuse(e.error == "invalid_client" ? .unauthorized : .badRequest, e.error, e.description)
            }
        }
    }

    struct ClientTokenDTO: Encodable {
        let access_token: String
        let token_type: String
        let expires_in: Int
        let scope: String
    }
}

enum CatalogRoutes {
    static func register(_ on: On, app: MotCua) {
        on(.get, "/api/v1/procedures") { req, _ in
            var f = CatalogStore.ProcedureFilter(query: req.query("q"), field: req.query("field"))
            if let l = req.query("level") {
                guard let level = ProcedureLevel(rawValue: l) else { throw Problem.invalid("level", "must be province or commune") }
                f.level = level
            }
            let today = VietnamTime.date(of: app.clock.now())
            let items = try await app.catalog.procedures(f).map { ProcedureDTO($0, today: today, withVersions: false) }
            return try JSON.response(PageDTO(items: items, nextCursor: nil))
        }
        on(.get, "/api/v1/procedures/{code}") { _, ctx in
            let p = try await app.catalog.procedure(code: try ctx.path("code"))
            return try JSON.response(ProcedureDTO(p, today: VietnamTime.date(of: app.clock.now()), withVersions: true))
        }
        on(.get, "/api/v1/units") { _, _ in
            try JSON.response(PageDTO(items: try await app.catalog.units(), nextCursor: nil))
        }
    }
}

enum DossierRoutes {
    static func register(_ on: On, app: MotCua) {
        on(.post, "/api/v1/dossiers") { req, ctx in
            let actor = try ctx.requireActor()
            let body = try await JSON.decode(CreateDossierBody.self, from: req, context: ctx)
            let d = try await app.dossiers.create(body.request, by: actor)
            var r = try JSON.response(DossierDTO(d, now: app.clock.now(), fullPersonalData: true), status: .created)
            r.headers[.location] = "/api/v1/dossiers/\(d.dossier.code)"
            return r
        }
        on(.get, "/api/v1/dossiers") { req, ctx in
            let actor = try ctx.requireActor()
            let q = try query(from: req, now: app.clock.now())
            let page = try await app.dossiers.list(q, by: actor)
            let now = app.clock.now()
            return try JSON.response(PageDTO(items: page.items.map { DossierDTO($0, now: now, fullPersonalData: false) }, nextCursor: page.nextCursor))
        }
        on(.get, "/api/v1/dossiers/{code}") { _, ctx in
            let actor = try ctx.requireActor()
            let d = try await app.dossiers.get(code: try ctx.path("code"), by: actor)
            return try JSON.response(DossierDTO(d, now: app.clock.now(), fullPersonalData: true))
        }
        on(.post, "/api/v1/dossiers/{code}/actions/{action}") { req, ctx in
            let actor = try ctx.requireActor()
            let name = try ctx.path("action")
            guard let action = DossierAction(rawValue: name) else {
                throw Problem.notFound("unknown action \"\(name)\"; actions are \(DossierAction.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let body = try await JSON.decode(ActionBody.self, from: req, context: ctx)
            let d = try await app.dossiers.act(code: try ctx.path("code"), action: action, input: try body.input(), expectedVersion: body.version, by: actor)
            return try JSON.response(DossierDTO(d, now: app.clock.now(), fullPersonalData: true))
        }
    }

    static func query(from req: Request, now: Date) throws -> DossierQuery {
        var q = DossierQuery()
        if let s = req.query("status") {
            q.statuses = try s.split(separator: ",").map {
                guard let n = Int($0), let st = DossierStatus(rawValue: n) else { throw Problem.invalid("status", "statuses are numbers 1–10, comma-separated") }
                return st
            }
        }
        q.unit = req.query("unit")
        q.procedureCode = req.query("procedure")
        q.applicantIdNumber = req.query("applicant")
        if let o = req.query("overdue") {
            guard o == "true" || o == "false" else { throw Problem.invalid("overdue", "must be true or false") }
            if o == "true" { q.overdueAt = now }
        }
        for (name, keyPath) in [("receivedFrom", \DossierQuery.receivedFrom), ("receivedTo", \DossierQuery.receivedTo)] {
            if let s = req.query(name) {
                guard let d = SharedFormat.parseWithOffset(s) else { throw Problem.invalid(name, "must be ISO 8601 with an offset, e.g. 2026-11-01T00:00:00+07:00") }
                q[keyPath: keyPath] = d
            }
        }
        if let c = req.query("cursor") {
            guard let cursor = DossierQuery.Cursor(token: c) else { throw Problem.invalid("cursor", "not a cursor this API returned") }
            q.after = cursor
        }
        if let l = req.query("limit") {
            guard let n = Int(l), (1...200).contains(n) else { throw Problem.invalid("limit", "must be 1–200") }
            q.limit = n
        }
        return q
    }
}

enum CalendarRoutes {
    struct DueDTO: Encodable {
        let dueAt: String
        let countingStartsAt: String
        let explanation: [DeadlineStep]
    }

    struct HolidayDTO: Encodable {
        let date: String
        let weekday: Int
        let name: String
        let kind: String
    }

    struct HolidaysDTO: Encodable {
        let year: Int
        let holidays: [HolidayDTO]
        let workingWeekendDays: [HolidayDTO]
    }

    static func register(_ on: On, app: MotCua) {
        on(.get, "/api/v1/calendar/due-date") { req, _ in
            guard let fromText = req.query("from") else { throw Problem.invalid("from", "required: ISO 8601 with an offset, e.g. 2026-11-23T09:00:00+07:00") }
            guard let from = SharedFormat.parseWithOffset(fromText) else {
                throw Problem.invalid("from", "must be ISO 8601 with an explicit offset (e.g. +07:00 or Z); got \"\(fromText)\"")
            }
            guard let a = req.query("amount"), let amount = Int(a), (1...3650).contains(amount) else {
                throw Problem.invalid("amount", "required: a whole number 1–3650")
            }
            guard let u = req.query("unit"), let unit = DurationUnit(rawValue: u) else {
                throw Problem.invalid("unit", "required: working-days, working-hours or calendar-days")
            }
            var cutoff: Int?
            if let c = req.query("cutoff") {
                guard let m = ClockTime.minute(of: c) else { throw Problem.invalid("cutoff", "must be HH:mm") }
                cutoff = m
            }
            let due = app.calendar.dueDate(receivedAt: from, time: ProcessingTime(amount: amount, unit: unit), cutoffMinute: cutoff)
            return try JSON.response(DueDTO(dueAt: SharedFormat.iso(due.dueAt), countingStartsAt: SharedFormat.iso(due.countingStartsAt), explanation: due.explanation))
        }
        on(.get, "/api/v1/calendar/holidays") { req, _ in
            guard let y = req.query("year"), let year = Int(y), (1900...2199).contains(year) else {
                throw Problem.invalid("year", "required: a year 1900–2199")
            }
            let cal = app.calendar.holidays
            let holidays = cal.holidays(in: year).map {
                HolidayDTO(date: $0.date.description, weekday: $0.date.isoWeekday, name: $0.name, kind: $0.kind.rawValue)
            }
            let working = cal.overrides.filter { $0.year == year }.flatMap(\.workingDays).map {
                HolidayDTO(date: $0.date.description, weekday: $0.date.isoWeekday, name: $0.name, kind: "working-day")
            }
            return try JSON.response(HolidaysDTO(year: year, holidays: holidays, workingWeekendDays: working))
        }
    }
}
