// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import NIOCore
import Services

/// The operations dashboard: the service-quality index (Decision 766) of a unit, live, with the
/// groups against their ceilings and targets, the ranking of units, the trend by month, what
/// it takes to reach the target, and for every indicator the dossiers that cost points and who
/// holds them. Server-rendered HTML with SVG charts; signing in sets a session cookie.
enum DashboardPages {
    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/dang-nhap") { req, _ in signInPage(next: safeNext(req.query("next")), error: nil) }
        router.post("/dang-nhap") { req, _ in
            let form = try await Form.decode(req)
            let next = safeNext(form["next"])
            guard let user = form["username"], let password = form["password"], !user.isEmpty, !password.isEmpty else {
                return signInPage(next: next, error: "Nhập tên đăng nhập và mật khẩu.", status: .badRequest)
            }
            guard let token = try? await app.accounts.login(username: user, password: password) else {
                return signInPage(next: next, error: "Tên đăng nhập hoặc mật khẩu không đúng.", status: .unauthorized)
            }
            var headers = HTTPFields()
            headers[.location] = next
            headers[.setCookie] = SessionCookie.set(token.accessToken, maxAge: token.expiresIn, secure: app.config.publicURL.hasPrefix("https://"))
            return Response(status: .seeOther, headers: headers)
        }
        router.get("/dang-xuat") { _, _ in
            var headers = HTTPFields()
            headers[.location] = "/dang-nhap"
            headers[.setCookie] = SessionCookie.clear
            return Response(status: .seeOther, headers: headers)
        }
        router.get("/dashboard") { req, ctx in
            guard let actor = ctx.user?.actor else { return signInRedirect(req) }
            do { return try await dashboard(req, actor: actor, app: app) } catch let e as ServiceError { return errorPage(e) }
        }
        router.get("/dashboard/export") { req, ctx in
            guard let actor = ctx.user?.actor else { return signInRedirect(req) }
            do { return try await export(req, actor: actor, app: app) } catch let e as ServiceError { return errorPage(e) }
        }
        router.get("/dashboard/officials") { req, ctx in
            guard let actor = ctx.user?.actor else { return signInRedirect(req) }
            do { return try await officials(req, actor: actor, app: app) } catch let e as ServiceError { return errorPage(e) }
        }
        router.get("/dashboard/losses") { req, ctx in
            guard let actor = ctx.user?.actor else { return signInRedirect(req) }
            do { return try await losses(req, actor: actor, app: app) } catch let e as ServiceError { return errorPage(e) }
        }
    }

    // MARK: Sign-in

    /// Only a path of this site: never an open redirect.
    static func safeNext(_ next: String?) -> String {
        guard let n = next, n.hasPrefix("/"), !n.hasPrefix("//"), !n.contains("\\") else { return "/dashboard" }
        return n
    }

    static func signInRedirect(_ req: Request) -> Response {
        var headers = HTTPFields()
        let here = req.uri.description
        headers[.location] = "/dang-nhap?next=" + (here.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/dashboard")
        return Response(status: .seeOther, headers: headers)
    }

    static func signInPage(next: String, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        Page.response(
            title: "Đăng nhập",
            body: """
                <h1>Đăng nhập</h1>
                \(error.map { "<p class=\"bad\" role=\"alert\">\(Page.esc($0))</p>" } ?? "")
                <form method="post" action="/dang-nhap">
                <input type="hidden" name="next" value="\(Page.esc(next))">
                <label for="u">Tên đăng nhập</label><input id="u" name="username" autocomplete="username" required>
                <label for="p">Mật khẩu</label><input id="p" name="password" type="password" autocomplete="current-password" required>
                <div><button type="submit">Đăng nhập</button></div>
                </form>
                """, status: status)
    }

    static func errorPage(_ e: ServiceError) -> Response {
        let (status, text): (HTTPResponse.Status, String)
        switch e {
        case .forbidden: (status, text) = (.forbidden, "Bạn không có quyền xem chỉ số của đơn vị này. Lãnh đạo đơn vị, lãnh đạo tỉnh và quản trị viên được xem.")
        case .notFound: (status, text) = (.notFound, "Không tìm thấy.")
        case .invalid(let field, _): (status, text) = (.badRequest, "Giá trị không hợp lệ: \(field).")
        default: (status, text) = (.badRequest, "Không xem được.")
        }
        return Page.response(
            title: "Không xem được",
            body: "<h1>Không xem được</h1><p class=\"bad\">\(Page.esc(text))</p><p class=\"muted\" lang=\"en\">\(Page.esc("\(e)"))</p><p><a href=\"/dashboard\">Về bảng điều hành</a></p>",
            status: status)
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

    static func dashboard(_ req: Request, actor: Actor, app: MotCua) async throws -> Response {
        let (unit, period, units) = try await request(req, actor: actor, app: app)
        let index = app.index
        let m = index.methodologyInForce
        let r = try await index.report(unit: unit, period: period, by: actor)
        let before = try await index.report(unit: unit, period: period.previous, by: actor)
        let ranking = try await index.ranking(unit: unit, period: period, by: actor)
        // Trend: the twelve months up to the period's last month.
        var month = period.months.last!
        var trend: [(String, Double, Int)] = []
        for _ in 0..<12 {
            let t = try await index.report(unit: unit, period: month, by: actor)
            trend.insert((month.description, t.score.total, t.received), at: 0)
            month = month.previous
        }
        let q = "unit=\(enc(unit))&amp;period=\(enc(period.description))"
        var html = """
            <h1>Chỉ số phục vụ người dân, doanh nghiệp</h1>
            <form method="get" action="/dashboard" class="filters">
            <label for="unit">Đơn vị</label><select id="unit" name="unit">\(unitOptions(units, selected: unit))</select>
            <label for="period">Kỳ (YYYY-MM, YYYY-Qn, YYYY)</label><input id="period" name="period" value="\(Page.esc(period.description))" pattern="[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?">
            <button type="submit">Xem</button>
            </form>
            <p class="muted">\(Page.esc(m.name)), phiên bản \(Page.esc(m.version)). Tính trực tiếp từ dữ liệu MotCua; chỉ tiêu không có dữ liệu không được tính điểm. Chỉ tiêu đánh dấu <span class="uncertain">chưa chắc chắn</span> có thể cấu hình.</p>
            """
        let delta = r.score.total - before.score.total
        html += """
            <section class="total"><h2>\(Page.esc(r.unitName)) · \(Page.esc(periodName(period)))</h2>
            <p class="big">\(fmt(r.score.total)) <small>/ \(fmt(r.score.ceiling)) điểm</small></p>
            <p>\(r.band.map { "Xếp loại: <strong>\(Page.esc($0.name))</strong> · " } ?? "")Có dữ liệu: \(fmt(r.score.ceilingWithData)) điểm · \(r.received) hồ sơ tiếp nhận trong kỳ ·
            So với \(Page.esc(periodName(period.previous))): <strong class="\(delta < 0 ? "bad" : "ok")">\(delta >= 0 ? "+" : "")\(fmt(delta)) điểm</strong>\(r.target.map { " · Mục tiêu: \(fmt($0)) điểm" } ?? "")</p>
            \(groupChart(r, methodology: m))
            </section>
            """
        html += "<section><h2>Chỉ tiêu</h2><table><thead><tr><th>Mã</th><th>Chỉ tiêu</th><th>Tử số / Mẫu số</th><th>Tỷ lệ</th><th>Điểm</th><th>Để đạt tối đa</th><th></th></tr></thead><tbody>"
        for g in r.score.groups {
            html += "<tr class=\"group\"><th colspan=\"7\">\(Page.esc(m.groups.first { $0.id == g.id }?.name ?? g.id)): \(fmt(g.score)) / \(fmt(g.ceiling))\(r.groupTargets[g.id].map { " (mục tiêu \(fmt($0)))" } ?? "")</th></tr>"
            for i in g.indicators {
                guard let def = m.indicator(i.id), def.formula != .display else { continue }
                let counts = i.denominator.map { "\(i.numerator ?? 0) / \($0)" } ?? "—"
                let score = i.score.map { "\(fmt($0)) / \(fmt(i.ceiling))" } ?? "<span class=\"muted\">không có dữ liệu</span>"
                var needed = ""
                if let n = i.numerator, let d = i.denominator, def.multiplyByRatioOf == nil, let k = IndexScoring.needed(for: i.ceiling, on: def, count: IndexCount(n, of: d)), k > 0 {
                    needed = "thêm \(k) hồ sơ"
                }
                let drill = def.measure.flatMap(IndexLossRule.of) != nil && (i.denominator ?? 0) > 0
                    ? "<a href=\"/dashboard/losses?\(q)&amp;indicator=\(enc(i.id))\">Hồ sơ mất điểm</a>" : ""
                html += """
                    <tr><td>\(Page.esc(i.id))</td><td>\(Page.esc(def.name))\(i.uncertain ? " <span class=\"uncertain\">chưa chắc chắn</span>" : "")</td>
                    <td class="num">\(counts)</td><td class="num">\(i.ratio.map { "\(fmt($0)) %" } ?? "—")</td><td class="num">\(score)</td><td>\(needed)</td><td>\(drill)</td></tr>
                    """
            }
        }
        html += "</tbody></table>\(downloads(q, table: "indicators"))</section>"
        html += "<section><h2>Diễn biến theo tháng</h2>\(trendChart(trend))</section>"
        if !ranking.isEmpty {
            html += "<section><h2>Xếp hạng đơn vị</h2><table><thead><tr><th>#</th><th>Đơn vị</th><th>Điểm</th><th>Tiến độ (2.1)</th><th>Số hóa</th><th>Hồ sơ</th></tr></thead><tbody>"
            for (n, u) in ranking.enumerated() {
                let progress = u.score.groups.first { $0.id == "progress" }?.score ?? 0
                let digitization = u.score.groups.first { $0.id == "digitization" }?.score ?? 0
                html += """
                    <tr><td>\(n + 1)</td><td><a href="/dashboard?unit=\(enc(u.unit))&amp;period=\(enc(period.description))">\(Page.esc(u.unitName))</a></td>
                    <td class="num">\(fmt(u.score.total))</td><td class="num">\(fmt(progress))</td><td class="num">\(fmt(digitization))</td><td class="num">\(u.received)</td></tr>
                    """
            }
            html += "</tbody></table>\(downloads(q, table: "ranking"))</section>"
        }
        html += "<p><a href=\"/dashboard/officials?\(q)\">Kết quả theo cán bộ, công chức (tiếp nhận, số hóa, đúng hạn, định mức) →</a></p>"
        return Page.response(title: "Bảng điều hành chỉ số 766", body: html, wide: true)
    }

    static func losses(_ req: Request, actor: Actor, app: MotCua) async throws -> Response {
        let (unit, period, units) = try await request(req, actor: actor, app: app)
        guard let indicator = req.query("indicator") else { throw ServiceError.invalid(field: "indicator", message: "choose an indicator") }
        let rows = try await app.index.losses(unit: unit, period: period, indicator: indicator, after: req.query("after"), limit: 200, by: actor)
        let m = app.index.methodologyInForce
        let q = "unit=\(enc(unit))&amp;period=\(enc(period.description))&amp;indicator=\(enc(indicator))"
        var html = """
            <p><a href="/dashboard?unit=\(enc(unit))&amp;period=\(enc(period.description))">← Bảng điều hành</a></p>
            <h1>Hồ sơ mất điểm: \(Page.esc(indicator)) \(Page.esc(m.indicator(indicator)?.name ?? ""))</h1>
            <p>\(Page.esc(units[unit]?.name ?? unit)) · \(Page.esc(periodName(period))) · \(rows.count)\(rows.count == 200 ? "+" : "") hồ sơ</p>
            <table><thead><tr><th>Mã hồ sơ</th><th>Lý do</th><th>Thủ tục</th><th>Tiếp nhận</th><th>Hẹn trả</th><th>Đang ở</th><th>Người xử lý</th></tr></thead><tbody>
            """
        for l in rows {
            html += """
                <tr><td><code>\(Page.esc(l.code))</code></td><td>\(Page.esc(l.reasonText))</td><td>\(Page.esc(l.procedureCode))</td>
                <td>\(l.receivedAt.map(FormValues.dateTime).map(Page.esc) ?? "")</td><td>\(l.dueAt.map(FormValues.dateTime).map(Page.esc) ?? "")</td>
                <td>\(Page.esc(units[l.handlingUnit]?.name ?? l.handlingUnit))</td><td>\(Page.esc(l.assignee ?? "—"))</td></tr>
                """
        }
        html += "</tbody></table>\(downloads(q, table: "losses"))"
        if rows.count == 200, let last = rows.last { html += "<p><a href=\"/dashboard/losses?\(q)&amp;after=\(enc(last.code))\">Trang sau →</a></p>" }
        return Page.response(title: "Hồ sơ mất điểm \(indicator)", body: html, wide: true)
    }

    static func officials(_ req: Request, actor: Actor, app: MotCua) async throws -> Response {
        let (unit, period, units) = try await request(req, actor: actor, app: app)
        let rows = try await app.index.officials(unit: unit, period: period, by: actor)
        let q = "unit=\(enc(unit))&amp;period=\(enc(period.description))"
        var html = """
            <p><a href="/dashboard?\(q)">← Bảng điều hành</a></p>
            <h1>Kết quả theo cán bộ, công chức</h1>
            <p>\(Page.esc(units[unit]?.name ?? unit)) · \(Page.esc(periodName(period))) · hồ sơ tiếp nhận trong kỳ. Định mức: \(fmt(rows.first?.norm ?? 0)) hồ sơ trong kỳ.</p>
            <table><thead><tr><th>Cán bộ</th><th>Đơn vị</th><th>Tiếp nhận</th><th>Số hóa đầy đủ</th><th>Giải quyết</th><th>Đúng hạn</th><th>So với định mức</th></tr></thead><tbody>
            """
        for o in rows {
            html += """
                <tr><td>\(Page.esc(o.fullName)) <span class="muted">(\(Page.esc(o.username)))</span></td><td>\(Page.esc(o.unit.flatMap { units[$0]?.name } ?? ""))</td>
                <td class="num">\(o.received)</td><td class="num">\(o.digitizationRate.map { "\(fmt($0)) %" } ?? "—")</td>
                <td class="num">\(o.handled)</td><td class="num">\(o.onTimeRate.map { "\(fmt($0)) %" } ?? "—")</td><td class="num">\(fmt(o.normShare)) %</td></tr>
                """
        }
        html += "</tbody></table>\(downloads(q, table: "officials"))"
        return Page.response(title: "Kết quả theo cán bộ", body: html, wide: true)
    }

    // MARK: Export

    /// Any table of the dashboard as CSV or XLSX: `table=indicators|ranking|losses`, `format=csv|xlsx`.
    static func export(_ req: Request, actor: Actor, app: MotCua) async throws -> Response {
        let (unit, period, units) = try await request(req, actor: actor, app: app)
        let m = app.index.methodologyInForce
        let sheet: Spreadsheet
        switch req.query("table") ?? "indicators" {
        case "indicators":
            let r = try await app.index.report(unit: unit, period: period, by: actor)
            sheet = Spreadsheet(
                name: "Chỉ tiêu \(period)", header: ["Nhóm", "Mã", "Chỉ tiêu", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Điểm", "Điểm tối đa", "Chưa chắc chắn"],
                rows: r.score.groups.flatMap { g in
                    g.indicators.map { i in
                        [
                            .text(m.groups.first { $0.id == g.id }?.name ?? g.id), .text(i.id), .text(m.indicator(i.id)?.name ?? i.id), .int(i.numerator),
                            .int(i.denominator), .double(i.ratio), .double(i.score), .number(i.ceiling), .text(i.uncertain ? "có" : ""),
                        ]
                    }
                })
        case "ranking":
            let rows = try await app.index.ranking(unit: unit, period: period, by: actor)
            sheet = Spreadsheet(
                name: "Xếp hạng \(period)", header: ["Hạng", "Mã đơn vị", "Đơn vị", "Tổng điểm", "Điểm có dữ liệu", "Hồ sơ tiếp nhận"] + m.groups.map(\.name),
                rows: rows.enumerated().map { n, r in
                    [.number(Double(n + 1)), .text(r.unit), .text(r.unitName), .number(r.score.total), .number(r.score.ceilingWithData), .int(r.received)]
                        + r.score.groups.map { .number($0.score) }
                })
        case "officials":
            let rows = try await app.index.officials(unit: unit, period: period, by: actor)
            sheet = Spreadsheet(
                name: "Cán bộ \(period)",
                header: ["Tên đăng nhập", "Họ và tên", "Đơn vị", "Tiếp nhận", "Số hóa đầy đủ", "Tỷ lệ số hóa (%)", "Giải quyết", "Đúng hạn", "Tỷ lệ đúng hạn (%)", "Định mức kỳ", "So với định mức (%)"],
                rows: rows.map { o in
                    [
                        .text(o.username), .text(o.fullName), .text(o.unit.flatMap { units[$0]?.name } ?? ""), .int(o.received), .int(o.digitized),
                        .double(o.digitizationRate), .int(o.handled), .int(o.handledOnTime), .double(o.onTimeRate), .number(o.norm), .number(o.normShare),
                    ]
                })
        case "losses":
            guard let indicator = req.query("indicator") else { throw ServiceError.invalid(field: "indicator", message: "choose an indicator") }
            var all: [IndexService.Loss] = []
            var after: String?
            // Every page (a unit's losses in a period are thousands at most).
            while true {
                let page = try await app.index.losses(unit: unit, period: period, indicator: indicator, after: after, limit: 1000, by: actor)
                all += page
                guard page.count == 1000 else { break }
                after = page.last?.code
            }
            sheet = Spreadsheet(
                name: "Mất điểm \(indicator)", header: ["Mã hồ sơ", "Lý do", "Thủ tục", "Tiếp nhận", "Hẹn trả", "Đơn vị đang giữ", "Người xử lý"],
                rows: all.map { l in
                    [
                        .text(l.code), .text(l.reasonText), .text(l.procedureCode), .text(l.receivedAt.map(FormValues.dateTime) ?? ""),
                        .text(l.dueAt.map(FormValues.dateTime) ?? ""), .text(units[l.handlingUnit]?.name ?? l.handlingUnit), .text(l.assignee ?? ""),
                    ]
                })
        default:
            throw ServiceError.invalid(field: "table", message: "table is indicators, ranking, officials or losses")
        }
        let xlsx: Bool
        switch req.query("format") ?? "csv" {
        case "csv": xlsx = false
        case "xlsx": xlsx = true
        default: throw ServiceError.invalid(field: "format", message: "format is csv or xlsx")
        }
        let data = xlsx ? sheet.xlsx() : sheet.csv()
        var headers = HTTPFields()
        headers[.contentType] = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8"
        let file = "chi-so-766-\(req.query("table") ?? "indicators")-\(unit)-\(period).\(xlsx ? "xlsx" : "csv")"
        headers[.contentDisposition] = "attachment; filename=\"\(file)\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func downloads(_ query: String, table: String) -> String {
        "<p class=\"muted\">Tải về: <a href=\"/dashboard/export?\(query)&amp;table=\(table)&amp;format=xlsx\">XLSX</a> · <a href=\"/dashboard/export?\(query)&amp;table=\(table)&amp;format=csv\">CSV</a></p>"
    }

    // MARK: Charts (SVG, drawn here)

    /// One bar per group: score over ceiling, with the target as a mark.
    static func groupChart(_ r: IndexService.Report, methodology m: IndexMethodology) -> String {
        let rowHeight = 28.0
        let width = 640.0
        let label = 220.0
        let barWidth = width - label - 90
        var svg = "<svg role=\"img\" aria-label=\"Điểm theo nhóm chỉ số\" viewBox=\"0 0 \(Int(width)) \(Int(rowHeight * Double(r.score.groups.count) + 8))\" width=\"100%\">"
        for (i, g) in r.score.groups.enumerated() {
            let y = Double(i) * rowHeight + 4
            let share = g.ceiling > 0 ? min(1, g.score / g.ceiling) : 0
            let name = m.groups.first { $0.id == g.id }?.name ?? g.id
            svg += "<text x=\"0\" y=\"\(y + 17)\" font-size=\"13\">\(Page.esc(name))</text>"
            svg += "<rect x=\"\(label)\" y=\"\(y + 4)\" width=\"\(barWidth)\" height=\"18\" fill=\"#e6e6e6\"/>"
            svg += "<rect x=\"\(label)\" y=\"\(y + 4)\" width=\"\(fmt(barWidth * share))\" height=\"18\" fill=\"#0b4fa0\"/>"
            if let t = r.groupTargets[g.id], g.ceiling > 0 {
                let x = label + barWidth * min(1, t / g.ceiling)
                svg += "<line x1=\"\(fmt(x))\" x2=\"\(fmt(x))\" y1=\"\(y)\" y2=\"\(y + 26)\" stroke=\"#b00020\" stroke-width=\"2\"><title>Mục tiêu \(fmt(t))</title></line>"
            }
            svg += "<text x=\"\(label + barWidth + 8)\" y=\"\(y + 17)\" font-size=\"13\">\(fmt(g.score))/\(fmt(g.ceiling))</text>"
        }
        return svg + "</svg>"
    }

    /// Totals of the last twelve months as columns.
    static func trendChart(_ months: [(String, Double, Int)]) -> String {
        let (width, height, top) = (640.0, 180.0, 100.0)
        let step = width / Double(max(1, months.count))
        var svg = "<svg role=\"img\" aria-label=\"Tổng điểm theo tháng\" viewBox=\"0 0 \(Int(width)) \(Int(height + 40))\" width=\"100%\">"
        for (i, (label, total, received)) in months.enumerated() {
            let h = height * min(1, total / top)
            let x = Double(i) * step + 6
            svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(height - h + 16))\" width=\"\(fmt(step - 12))\" height=\"\(fmt(h))\" fill=\"\(received == 0 ? "#cccccc" : "#0b4fa0")\"><title>\(label): \(fmt(total)) điểm, \(received) hồ sơ</title></rect>"
            if received > 0 { svg += "<text x=\"\(fmt(x + (step - 12) / 2))\" y=\"\(fmt(height - h + 12))\" font-size=\"11\" text-anchor=\"middle\">\(fmt(total))</text>" }
            svg += "<text x=\"\(fmt(x + (step - 12) / 2))\" y=\"\(Int(height + 32))\" font-size=\"11\" text-anchor=\"middle\">\(label.suffix(5))</text>"
        }
        return svg + "</svg>"
    }

    // MARK: Helpers

    static func unitOptions(_ units: [String: AdministrativeUnit], selected: String) -> String {
        let order: [UnitKind] = [.province, .department, .commune, .centre, .branch]
        return units.values.sorted { (order.firstIndex(of: $0.kind) ?? 9, $0.name) < (order.firstIndex(of: $1.kind) ?? 9, $1.name) }.map { u in
            "<option value=\"\(Page.esc(u.code))\"\(u.code == selected ? " selected" : "")>\(Page.esc(u.name))</option>"
        }.joined()
    }

    static func periodName(_ p: IndexPeriod) -> String {
        switch p.kind {
        case .month: "tháng \(p.number)/\(p.year)"
        case .quarter: "quý \(p.number)/\(p.year)"
        case .year: "năm \(p.year)"
        }
    }

    static func fmt(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(format: "%.2f", r)
    }

    static func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? s }
}

/// `application/x-www-form-urlencoded` bodies of the pages' forms.
enum Form {
    static func decode(_ req: Request, limit: Int = 64 << 10) async throws -> [String: String] {
        var body = try await req.body.collect(upTo: limit)
        let text = body.readString(length: body.readableBytes) ?? ""
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let k = kv.first { out[k] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }
}
