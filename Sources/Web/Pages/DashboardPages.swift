// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import NIOCore
import Services

/// The operations dashboard: the service-quality index (Decision 766) of a unit, live, with the
/// groups against their ceilings and targets, the ranking of units, the trend by month, what
/// it takes to reach the target, and for every indicator the dossiers (or petitions) that cost
/// points and who holds them. Server-rendered HTML with SVG charts (`DashboardCharts`), tables
/// exported as CSV/XLSX (`DashboardExport`); Vietnamese, or English with `?lang=en`.
enum DashboardPages {
    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/dang-nhap") { req, ctx in signInPage(next: req.query("next").map { safeNext($0) } ?? "", error: nil, ui: UI(req, ctx), app: app) }
        router.post("/dang-nhap") { req, ctx in
            let ui = UI(req, ctx)
            let t = ui.t
            let form = try await Form.decode(req)
            let next = form["next"].flatMap { $0.isEmpty ? nil : safeNext($0) } ?? ""
            guard let user = form["username"], let password = form["password"], !user.isEmpty, !password.isEmpty else {
                return signInPage(next: next, error: t("signin.missing"), status: .badRequest, ui: ui, app: app)
            }
            let token: IssuedToken
            do {
                token = try await app.accounts.login(username: user, password: password, kind: .session)
            } catch ServiceError.locked(let until, _, _) {
                return signInPage(next: next, error: t("signin.locked", ["until": FormValues.dateTime(until)]), status: .tooManyRequests, ui: ui, app: app)
            } catch {
                return signInPage(next: next, error: t("signin.wrong"), status: .unauthorized, ui: ui, app: app)
            }
            var headers = HTTPFields()
            // Without a page to return to, each role starts at its own home; an account with a
            // second factor first types its code.
            if token.user.hasSecondFactor, token.assurance < 2 {
                headers[.location] = "/dang-nhap/ma-xac-thuc" + (next.isEmpty ? "" : "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            } else {
                headers[.location] = next.isEmpty ? home(token.user.actor) : next
            }
            headers[.setCookie] = SessionCookie.set(token.accessToken, maxAge: token.expiresIn, secure: app.config.publicURL.hasPrefix("https://"))
            return Response(status: .seeOther, headers: headers)
        }
        router.get("/dang-xuat") { req, _ in
            // The session ends on the server too: the cookie's token stops working at once.
            if let token = SessionCookie.token(in: req) { try await app.accounts.logout(token: token) }
            var headers = HTTPFields()
            headers[.location] = "/dang-nhap"
            headers[.setCookie] = SessionCookie.clear
            return Response(status: .seeOther, headers: headers)
        }
        func page(_ path: RouterPath, _ body: @escaping @Sendable (Request, Actor, UI) async throws -> Response) {
            router.get(path) { req, ctx in
                let ui = UI(req, ctx)
                guard let actor = ctx.user?.actor else { return signInRedirect(req) }
                do { return try await body(req, actor, ui) } catch let e as ServiceError { return errorPage(e, ui: ui) }
            }
        }
        page("/dashboard") { req, actor, ui in try await dashboard(req, actor: actor, app: app, ui: ui) }
        page("/dashboard/export") { req, actor, ui in try await DashboardExport.export(req, actor: actor, app: app, t: ui.t) }
        page("/dashboard/officials") { req, actor, ui in try await officials(req, actor: actor, app: app, ui: ui) }
        page("/dashboard/losses") { req, actor, ui in try await losses(req, actor: actor, app: app, ui: ui) }
    }

    // MARK: Sign-in

