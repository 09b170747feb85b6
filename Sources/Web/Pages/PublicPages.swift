// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import Services
import Signing
import Storage

/// Pages anyone may open without an account: the result page behind the QR code, verification
/// of a signed PDF, and tracking a dossier by code and phone. Citizens must never be asked for
/// paper to prove a signed document: these pages are how anyone checks one.
enum PublicPages {
    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/ket-qua/{id}") { _, ctx in
            let id = try ctx.path("id")
            guard let (r, code) = try? await app.results.publicStatus(id: id) else {
                return Page.response(
                    title: "Không tìm thấy kết quả", body: "<h1>Không tìm thấy kết quả</h1><p>Mã <code>\(Page.esc(id))</code> không tương ứng với kết quả nào do hệ thống cấp.</p>",
                    status: .notFound)
            }
            return Page.response(title: r.title, body: resultSection(r, code: code, heading: true))
        }
        router.get("/xac-minh") { req, ctx in
            let ui = UI(req, ctx)
            return Page.response(title: "Xác minh văn bản ký số", body: verifyForm(nil, ui: ui), ui: ui)
        }
        router.post("/xac-minh") { req, ctx in
            let ui = UI(req, ctx)
            let bytes = try await uploadedPDF(req, limit: app.config.maxUploadBytes)
            guard let bytes else {
                return Page.response(title: "Xác minh văn bản ký số", body: verifyForm("Hãy chọn một tệp PDF (tệp phải bắt đầu bằng %PDF-).", ui: ui), status: .badRequest, ui: ui)
            }
            let report = try app.signatures.verify(bytes)
            let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            let registered = try await app.results.registered(sha256: sha)
            return Page.response(title: "Kết quả xác minh", body: reportHTML(report, sha256: sha, registered: registered, app: app) + verifyForm(nil, ui: ui, again: true), ui: ui)
        }
        router.get("/tra-cuu/{code}") { req, ctx in
            let ui = UI(req, ctx)
            let code = try ctx.path("code")
            let phone = Form.query(req, "dt")
            var body = "<h1>Tra cứu hồ sơ <code>\(Page.esc(code))</code></h1>"
            if let phone, let t = try await app.results.track(code: code, phone: phone) {
                body += trackingHTML(t)
                if [DossierStatus.processed, .returned].contains(t.status) { body += ratingForm(code: code, phone: phone, ui: ui) }
                body += "<p><a href=\"/phan-anh?ma=\(Page.esc(code))\">Gửi phản ánh, kiến nghị về hồ sơ này</a></p>"
            } else if phone != nil {
                body += "<p class=\"bad\" role=\"alert\">Mã hồ sơ và số điện thoại không khớp với hồ sơ nào.</p>"
            }
            body += """
                <form method="get" action="/tra-cuu/\(Page.esc(code))">
                <label for="dt">Số điện thoại đã khai khi nộp hồ sơ</label>
                <input id="dt" name="dt" type="tel" inputmode="tel" autocomplete="tel" required>
                <button type="submit">Tra cứu</button></form>
                """
            return Page.response(title: "Tra cứu hồ sơ \(code)", body: body, ui: ui)
        }
        router.post("/tra-cuu/{code}/danh-gia") { req, ctx in
            let code = try ctx.path("code")
            let form = try await Form.decode(req)
            let rating = DossierRating(
                timeOK: form["thoi-gian"] == "1", attitudeOK: form["thai-do"] == "1", resultOK: form["ket-qua"] == "1", comment: form["y-kien"])
            guard ["thoi-gian", "thai-do", "ket-qua"].allSatisfy({ form[$0] == "0" || form[$0] == "1" }) else {
                return Page.response(title: "Đánh giá", body: "<p class=\"bad\" role=\"alert\">Vui lòng trả lời cả ba câu hỏi.</p>", status: .badRequest)
            }
            do {
                _ = try await app.ratings.rate(code: code, rating, proof: .phone(form["dt"] ?? ""))
            } catch let e as ServiceError {
                let text: String
                switch e {
                case .notFound: text = "Mã hồ sơ và số điện thoại không khớp với hồ sơ nào."
                case .invalid(let field, _) where field == "comment": text = "Ý kiến dài quá \(DossierRating.maxComment) ký tự."
                default: text = "Hồ sơ chỉ được đánh giá khi đã có kết quả."
                }
                return Page.response(title: "Đánh giá", body: "<h1>Đánh giá</h1><p class=\"bad\" role=\"alert\">\(Page.esc(text))</p>", status: .badRequest)
            }
            return Page.response(
                title: "Cảm ơn",
                body: "<h1>Cảm ơn ông/bà đã đánh giá</h1><p>Ý kiến của ông/bà về hồ sơ <code>\(Page.esc(code))</code> đã được ghi nhận và được dùng để đánh giá chất lượng phục vụ.</p>")
        }
    }

    /// The satisfaction form (indicator 5.4) under the tracking details, once the result is ready.
    static func ratingForm(code: String, phone: String, ui: UI) -> String {
        func question(_ name: String, _ text: String) -> String {
            """
            <fieldset><legend>\(text)</legend>
            <label><input type="radio" name="\(name)" value="1" required> Hài lòng</label>
            <label><input type="radio" name="\(name)" value="0"> Không hài lòng</label></fieldset>
            """
        }
        return """
            <section><h2>Đánh giá mức độ hài lòng</h2>
            <form method="post" action="/tra-cuu/\(Page.esc(code))/danh-gia">\(ui.csrfInput)
            <input type="hidden" name="dt" value="\(Page.esc(phone))">
            \(question("thoi-gian", "Thời gian giải quyết hồ sơ"))
            \(question("thai-do", "Thái độ của cán bộ, công chức"))
            \(question("ket-qua", "Kết quả giải quyết"))
            <label for="y-kien">Ý kiến khác (không bắt buộc)</label>
            <textarea id="y-kien" name="y-kien" maxlength="\(DossierRating.maxComment)" rows="3" style="width:100%"></textarea>
            <button type="submit">Gửi đánh giá</button>
            </form></section>
            """
    }

    /// The PDF in a browser form (multipart, part "file") or sent raw as application/pdf.
    static func uploadedPDF(_ req: Request, limit: Int) async throws -> Data? {
        let header = req.headers[.contentType] ?? ""
        let type = header.lowercased()
        let body: ByteBuffer
        do { body = try await req.body.collect(upTo: limit + 64 * 1024) } catch {
            throw Problem.from(.tooLarge("the PDF is larger than the limit of \(limit >> 20) MB"))
        }
        var bytes = Data(body.readableBytesView)
        if type.hasPrefix("multipart/form-data") {
            // The boundary keeps its case (browsers' are mixed-case).
            guard let boundary = MultipartUpload.parameter("boundary", in: header) else { return nil }
            // The whole body is already in memory (bounded above): collect the "file" part.
            let parser = MultipartParser(boundary: boundary)
            final class Collector: @unchecked Sendable {
                var disposition = ""
                var file = Data()
                var token = Data()
            }
            let c = Collector()
            parser.onHeader = { name, value in if name.lowercased() == "content-disposition" { c.disposition = value } }
            parser.onBody = { buffer in
                switch MultipartUpload.parameter("name", in: c.disposition) {
                case "file": c.file.append(contentsOf: buffer.readableBytesView)
                case UI.csrfField: c.token.append(contentsOf: buffer.readableBytesView)
                default: break
                }
            }
            parser.onPartComplete = { c.disposition = "" }
            do { try parser.execute(body) } catch { return nil }
            // A browser form: it must carry this browser's anti-forgery token.
            try Form.checkToken(String(decoding: c.token, as: UTF8.self), req)
            bytes = c.file
        }
        return bytes.starts(with: Array("%PDF-".utf8)) ? bytes : nil
    }

    static func verifyForm(_ error: String?, ui: UI, again: Bool = false) -> String {
        """
        \(again ? "<h2>Xác minh văn bản khác</h2>" : "<h1>Xác minh văn bản ký số</h1>")
        <p>Chọn tệp PDF (giấy tiếp nhận, kết quả giải quyết, bản số hóa…) để kiểm tra chữ ký số: ai ký, chứng thư có được tin cậy không, nội dung có bị sửa sau khi ký không.</p>
        \(error.map { "<p class=\"bad\" role=\"alert\">\(Page.esc($0))</p>" } ?? "")
        <form method="post" action="/xac-minh" enctype="multipart/form-data">\(ui.csrfInput)
        <label for="file">Tệp PDF</label><input id="file" name="file" type="file" accept="application/pdf" required>
        <button type="submit">Xác minh</button></form>
        <p>Chứng thư gốc được tin cậy: <a href="/api/v1/pki/trust-anchors">tải về (PEM)</a> để kiểm tra bằng công cụ của bạn.</p>
        """
    }

    static func resultSection(_ r: StoredResult, code: String, heading: Bool) -> String {
        let (label, css) = switch r.status {
        case .valid: ("Còn hiệu lực", "ok")
        case .revoked: ("Đã bị thu hồi", "bad")
        case .superseded: ("Đã được thay thế bằng văn bản khác", "warn")
        }
        var html = heading ? "<h1>\(Page.esc(r.title))</h1>" : "<h2>\(Page.esc(r.title))</h2>"
        html += """
            <p>Trạng thái: <span class="\(css)">\(label)</span></p>
            <dl>
            <dt>Cơ quan cấp</dt><dd>\(Page.esc(r.issuer))</dd>
            <dt>Mã hồ sơ</dt><dd>\(Page.esc(code))</dd>
            <dt>Ngày cấp</dt><dd>\(Page.esc(SharedFormat.iso(r.issuedAt)))</dd>
            <dt>Người ký</dt><dd>\(r.signers.isEmpty ? "Chưa ký số" : r.signers.map(Page.esc).joined(separator: ", "))</dd>
            <dt>Mã băm SHA-256 đã đăng ký</dt><dd><code>\(r.sha256)</code></dd>
            """
        if let at = r.statusChangedAt, r.status != .valid {
            html += "<dt>Thời điểm thay đổi</dt><dd>\(Page.esc(SharedFormat.iso(at)))</dd>"
        }
        if let why = r.statusReason, r.status != .valid { html += "<dt>Lý do</dt><dd>\(Page.esc(why))</dd>" }
        if let next = r.supersededBy { html += "<dt>Văn bản thay thế</dt><dd><a href=\"/ket-qua/\(Page.esc(next))\">\(Page.esc(next))</a></dd>" }
        html += "</dl>"
        if heading {
            html += "<p>Để chắc chắn tệp bạn đang giữ đúng là văn bản này, <a href=\"/xac-minh\">xác minh tệp PDF</a>: mã băm của tệp phải trùng với mã băm trên.</p>"
        }
        return html
    }

    static func reportHTML(_ report: VerificationReport, sha256: String, registered: [StoredResult], app: MotCua) -> String {
        var html = "<h1>Kết quả xác minh</h1>"
        if report.signatures.isEmpty {
            html += "<p class=\"bad\">Tệp không có chữ ký số.</p>"
        } else if report.valid {
            html += "<p class=\"ok\">Hợp lệ: tất cả \(report.signatures.count) chữ ký số còn nguyên vẹn và được tin cậy.</p>"
        } else {
            html += "<p class=\"bad\">Không hợp lệ.</p><ul>" + report.reasons.map { "<li>\(Page.esc($0))</li>" }.joined() + "</ul>"
        }
        html += "<p>Mã băm SHA-256 của tệp: <code>\(sha256)</code></p>"
        for r in registered {
            html += "<section><p>Tệp này đúng là văn bản do hệ thống cấp:</p>\(resultSection(r, code: "", heading: false).replacingOccurrences(of: "<dt>Mã hồ sơ</dt><dd></dd>", with: ""))<p><a href=\"/ket-qua/\(r.id)\">Trang kết quả</a></p></section>"
        }
        for (i, s) in report.signatures.enumerated() {
            func yes(_ b: Bool, _ good: String, _ bad: String) -> String { b ? "<span class=\"ok\">\(good)</span>" : "<span class=\"bad\">\(bad)</span>" }
            html += """
                <section><h2>Chữ ký \(i + 1)\(s.signerName.map { ": \(Page.esc($0))" } ?? "")</h2><dl>
                <dt>Người ký</dt><dd>\(Page.esc(s.signerCertificateSubject ?? "—"))</dd>
                <dt>Cấp bởi</dt><dd>\(Page.esc(s.issuer ?? "—"))</dd>
                <dt>Chuỗi chứng thư</dt><dd>\(s.chain.map(Page.esc).joined(separator: " → "))</dd>
                <dt>Tin cậy</dt><dd>\(yes(s.trusted, "Có, đến chứng thư gốc được cấu hình", "Không đến được chứng thư gốc tin cậy"))</dd>
                <dt>Thời điểm ký (khai báo)</dt><dd>\(Page.esc(s.signingTime ?? "—"))</dd>
                <dt>Nội dung đã ký</dt><dd>\(yes(s.intact, "Nguyên vẹn", "Đã bị thay đổi hoặc chữ ký sai"))</dd>
                <dt>Thu hồi chứng thư</dt><dd>\(Page.esc(s.revocation))</dd>
                <dt>Dấu thời gian (TSA)</dt><dd>\(s.timestamp.map { ts in "\(Page.esc(ts.time ?? "?")) – \(Page.esc(ts.authority ?? "?")) – " + (ts.imprintMatches && ts.signatureValid ? (ts.trusted ? "hợp lệ, được tin cậy" : "hợp lệ, TSA chưa được tin cậy") : "<span class=\"bad\">không hợp lệ</span>") } ?? "Không có (thời điểm ký do người ký khai báo)")</dd>
                <dt>Sửa đổi sau khi ký</dt><dd>\(s.modifiedAfter ? (s.laterChangesAllowed == true ? "Chỉ thêm chữ ký, chú thích (được phép)" : "<span class=\"bad\">Có thay đổi nội dung sau khi ký</span>") : "Không")</dd>
                </dl>\(s.reasons.isEmpty ? "" : "<ul>" + s.reasons.map { "<li>\(Page.esc($0))</li>" }.joined() + "</ul>")</section>
                """
        }
        return html
    }

    static func trackingHTML(_ t: PublicTracking) -> String {
        func at(_ d: Date?) -> String { d.map { Page.esc(FormValues.dateTime($0)) } ?? "—" }
        var html = """
            <dl>
            <dt>Thủ tục</dt><dd>\(Page.esc(t.procedureName))</dd>
            <dt>Trạng thái</dt><dd>\(Page.esc(t.status.vietnameseName))</dd>
            <dt>Nơi tiếp nhận</dt><dd>\(Page.esc(t.receivingUnit))</dd>
            <dt>Cơ quan giải quyết</dt><dd>\(Page.esc(t.handlingUnit))</dd>
            <dt>Ngày tiếp nhận</dt><dd>\(at(t.receivedAt))</dd>
            <dt>Hẹn trả kết quả</dt><dd>\(at(t.dueAt))</dd>
            <dt>Có kết quả</dt><dd>\(at(t.finishedAt))</dd>
            <dt>Đã trả kết quả</dt><dd>\(at(t.returnedAt))</dd>
            </dl>
            """
        if let id = t.resultId { html += "<p><a href=\"/ket-qua/\(Page.esc(id))\">Kết quả điện tử đã ký số</a></p>" }
        return html
    }
}
