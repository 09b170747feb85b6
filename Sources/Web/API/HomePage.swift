// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import NIOCore
import Services

/// A small Vietnamese landing page at `/`, so a person opening the server in a browser sees
/// what is running and where to go. (The full web application is built on the same routes later.)
enum HomePage {
    static func render(app: MotCua) async throws -> Response {
        let units = try await app.catalog.units()
        let procedures = try await app.catalog.procedures()
        let today = VietnamTime.date(of: app.clock.now())
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var rows = ""
        for p in procedures.prefix(60) {
            let v = p.version(on: today)
            let time = v.map { t in
                let unit = switch t.processingTime.unit {
                case .workingDays: "ngày làm việc"
                case .workingHours: "giờ làm việc"
                case .calendarDays: "ngày"
                }
                return "\(t.processingTime.amount) \(unit)"
            } ?? "—"
            let fee = v.map { $0.totalFee == 0 ? "Không thu" : "\($0.totalFee.formatted(.number.grouping(.automatic).locale(Locale(identifier: "vi_VN")))) ₫" } ?? "—"
            rows += "<tr><td>\(esc(p.code))</td><td>\(esc(p.name))</td><td>\(esc(p.field.name))</td><td>\(time)</td><td>\(fee)</td></tr>\n"
        }
        let html = """
            <!doctype html>
            <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>MotCua – Hệ thống thông tin giải quyết thủ tục hành chính</title>
            <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
            table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.35rem;text-align:left;vertical-align:top}
            a{color:#0b4fa0}</style></head><body>
            <h1>MotCua – Một cửa</h1>
            <p>Hệ thống thông tin giải quyết thủ tục hành chính cấp tỉnh. \(units.count) đơn vị, \(procedures.count) thủ tục hành chính.</p>
            <ul>
            <li><a href="/dashboard">Bảng điều hành chỉ số phục vụ người dân, doanh nghiệp (lãnh đạo, quản trị)</a></li>
            <li><a href="/xac-minh">Xác minh văn bản ký số</a></li>
            <li><a href="/api/v1/openapi.json">Tài liệu API (OpenAPI 3.1)</a></li>
            <li><a href="/api/v1/procedures">Danh mục thủ tục hành chính (JSON)</a></li>
            <li><a href="/api/v1/calendar/holidays?year=\(today.year)">Ngày nghỉ lễ năm \(today.year)</a></li>
            <li><a href="/healthz">Tình trạng hệ thống</a></li>
            </ul>
            <h2>Thủ tục hành chính</h2>
            <table><thead><tr><th>Mã</th><th>Tên thủ tục</th><th>Lĩnh vực</th><th>Thời hạn</th><th>Phí, lệ phí</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            </body></html>
            """
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
