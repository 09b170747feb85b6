// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services

/// Public pages for petitions and feedback (phản ánh, kiến nghị): send one (about a dossier, a
/// procedure or an official), follow it with its code and the phone number given, add what the
/// unit asked for, vote on the published answer, read published answers. No account needed.
enum PetitionPages {
    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/phan-anh") { req, ctx in
            let ui = UI(req, ctx)
            let units = try await app.catalog.units()
            var values: [String: String] = ["loai": "procedure"]
            if let code = Form.query(req, "ma") { values["ma-ho-so"] = code }
            if let earlier = req.query("phan-anh-lai") { values["phan-anh-lai"] = earlier }
            return Page.response(title: "Gửi phản ánh, kiến nghị", body: form(values: values, errors: [:], units: units, ui: ui), ui: ui)
        }
        router.post("/phan-anh") { req, ctx in
            let ui = UI(req, ctx)
            let f = try await Form.decode(req)
            let units = try await app.catalog.units()
            var errors: [String: String] = [:]
            let cls = PetitionClass(rawValue: f["loai"] ?? "")
            if cls == nil { errors["loai"] = "Chọn nội dung phản ánh." }
            let request = PetitionService.Request(
                petitionClass: cls ?? .procedure, dossierCode: f["ma-ho-so"], official: f["can-bo"], unit: f["don-vi"],
                petitioner: Petitioner(fullName: f["ho-ten"] ?? "", phone: f["dt"] ?? "", email: f["email"]), content: f["noi-dung"] ?? "",
                recomplaintOf: f["phan-anh-lai"])
            if errors.isEmpty {
                do {
                    let p = try await app.petitions.file(request, proof: .phone(f["dt"] ?? ""))
                    return Page.response(title: "Đã gửi phản ánh \(p.code)", body: receipt(p), ui: ui)
                } catch let e as ServiceError {
                    guard case .invalid(let field, let message) = e else { throw e }
                    errors[fieldName[field] ?? "noi-dung"] = vietnamese(field: field, message: message)
                }
            }
            return Page.response(title: "Gửi phản ánh, kiến nghị", body: form(values: f, errors: errors, units: units, ui: ui), status: .badRequest, ui: ui)
        }
        router.get("/phan-anh/cong-khai") { _, _ in
            let items = try await app.petitions.published(limit: 50)
            var body = "<h1>Kết quả xử lý phản ánh, kiến nghị đã công khai</h1>"
            if items.isEmpty { body += "<p>Chưa có kết quả nào được công khai.</p>" }
            for p in items {
                body += """
                    <section><h2><code>\(Page.esc(p.code))</code> · \(Page.esc(p.petitionClass.vietnamese))</h2>
                    <p>\(Page.esc(p.content))</p><p><strong>Trả lời:</strong> \(Page.esc(p.answer ?? ""))</p>
                    <p class="muted">Công khai \(p.publishedAt.map { Page.esc(FormValues.dateTime($0)) } ?? "") · \(p.likes) hài lòng · \(p.dislikes) không hài lòng</p></section>
                    """
            }
            return Page.response(title: "Phản ánh, kiến nghị đã công khai", body: body)
        }
        router.get("/phan-anh/{code}") { req, ctx in
            let ui = UI(req, ctx)
            let code = try ctx.path("code")
            return Page.response(title: "Theo dõi phản ánh \(code)", body: "<h1>Phản ánh <code>\(Page.esc(code))</code></h1>" + lookupForm(code: code, error: nil, ui: ui), ui: ui)
        }
        router.post("/phan-anh/{code}") { req, ctx in
            let ui = UI(req, ctx)
            let code = try ctx.path("code")
            let f = try await Form.decode(req)
            let phone = f["dt"] ?? ""
            do {
                var p = try await app.petitions.get(code: code, proof: .phone(phone))
                var notice: String?
                switch f["buoc"] {
                case "bo-sung":
                    p = try await app.petitions.act(code: code, action: .supplement, text: f["bo-sung"], expectedVersion: nil, proof: .phone(phone))
                    notice = "Thông tin bổ sung đã được gửi; thời hạn xử lý được tính tiếp."
                case "like", "dislike":
                    p = try await app.petitions.vote(code: code, PetitionService.Vote(rawValue: f["buoc"]!)!, proof: .phone(phone))
                    notice = "Đánh giá của ông/bà đã được ghi nhận."
                default: break
                }
                guard p.petitioner != nil else { throw ServiceError.notFound(what: "petition", key: code) }
                return Page.response(title: "Phản ánh \(code)", body: details(p, phone: phone, notice: notice, ui: ui), ui: ui)
            } catch let e as ServiceError {
                let text: String
                switch e {
                case .notFound: text = "Mã phản ánh và số điện thoại không khớp."
                case .invalid(let field, let message): text = vietnamese(field: field, message: message)
                case .conflict: text = "Phản ánh đã thay đổi trạng thái; vui lòng xem lại."
                default: throw e
                }
                return Page.response(
                    title: "Phản ánh \(code)", body: "<h1>Phản ánh <code>\(Page.esc(code))</code></h1>" + lookupForm(code: code, error: text, ui: ui), status: .badRequest,
                    ui: ui)
            }
        }
    }

    /// Form fields by the service's field names, for errors shown next to the field.
    static let fieldName = [
        "petitioner.fullName": "ho-ten", "petitioner.phone": "dt", "content": "noi-dung", "dossierCode": "ma-ho-so", "official": "can-bo",
        "unit": "don-vi", "recomplaintOf": "phan-anh-lai", "text": "bo-sung",
    ]

    static func vietnamese(field: String, message: String) -> String {
        switch field {
        case "petitioner.fullName": "Vui lòng nhập họ và tên."
        case "petitioner.phone": "Số điện thoại gồm 9–11 chữ số (có thể bắt đầu bằng +84)."
        case "content": message.hasPrefix("at most") ? "Nội dung dài quá \(Petition.maxContent) ký tự." : "Vui lòng nhập nội dung phản ánh, kiến nghị."
        case "dossierCode":
            message.hasPrefix("no dossier") ? "Không có hồ sơ với mã này." : "Số điện thoại không khớp với số đã khai khi nộp hồ sơ này."
        case "official": message.hasPrefix("no official") ? "Không có cán bộ với tên đăng nhập này." : "Phản ánh về cán bộ cần nêu tên cán bộ hoặc mã hồ sơ."
        case "unit": "Chọn cơ quan, đơn vị (hoặc nhập mã hồ sơ, tên cán bộ)."
        case "recomplaintOf": "Không thể phản ánh lại phản ánh này: \(message)."
        case "text": "Vui lòng nhập thông tin bổ sung."
        case "vote": "Chỉ đánh giá được khi kết quả đã công khai."
        default: message
        }
    }

    static func form(values v: [String: String], errors: [String: String], units: [AdministrativeUnit], ui: UI) -> String {
        func err(_ name: String) -> String {
            errors[name].map { "<p class=\"bad\" id=\"\(name)-loi\" role=\"alert\">\(Page.esc($0))</p>" } ?? ""
        }
        func described(_ name: String) -> String { errors[name] != nil ? " aria-invalid=\"true\" aria-describedby=\"\(name)-loi\"" : "" }
        func input(_ name: String, _ label: String, type: String = "text", required: Bool = false, extra: String = "") -> String {
            """
            <label for="\(name)">\(label)</label>\(err(name))
            <input id="\(name)" name="\(name)" type="\(type)" value="\(Page.esc(v[name] ?? ""))"\(required ? " required" : "")\(extra)\(described(name))>
            """
        }
        let classes = PetitionClass.allCases.map { c in
            "<label><input type=\"radio\" name=\"loai\" value=\"\(c.rawValue)\"\(v["loai"] == c.rawValue ? " checked" : "") required> \(Page.esc(c.vietnamese))</label>"
        }.joined()
        let options = units.sorted { $0.name < $1.name }.map { u in
            "<option value=\"\(Page.esc(u.code))\"\(v["don-vi"] == u.code ? " selected" : "")>\(Page.esc(u.name))</option>"
        }.joined()
        return """
            <h1>Gửi phản ánh, kiến nghị</h1>
            <p>Phản ánh, kiến nghị được xử lý trong \(15) ngày làm việc và kết quả được công khai. Mục có dấu * là bắt buộc.</p>
            <form method="post" action="/phan-anh" novalidate>\(ui.csrfInput)
            <fieldset><legend>Nội dung phản ánh *</legend>\(err("loai"))\(classes)</fieldset>
            \(input("ma-ho-so", "Mã hồ sơ (nếu phản ánh về một hồ sơ)"))
            \(input("can-bo", "Tên đăng nhập của cán bộ (nếu phản ánh về cán bộ)"))
            <label for="don-vi">Cơ quan, đơn vị (khi không có mã hồ sơ)</label>\(err("don-vi"))
            <select id="don-vi" name="don-vi"\(described("don-vi"))><option value="">— Chọn —</option>\(options)</select>
            \(input("ho-ten", "Họ và tên *", required: true, extra: " autocomplete=\"name\""))
            \(input("dt", "Số điện thoại *", type: "tel", required: true, extra: " inputmode=\"tel\" autocomplete=\"tel\""))
            \(input("email", "Thư điện tử", type: "email", extra: " autocomplete=\"email\""))
            <label for="noi-dung">Nội dung *</label>\(err("noi-dung"))
            <textarea id="noi-dung" name="noi-dung" rows="6" maxlength="\(Petition.maxContent)" required style="width:100%"\(described("noi-dung"))>\(Page.esc(v["noi-dung"] ?? ""))</textarea>
            \(v["phan-anh-lai"].map { "<input type=\"hidden\" name=\"phan-anh-lai\" value=\"\(Page.esc($0))\"><p>Phản ánh lại về việc xử lý phản ánh <code>\(Page.esc($0))</code>.</p>\(err("phan-anh-lai"))" } ?? "")
            <button type="submit">Gửi phản ánh</button>
            </form>
            <p><a href="/phan-anh/cong-khai">Xem các kết quả đã công khai</a></p>
            """
    }

    static func receipt(_ p: PetitionService.View) -> String {
        """
        <h1>Đã tiếp nhận phản ánh, kiến nghị</h1>
        <p>Mã phản ánh: <code class="big">\(Page.esc(p.code))</code></p>
        <p>Hạn trả lời: <strong>\(Page.esc(FormValues.dateTime(p.deadlines.handleBy)))</strong>. Ông/bà theo dõi bằng mã phản ánh và số điện thoại đã khai.</p>
        <p><a href="/phan-anh/\(Page.esc(p.code))">Theo dõi phản ánh</a></p>
        """
    }

    static func lookupForm(code: String, error: String?, ui: UI) -> String {
        """
        \(error.map { "<p class=\"bad\" role=\"alert\">\(Page.esc($0))</p>" } ?? "")
        <form method="post" action="/phan-anh/\(Page.esc(code))">\(ui.csrfInput)
        <label for="dt">Số điện thoại đã khai khi gửi phản ánh</label>
        <input id="dt" name="dt" type="tel" inputmode="tel" autocomplete="tel" required>
        <button type="submit">Xem</button></form>
        """
    }

    static func details(_ p: PetitionService.View, phone: String, notice: String?, ui: UI) -> String {
        func at(_ d: Date?) -> String { d.map { Page.esc(FormValues.dateTime($0)) } ?? "—" }
        var html = "<h1>Phản ánh <code>\(Page.esc(p.code))</code></h1>"
        if let notice { html += "<p class=\"ok\" role=\"status\">\(Page.esc(notice))</p>" }
        html += """
            <dl><dt>Trạng thái</dt><dd>\(Page.esc(p.statusText))</dd>
            <dt>Nội dung</dt><dd>\(Page.esc(p.petitionClass.vietnamese))</dd>
            <dt>Tiếp nhận</dt><dd>\(at(p.receivedAt))</dd>
            <dt>Hạn trả lời</dt><dd>\(at(p.deadlines.handleBy))\(p.onTime ? "" : " <span class=\"bad\">(quá hạn)</span>")</dd>
            \(p.dossierCode.map { "<dt>Hồ sơ</dt><dd><code>\(Page.esc($0))</code></dd>" } ?? "")</dl>
            <section><h2>Nội dung</h2><p style="white-space:pre-wrap">\(Page.esc(p.content))</p></section>
            """
        let hidden = "<input type=\"hidden\" name=\"dt\" value=\"\(Page.esc(phone))\">" + ui.csrfInput
        switch p.status {
        case .awaitingSupplement:
            html += """
                <section><h2>Cơ quan đề nghị bổ sung thông tin</h2><p style="white-space:pre-wrap">\(Page.esc(p.answer ?? ""))</p>
                <form method="post" action="/phan-anh/\(Page.esc(p.code))">\(hidden)<input type="hidden" name="buoc" value="bo-sung">
                <label for="bo-sung">Thông tin bổ sung</label><textarea id="bo-sung" name="bo-sung" rows="4" required style="width:100%"></textarea>
                <button type="submit">Gửi bổ sung</button></form></section>
                """
        case .rejected:
            html += "<section><h2>Không xử lý</h2><p style=\"white-space:pre-wrap\">\(Page.esc(p.answer ?? ""))</p></section>"
        case .answered, .published:
            html += "<section><h2>Trả lời</h2><p style=\"white-space:pre-wrap\">\(Page.esc(p.answer ?? ""))</p><p class=\"muted\">Trả lời lúc \(at(p.answeredAt))</p>"
            if p.status == .published {
                html += """
                    <form method="post" action="/phan-anh/\(Page.esc(p.code))">\(hidden)
                    <p>Ông/bà có hài lòng với kết quả xử lý? (\(p.likes) hài lòng · \(p.dislikes) không hài lòng)</p>
                    <button type="submit" name="buoc" value="like">Hài lòng</button> <button type="submit" name="buoc" value="dislike">Không hài lòng</button></form>
                    """
            }
            html += "</section>"
        case .received: break
        }
        if [.rejected, .answered, .published].contains(p.status) {
            html += "<p><a href=\"/phan-anh?phan-anh-lai=\(Page.esc(p.code))\">Phản ánh lại về việc xử lý phản ánh này</a></p>"
        }
        return html
    }
}