    /// Only a path of this site: never an open redirect.
    static func safeNext(_ next: String?) -> String {
        // Browsers drop tabs and line breaks from URLs ("/\t/evil" becomes "//evil"): none allowed.
        guard let n = next, n.hasPrefix("/"), !n.hasPrefix("//"), !n.contains("\\"),
            !n.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F })
        else { return "/dashboard" }
        return n
    }

    /// Where a role starts: citizens their dossiers, officers the counter, specialists and
    /// leaders their work, administrators the dashboard.
    static func home(_ actor: Actor?) -> String {
        guard let a = actor else { return "/" }
        if a.has(.citizen) { return "/cong-dan" }
        if a.has(.officer) { return "/quay" }
        if a.has(.specialist) || a.has(.leader) { return "/viec-cua-toi" }
        return a.has(.admin) ? "/quan-tri" : "/dashboard"
    }

    static func signInRedirect(_ req: Request) -> Response {
        var headers = HTTPFields()
        let here = req.uri.description
        headers[.location] = "/dang-nhap?next=" + (here.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/dashboard")
        return Response(status: .seeOther, headers: headers)
    }

    static func signInPage(next: String, error: String?, status: HTTPResponse.Status = .ok, ui: UI, app: MotCua) -> Response {
        let t = ui.t
        return Page.response(
            title: t("signin.title"),
            body: """
                <h1>\(Page.esc(t("signin.title")))</h1>
                \(error.map { "<p class=\"bad\" role=\"alert\">\(Page.esc($0))</p>" } ?? "")
                <form method="post" action="/dang-nhap">\(ui.csrfInput)
                <input type="hidden" name="next" value="\(Page.esc(next))">
                <label for="u">\(Page.esc(t("signin.username")))</label><input id="u" name="username" autocomplete="username" required>
                <label for="p">\(Page.esc(t("signin.password")))</label><input id="p" name="password" type="password" autocomplete="current-password" required>
                <div><button type="submit">\(Page.esc(t("signin.button")))</button></div>
                </form>
                \(ExternalSignInPages.buttons(next: next, ui: ui, app: app))
                """, status: status, ui: ui)
    }

    static func errorPage(_ e: ServiceError, ui: UI) -> Response {
        let t = ui.t
        let (status, text): (HTTPResponse.Status, String)
        switch e {
        case .forbidden: (status, text) = (.forbidden, t("error.forbidden"))
        case .notFound: (status, text) = (.notFound, t("error.notFound"))
        case .invalid(let field, _): (status, text) = (.badRequest, t("error.invalid", ["field": field]))
        default: (status, text) = (.badRequest, t("error.title"))
        }
        return Page.response(
            title: t("error.title"),
            body: """
                <h1>\(Page.esc(t("error.title")))</h1><p class="bad">\(Page.esc(text))</p><p class="muted" lang="en">\(Page.esc("\(e)"))</p>
                <p><a href="/dashboard">\(Page.esc(t("error.back")))</a></p>
                """,
            status: status, ui: ui)
    }

    // MARK: Dashboard

    static func request(_ req: Request, actor: Actor, app: MotCua) async throws -> (unit: String, period: IndexPeriod, units: [String: AdministrativeUnit]) {
        let units = try await app.catalog.unitsByCode()
        let province = units.values.first { $0.kind == .province }?.code
        guard let unit = req.query("unit") ?? (actor.has(.admin) ? province : actor.unit) ?? province else {
            throw ServiceError.invalid(field: "unit", message: "choose a unit")
        }
        let period = try req.query("period").map { try IndexService.parsePeriod($0) } ?? IndexPeriod.month(of: app.clock.now())
        return (unit, period, units)
    }

    static func dashboard(_ req: Request, actor: Actor, app: MotCua, ui: UI) async throws -> Response {
        let t = ui.t
        let (unit, period, units) = try await request(req, actor: actor, app: app)
        let index = app.index
        let m = index.methodologyInForce
        // Trend: the twelve months up to the period's last month (for a month period, its last
        // two are the period and the one before: not asked for twice).
        var month = period.months.last!
        var monthly: [IndexService.Report] = []
        for _ in 0..<12 {
            monthly.insert(try await index.report(unit: unit, period: month, by: actor), at: 0)
            month = month.previous
        }
        let trend = monthly.map { ($0.period, $0.score.total, $0.received) }
        let isMonth = period.kind == .month
        let r = isMonth ? monthly[11] : try await index.report(unit: unit, period: period, by: actor)
        let before = isMonth ? monthly[10] : try await index.report(unit: unit, period: period.previous, by: actor)
        let ranking = try await index.ranking(unit: unit, period: period, by: actor)
        let q = "unit=\(enc(unit))&amp;period=\(enc(period.description))"
        let points = t("dash.points")
        var html = """
            <h1>\(Page.esc(t("dash.heading")))</h1>
            <form method="get" action="/dashboard" class="filters">
            <label for="unit">\(Page.esc(t("dash.unit")))</label><select id="unit" name="unit">\(unitOptions(units, selected: unit))</select>
            <label for="period">\(Page.esc(t("dash.period")))</label><input id="period" name="period" value="\(Page.esc(period.description))" pattern="[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?">
            <button type="submit">\(Page.esc(t("dash.show")))</button>
            </form>
            <p class="muted">\(Page.esc(t("dash.about", ["methodology": t.pick(m.name, t("dash.methodologyName")), "version": m.version])))
            <span class="uncertain">\(Page.esc(t("dash.uncertain")))</span></p>
            """
        let delta = r.score.total - before.score.total
        let band = r.band.map { t.pick($0.name, $0.nameEn) }
        html += """
            <section class="total"><h2>\(Page.esc(r.unitName)) · \(Page.esc(periodName(period, t: t)))</h2>
            <p class="big">\(fmt(r.score.total)) <small>/ \(fmt(r.score.ceiling)) \(Page.esc(points))</small></p>
            <p>\(band.map { "\(Page.esc(t("dash.band"))): <strong>\(Page.esc($0))</strong> · " } ?? "")\(Page.esc(t("dash.withData", ["points": fmt(r.score.ceilingWithData)]))) ·
            \(Page.esc(t("dash.received", ["n": String(r.received)]))) ·
            \(Page.esc(t("dash.compared", ["period": periodName(period.previous, t: t)]))): <strong class="\(delta < 0 ? "bad" : "ok")">\(delta >= 0 ? "+" : "")\(fmt(delta)) \(Page.esc(points))</strong>\(r.target.map { " · \(Page.esc(t("dash.target", ["points": fmt($0)])))" } ?? "")</p>
            \(DashboardCharts.groups(r, methodology: m, t: t))
            </section>
            """
        html += """
            <section><h2>\(Page.esc(t("dash.indicators")))</h2><table><thead><tr><th>\(Page.esc(t("col.id")))</th><th>\(Page.esc(t("col.indicator")))</th>
            <th>\(Page.esc(t("col.counts")))</th><th>\(Page.esc(t("col.ratio")))</th><th>\(Page.esc(t("col.score")))</th><th>\(Page.esc(t("col.toMax")))</th><th></th></tr></thead><tbody>
            """
        for g in r.score.groups {
            let group = m.groups.first { $0.id == g.id }
            let target = r.groupTargets[g.id].map { " (\(t("dash.groupTarget", ["points": fmt($0)])))" } ?? ""
            html += "<tr class=\"group\"><th colspan=\"7\">\(Page.esc(group.map { t.pick($0.name, $0.nameEn) } ?? g.id)): \(fmt(g.score)) / \(fmt(g.ceiling))\(Page.esc(target))</th></tr>"
            for i in g.indicators {
                guard let def = m.indicator(i.id) else { continue }
                let name = Page.esc(t.pick(def.name, def.nameEn))
                if def.formula == .display {
                    // Shown, not scored: 5.1 petitions by class.
                    guard def.measure == .petitionsByClass, let all = i.denominator else { continue }
                    let procedures = i.numerator ?? 0
                    html += """
                        <tr><td>\(Page.esc(i.id))</td><td>\(name)</td><td class="num">\(all)</td>
                        <td colspan="4">\(Page.esc(t("dash.petitionsByClass", ["procedure": String(procedures), "conduct": String(all - procedures)])))</td></tr>
                        """
                    continue
                }
                let counts = i.denominator.map { "\(i.numerator ?? 0) / \($0)" } ?? "—"
                let score = i.score.map { "\(fmt($0)) / \(fmt(i.ceiling))" } ?? "<span class=\"muted\">\(Page.esc(t("dash.noData")))</span>"
                var needed = ""
                if let n = i.numerator, let d = i.denominator, def.formula == .ratio, def.multiplyByRatioOf == nil, let k = IndexScoring.needed(for: i.ceiling, on: def, count: IndexCount(n, of: d)), k > 0 {
                    needed = Page.esc(t(def.measure?.isPetitions == true ? "dash.needMorePetitions" : "dash.needMore", ["n": String(k)]))
                }
                var drill = ""
                if let measure = def.measure, measure.listsLosses, (i.denominator ?? 0) > 0 {
                    drill = "<a href=\"/dashboard/losses?\(q)&amp;indicator=\(enc(i.id))\">\(Page.esc(t(measure.isPetitions ? "dash.drillPetitions" : "dash.drill")))</a>"
                }
                html += """
                    <tr><td>\(Page.esc(i.id))</td><td>\(name)\(i.uncertain ? " <span class=\"uncertain\">\(Page.esc(t("dash.uncertain")))</span>" : "")</td>
                    <td class="num">\(counts)</td><td class="num">\(i.ratio.map { "\(fmt($0)) %" } ?? "—")</td><td class="num">\(score)</td><td>\(needed)</td><td>\(drill)</td></tr>
                    """
            }
        }
        html += "</tbody></table>\(downloads(q, table: "indicators", t: t))</section>"
        html += "<section><h2>\(Page.esc(t("dash.trend")))</h2>\(DashboardCharts.trend(trend, t: t))</section>"
        if !ranking.isEmpty {
            html += """
                <section><h2>\(Page.esc(t("dash.ranking")))</h2><table><thead><tr><th>#</th><th>\(Page.esc(t("col.unit")))</th><th>\(Page.esc(t("col.score")))</th>
                <th>\(Page.esc(t("col.progress")))</th><th>\(Page.esc(t("col.digitization")))</th><th>\(Page.esc(t("col.dossiers")))</th></tr></thead><tbody>
                """
            for (n, u) in ranking.enumerated() {
                let progress = u.score.groups.first { $0.id == "progress" }?.score ?? 0
                let digitization = u.score.groups.first { $0.id == "digitization" }?.score ?? 0
                html += """
                    <tr><td>\(n + 1)</td><td><a href="/dashboard?unit=\(enc(u.unit))&amp;period=\(enc(period.description))">\(Page.esc(u.unitName))</a></td>
                    <td class="num">\(fmt(u.score.total))</td><td class="num">\(fmt(progress))</td><td class="num">\(fmt(digitization))</td><td class="num">\(u.received)</td></tr>
                    """
            }
            html += "</tbody></table>\(downloads(q, table: "ranking", t: t))</section>"
        }
        html += "<p><a href=\"/dashboard/officials?\(q)\">\(Page.esc(t("dash.officialsLink")))</a></p>"
        return Page.response(title: t("dash.title"), body: html, wide: true, ui: ui)
    }

    static func losses(_ req: Request, actor: Actor, app: MotCua, ui: UI) async throws -> Response {
        let t = ui.t
        let (unit, period, units) = try await request(req, actor: actor, app: app)
        guard let indicator = req.query("indicator") else { throw ServiceError.invalid(field: "indicator", message: "choose an indicator") }
        let rows = try await app.index.losses(unit: unit, period: period, indicator: indicator, after: req.query("after"), limit: 200, by: actor)
        let m = app.index.methodologyInForce
        let def = m.indicator(indicator)
        let petitions = def?.measure?.isPetitions == true
        let q = "unit=\(enc(unit))&amp;period=\(enc(period.description))&amp;indicator=\(enc(indicator))"
        let count = "\(rows.count)\(rows.count == 200 ? "+" : "")"
        var html = """
            <p><a href="/dashboard?unit=\(enc(unit))&amp;period=\(enc(period.description))">\(Page.esc(t("losses.back")))</a></p>
            <h1>\(Page.esc(t(petitions ? "losses.titlePetitions" : "losses.title"))): \(Page.esc(indicator)) \(Page.esc(def.map { t.pick($0.name, $0.nameEn) } ?? ""))</h1>
            <p>\(Page.esc(units[unit]?.name ?? unit)) · \(Page.esc(periodName(period, t: t))) · \(Page.esc(t(petitions ? "losses.countPetitions" : "losses.count", ["n": count])))</p>
            <table><thead><tr><th>\(Page.esc(t(petitions ? "col.petitionCode" : "col.dossierCode")))</th><th>\(Page.esc(t("col.reason")))</th>
            <th>\(Page.esc(t("col.procedure")))</th><th>\(Page.esc(t("col.received")))</th><th>\(Page.esc(t("col.due")))</th><th>\(Page.esc(t("col.holder")))</th>
            <th>\(Page.esc(t("col.assignee")))</th></tr></thead><tbody>
            """
        for l in rows {
            html += """
                <tr><td><code>\(Page.esc(l.code))</code></td><td>\(Page.esc(t.pick(l.reason.vietnamese, l.reason.english)))</td><td>\(Page.esc(l.procedureCode))</td>
                <td>\(l.receivedAt.map(FormValues.dateTime).map(Page.esc) ?? "")</td><td>\(l.dueAt.map(FormValues.dateTime).map(Page.esc) ?? "")</td>
                <td>\(Page.esc(units[l.handlingUnit]?.name ?? l.handlingUnit))</td><td>\(Page.esc(l.assignee ?? "—"))</td></tr>
                """
        }
        html += "</tbody></table>\(downloads(q, table: "losses", t: t))"
        if rows.count == 200, let last = rows.last { html += "<p><a href=\"/dashboard/losses?\(q)&amp;after=\(enc(last.code))\">\(Page.esc(t("losses.next")))</a></p>" }
        return Page.response(title: "\(t("losses.title")) \(indicator)", body: html, wide: true, ui: ui)
    }

    static func officials(_ req: Request, actor: Actor, app: MotCua, ui: UI) async throws -> Response {
        let t = ui.t
        let (unit, period, units) = try await request(req, actor: actor, app: app)
        let rows = try await app.index.officials(unit: unit, period: period, by: actor)
        let q = "unit=\(enc(unit))&amp;period=\(enc(period.description))"
        var html = """
            <p><a href="/dashboard?\(q)">\(Page.esc(t("losses.back")))</a></p>
            <h1>\(Page.esc(t("officials.title")))</h1>
            <p>\(Page.esc(units[unit]?.name ?? unit)) · \(Page.esc(periodName(period, t: t))) · \(Page.esc(t("officials.note", ["norm": fmt(rows.first?.norm ?? 0)])))</p>
            <table><thead><tr><th>\(Page.esc(t("col.official")))</th><th>\(Page.esc(t("col.unit")))</th><th>\(Page.esc(t("col.receivedCount")))</th>
            <th>\(Page.esc(t("col.digitized")))</th><th>\(Page.esc(t("col.handled")))</th><th>\(Page.esc(t("col.onTime")))</th><th>\(Page.esc(t("col.norm")))</th></tr></thead><tbody>
            """
        for o in rows {
            html += """
                <tr><td>\(Page.esc(o.fullName)) <span class="muted">(\(Page.esc(o.username)))</span></td><td>\(Page.esc(o.unit.flatMap { units[$0]?.name } ?? ""))</td>
                <td class="num">\(o.received)</td><td class="num">\(o.digitizationRate.map { "\(fmt($0)) %" } ?? "—")</td>
                <td class="num">\(o.handled)</td><td class="num">\(o.onTimeRate.map { "\(fmt($0)) %" } ?? "—")</td><td class="num">\(fmt(o.normShare)) %</td></tr>
                """
        }
        html += "</tbody></table>\(downloads(q, table: "officials", t: t))"
        return Page.response(title: t("officials.title"), body: html, wide: true, ui: ui)
    }

    static func downloads(_ query: String, table: String, t: Texts) -> String {
        "<p class=\"muted\">\(Page.esc(t("export.download"))): <a href=\"/dashboard/export?\(query)&amp;table=\(table)&amp;format=xlsx\">XLSX</a> · <a href=\"/dashboard/export?\(query)&amp;table=\(table)&amp;format=csv\">CSV</a></p>"
    }

    // MARK: Helpers

    static func unitOptions(_ units: [String: AdministrativeUnit], selected: String) -> String {
        let order: [UnitKind] = [.province, .department, .commune, .centre, .branch]
        return units.values.sorted { (order.firstIndex(of: $0.kind) ?? 9, $0.name) < (order.firstIndex(of: $1.kind) ?? 9, $1.name) }.map { u in
            "<option value=\"\(Page.esc(u.code))\"\(u.code == selected ? " selected" : "")>\(Page.esc(u.name))</option>"
        }.joined()
    }

    static func periodName(_ p: IndexPeriod, t: Texts) -> String {
        switch p.kind {
        case .month: t("period.month", ["m": String(p.number), "y": String(p.year)])
        case .quarter: t("period.quarter", ["q": String(p.number), "y": String(p.year)])
        case .year: t("period.year", ["y": String(p.year)])
        }
    }

    static func fmt(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(format: "%.2f", r)
    }

    static func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? s }
}

extension IndexMeasure {
    /// Counted over petitions (5.2, 5.3) rather than dossiers.
    var isPetitions: Bool { self == .petitionsOnTime || self == .petitionSatisfaction }
    /// The dashboard can list what loses points on it.
    var listsLosses: Bool { isPetitions || IndexLossRule.of(self) != nil }
}
