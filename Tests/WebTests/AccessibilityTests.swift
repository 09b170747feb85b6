// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Services
import Testing
import Web

/// Every page, for every role that sees it, in both languages: one `lang`, one h1, a label for
/// every form control, an alt text for every image, the anti-forgery token in every POST form.
@Suite("Accessibility of every page")
struct AccessibilityTests {
    /// The problems of one page.
    static func problems(_ html: String) -> [String] {
        var out: [String] = []
        let tags = html.matches(of: /<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/)
        func attrs(_ s: Substring) -> [String: String] {
            var a: [String: String] = [:]
            for m in s.matches(of: /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/) { a[String(m.output.1).lowercased()] = m.output.2.map(String.init) ?? "" }
            return a
        }
        var labelled: Set<String> = []
        var controls: [(String, String?)] = []
        var inLabel = 0
        var h1 = 0
        var lang = false
        var inPostForm = false
        var postFormHasToken = false
        for t in tags {
            let closing = !t.output.1.isEmpty
            let name = t.output.2.lowercased()
            let a = attrs(t.output.3)
            // What the Content-Security-Policy would block (and the console would report).
            if a["style"] != nil { out.append("an inline style on <\(name)> (the CSP allows only motcua.css)") }
            if name == "script" || a.keys.contains(where: { $0.hasPrefix("on") }) { out.append("a script in <\(name)> (the CSP allows none)") }
            if closing {
                if name == "label" { inLabel = max(0, inLabel - 1) }
                if name == "form", inPostForm {
                    if !postFormHasToken { out.append("a POST form without the anti-forgery token") }
                    inPostForm = false
                }
                continue
            }
            switch name {
            case "html": lang = !(a["lang"] ?? "").isEmpty
            case "h1": h1 += 1
            case "label":
                inLabel += 1
                if let f = a["for"] { labelled.insert(f) }
            case "img": if a["alt"] == nil { out.append("img without alt: \(a["src"] ?? "")") }
            case "form":
                inPostForm = a["method"]?.lowercased() == "post"
                postFormHasToken = false
            case "input", "select", "textarea":
                if a["name"] == "_csrf" { postFormHasToken = true }
                let kind = a["type"] ?? "text"
                if ["hidden", "submit", "button"].contains(kind) || inLabel > 0 || a["aria-label"] != nil || a["aria-labelledby"] != nil { continue }
                controls.append((name, a["id"]))
            default: break
            }
        }
        for (tag, id) in controls where id == nil || !labelled.contains(id!) { out.append("\(tag) id=\(id ?? "none") has no label") }
        if !lang { out.append("html without lang") }
        if h1 != 1 { out.append("\(h1) h1 elements") }
        return out
    }

    @Test("every page, every role, Vietnamese and English", arguments: [TestDB.sqlite])
    func pages(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let unit = TestApp.tanLap
            let (officer, specialist, leader) = (TestApp.officer(unit), TestApp.specialist(unit), TestApp.leader(unit))
            var d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: officer)
            for (a, who, input) in [(DossierAction.assign, officer, ActionInput()), (.assign, leader, .init(assignee: specialist.username))] {
                d = try await t.app.dossiers.act(code: d.dossier.code, action: a, input: input, expectedVersion: d.dossier.version, by: who)
            }
            let code = d.dossier.code
            let online = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .online, receivingUnit: unit, applicant: TestApp.applicant()), by: TestApp.citizen)
            let petition = try await t.app.petitions.file(
                PetitionService.Request(petitionClass: .procedure, dossierCode: code, petitioner: Petitioner(fullName: "Phạm Thị Hoa", phone: "0912345678"), content: "Hỏi tiến độ"),
                proof: .phone("0912345678"))
            let (router, _) = buildRouter(app: t.app)
            try await Application(router: router).test(.router) { client in
                let api = API(client: client)
                let pages: [(String?, [String])] = [
                    (nil, ["/", "/thu-tuc", "/thu-tuc?q=ket+hon", "/thu-tuc/1.001193", "/tra-cuu", "/tra-cuu/\(code)", "/xac-minh", "/phan-anh",
                           "/phan-anh/cong-khai", "/phan-anh/\(petition.code)", "/dang-nhap"]),
                    ("citizen", ["/cong-dan", "/cong-dan/truy-cap", "/thu-tuc/1.001193/nop", "/ho-so/\(online.dossier.code)", "/ho-so/\(code)"]),
                    ("motcua.0002003h99", ["/quay", "/quay/tiep-nhan", "/quay/tiep-nhan?thu-tuc=1.001193", "/ho-so/\(online.dossier.code)"]),
                    ("chuyenvien.0002003h99", ["/viec-cua-toi", "/ho-so/\(code)", "/phan-anh-xu-ly", "/phan-anh-xu-ly/\(petition.code)", "/tim-kiem?q=hoa", "/viec-cua-toi?loc=qua-han"]),
                    ("lanhdao.0002003h99", ["/viec-cua-toi", "/ho-so/\(code)", "/dashboard", "/dashboard/losses?indicator=2.1", "/dashboard/officials"]),
                    ("admin", ["/quan-tri", "/tai-khoan", "/quan-tri/nhat-ky", "/quan-tri/nhat-ky?so-dinh-danh=001190012345", "/quan-tri/nhat-ky?ma-ho-so=\(code)"]),
                ]
                var clean = 0
                for (user, paths) in pages {
                    var cookie: String?
                    if let user { cookie = try await api.session(user) }
                    for path in paths {
                        for lang in ["vi", "en"] {
                            let uri = path + (path.contains("?") ? "&" : "?") + "lang=\(lang)"
                            let page = try await api.page(uri, cookie: cookie)
                            #expect(page.status == .ok, "\(user ?? "public") \(uri): \(page.status)")
                            #expect(page.text.contains("<html lang=\"\(lang)\""), "\(user ?? "public") \(uri): not in \(lang)")
                            let found = Self.problems(page.text)
                            #expect(found.isEmpty, "\(user ?? "public") \(uri): \(found)")
                            if page.status == .ok, page.text.contains("<html lang=\"\(lang)\""), found.isEmpty { clean += 1 }
                        }
                    }
                }
                #expect(clean == pages.reduce(0) { $0 + $1.1.count } * 2, "every rendering passes")
            }
        }
    }

    @Test("the checker finds what it looks for")
    func checker() {
        #expect(Self.problems(#"<html lang="vi"><h1>A</h1><label for="a">A</label><input id="a" name="a"></html>"#).isEmpty)
        #expect(Self.problems(#"<html><h1>A</h1></html>"#) == ["html without lang"])
        #expect(Self.problems(#"<html lang="vi"><h1>A</h1><input id="b" name="b"><img src="x.png"></html>"#).count == 2)
        #expect(Self.problems(#"<html lang="vi"><h1>A</h1><form method="post"><label>X <input name="x"></label></form></html>"#) == ["a POST form without the anti-forgery token"])
    }
}
