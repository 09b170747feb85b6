// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Services
import Signing
import Testing
import Web

/// Acceptance of electronic results over HTTP: a result signed twice (specialist with ECDSA,
/// leader with RSA) that pdftotext, pdfsig, pyHanko and MotCua all accept; the forms; and the
/// public pages behind the QR codes.
@Suite("Electronic results over the API")
struct ResultAPITests {
    static let unit = TestApp.tanLap

    @Test("approve → a result signed by specialist and leader; every validator accepts it; the QR page shows its status")
    func resultSignedTwice() async throws {
        let start = VietnamTime.instant(LocalDate(year: 2026, month: 11, day: 2)!, minuteOfDay: 9 * 60)
        try await withAPI(.sqlite, at: start) { api, t in
            try await t.app.signatures.initDevelopmentPKI(authorityName: "MotCua Test CA")
            let slug = DemoProvince.slug(Self.unit)
            try await t.app.signatures.issue(username: "lanhdao.\(slug)", algorithm: .rsa2048)
            let (officer, specialist, leader) = (try await api.token("motcua.\(slug)"), try await api.token("chuyenvien.\(slug)"), try await api.token("lanhdao.\(slug)"))
            let created = try await api.call(.post, "/api/v1/dossiers", token: officer, json: [
                "procedureCode": "1.004873", "channel": "window", "receivingUnit": Self.unit,
                "applicant": ["idNumber": "001090012345", "fullName": "Nguyễn Thị Ngọc Ánh", "phone": "0912 345 678"],
            ])
            let code = try #require(created.json["code"] as? String, "\(created.text)")
            var version = created.json["version"] as? Int ?? 0
            func act(_ token: String, _ action: String, _ body: [String: Any] = [:]) async throws -> API.Reply {
                var b = body
                b["version"] = version
                let r = try await api.call(.post, "/api/v1/dossiers/\(code)/actions/\(action)", token: token, json: b)
                if let v = r.json["version"] as? Int { version = v }
                return r
            }
            #expect(try await act(officer, "assign").status == .ok)
            #expect(try await act(leader, "assign", ["assignee": "chuyenvien.\(slug)"]).status == .ok)
            // Approval without the result's data: 400 naming the input, nothing changes.
            let early = try await act(leader, "approve")
            #expect(early.status == .unprocessableContent, "\(early.text)")
            #expect(early.text.contains("result.birthDate"))
            let draft = try await api.call(.put, "/api/v1/dossiers/\(code)/result/draft", token: specialist, json: ["fields": [
                "result.birthDate": "02/09/1995", "result.sex": "Nữ", "result.maritalStatus": "Chưa đăng ký kết hôn với ai",
                "result.purpose": "Đăng ký kết hôn",
            ]])
            #expect(draft.status == .ok && (draft.json["missing"] as? [String]) == [], "\(draft.text)")
            #expect(try await act(leader, "approve").status == .ok)
            // The signed result.
            let result = try await api.call(.get, "/api/v1/dossiers/\(code)/result", token: officer)
            #expect(result.status == .ok && result.contentType == "application/pdf")
            let list = try await api.call(.get, "/api/v1/dossiers/\(code)/results", token: officer)
            let item = try #require((list.json["items"] as? [[String: Any]])?.first)
            let id = try #require(item["id"] as? String)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-result-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("ket-qua.pdf")
            try result.body.write(to: file)
            let text = try await SignatureAPITests.run(["pdftotext", file.path, "-"]).output
            for s in ["GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "Nguyễn Thị Ngọc Ánh", "Chưa đăng ký kết hôn với ai", "Độc lập - Tự do - Hạnh phúc"] {
                #expect(text.contains(s), "missing \(s)")
            }
            let ca = dir.appendingPathComponent("ca.pem")
            try (try await api.call(.get, "/api/v1/pki/trust-anchors")).body.write(to: ca)
            let nss = dir.appendingPathComponent("nss")
            try FileManager.default.createDirectory(at: nss, withIntermediateDirectories: true)
            _ = try await SignatureAPITests.run(["certutil", "-N", "-d", "sql:\(nss.path)", "--empty-password"])
            _ = try await SignatureAPITests.run(["certutil", "-A", "-d", "sql:\(nss.path)", "-n", "ca", "-t", "CT,C,C", "-i", ca.path])
            let sig = try await SignatureAPITests.run(["pdfsig", "-nssdir", "sql:\(nss.path)", file.path])
            #expect(sig.output.components(separatedBy: "Signature is Valid.").count == 3, "\(sig.output)")
            #expect(sig.output.components(separatedBy: "Certificate is Trusted.").count == 3, "\(sig.output)")
            #expect(sig.output.contains("Total document signed"), "\(sig.output)")
            let hanko = try await SignatureAPITests.run(["pyhanko", "sign", "validate", "--trust-replace", "--trust", ca.path, file.path])
            #expect(hanko.status == 0, "\(hanko.output)")
            let report = try await SignatureAPITests.verify(api, result.body)
            #expect(report["valid"] as? Bool == true, "\(report)")
            #expect((report["signatures"] as? [[String: Any]])?.count == 2)
            // The page behind the QR code: status and the registered hash, no personal data.
            let page = try await api.call(.get, "/ket-qua/\(id)")
            #expect(page.status == .ok && page.text.contains("Còn hiệu lực") && page.text.contains(item["sha256"] as? String ?? "?"))
            #expect(!page.text.contains("Nguyễn Thị Ngọc Ánh") && !page.text.contains("001090012345"))
            #expect(try await api.call(.get, "/api/v1/results/\(id)").json["status"] as? String == "valid")
            // The public verification page recognises the file as the registered result.
            let verified = try await Self.postForm(api, "/xac-minh", file: [UInt8](result.body))
            #expect(verified.contains("Hợp lệ") && verified.contains("đúng là văn bản do hệ thống cấp"), "\(verified)")
            // Revoked: the same page says so, with the reason.
            let revoked = try await api.call(.post, "/api/v1/dossiers/\(code)/results/\(id)/revoke", token: leader, json: ["reason": "Sai ngày sinh"])
            #expect(revoked.status == .ok && revoked.json["status"] as? String == "revoked")
            let after = try await api.call(.get, "/ket-qua/\(id)")
            #expect(after.text.contains("Đã bị thu hồi") && after.text.contains("Sai ngày sinh"))
            // Tracking by code and the code texted to the phone on file (digits compared).
            let tracked = try await api.page("/tra-cuu/\(code)", cookie: try await api.trackingGrant(code, t))
            #expect(tracked.text.contains("Đang xử lý"), "\(tracked.text)")
            #expect(!(try await api.page("/tra-cuu/\(code)").text.contains("Đang xử lý")), "nothing without the code")
        }
    }

    @Test("every form is served as a signed PDF or refused with a reason")
    func forms() async throws {
        try await withAPI(.sqlite) { api, t in
            try await t.app.signatures.initDevelopmentPKI(authorityName: "MotCua Test CA")
            let slug = DemoProvince.slug(Self.unit)
            let officer = try await api.token("motcua.\(slug)")
            let created = try await api.call(.post, "/api/v1/dossiers", token: officer, json: [
                "procedureCode": "1.004873", "channel": "window", "receivingUnit": Self.unit,
                "applicant": ["idNumber": "001090012345", "fullName": "Nguyễn Thị Ngọc Ánh"],
            ])
            let code = try #require(created.json["code"] as? String)
            for form in ["mau-01", "mau-06", "mau-07"] {
                let r = try await api.call(.get, "/api/v1/dossiers/\(code)/forms/\(form)", token: officer)
                #expect(r.status == .ok && r.contentType == "application/pdf", "\(form): \(r.text)")
                let report = try await SignatureAPITests.verify(api, r.body)
                #expect(report["valid"] as? Bool == true, "\(form): \(report)")
            }
            for form in ["mau-02", "mau-03", "mau-04", "mau-05"] {
                let r = try await api.call(.get, "/api/v1/dossiers/\(code)/forms/\(form)", token: officer)
                #expect(r.status == .conflict, "\(form): \(r.status)")
            }
            #expect(try await api.call(.get, "/api/v1/dossiers/\(code)/forms/mau-08", token: officer).status == .notFound)
            let book = try await api.call(.get, "/api/v1/units/\(Self.unit)/tracking-book?from=2026-11-01&to=2026-11-30", token: officer)
            #expect(book.status == .ok && book.contentType == "application/pdf")
            #expect(try await api.call(.get, "/api/v1/units/\(Self.unit)/tracking-book?from=2026-11-30&to=2026-11-01", token: officer).status == .badRequest)
            #expect(try await api.call(.get, "/api/v1/units/\(TestApp.dongSon)/tracking-book?from=2026-11-01&to=2026-11-30", token: officer).status == .forbidden)
            #expect(try await api.call(.get, "/api/v1/dossiers/\(code)/forms/mau-06").status == .unauthorized)
        }
    }

    /// Posts a file the way a browser form does (multipart/form-data, part "file").
    static func postForm(_ api: API, _ uri: String, file: [UInt8]) async throws -> String {
        let boundary = "motcua-form-boundary"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(testCSRF)\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file:pdf\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
        body.writeBytes(file)
        body.writeString("\r\n--\(boundary)--\r\n")
        var headers = HTTPFields()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        headers[.cookie] = testCSRFCookie
        return try await api.client.execute(uri: uri, method: .post, headers: headers, body: body) { r in String(decoding: Data(r.body.readableBytesView), as: UTF8.self) }
    }
}
