// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Services
import Testing
import Web

/// Petitions over HTTP: the API (filing without an account, handling by the unit, problems
/// naming the field) and the public pages (errors next to the field, what was typed kept).
@Suite("Petition API and pages")
struct PetitionWebTests {
    static func field(_ r: API.Reply) -> String? { (r.json["errors"] as? [[String: Any]])?.first?["field"] as? String }

    @Test("file without an account, handle as the unit, publish, vote; bad input names the field and stores nothing", arguments: TestDB.available)
    func api(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let unit = TestApp.tanLap
            let d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: TestApp.officer(unit))
            let body: [String: Any] = [
                "class": "procedure", "dossierCode": d.dossier.code, "content": "Hẹn trả kết quả nhưng chưa có",
                "petitioner": ["fullName": "Phạm Thị Hoa", "phone": "0912345678"],
            ]
            var bad = body
            bad["petitioner"] = ["fullName": "Phạm Thị Hoa", "phone": "12"]
            var r = try await api.call(.post, "/api/v1/petitions", json: bad)
            #expect(r.status == .unprocessableContent && Self.field(r) == "petitioner.phone")
            bad = body
            bad["class"] = "gossip"
            r = try await api.call(.post, "/api/v1/petitions", json: bad)
            #expect(r.status == .badRequest && Self.field(r) == "class", "\(r.text)")
            #expect(try await t.count("petitions") == 0)

            r = try await api.call(.post, "/api/v1/petitions", json: body)
            #expect(r.status == .created, "\(r.text)")
            let code = try #require(r.json["code"] as? String)
            #expect((r.json["receivedAt"] as? String) == "2026-11-23T09:00:00+07:00")
            #expect(((r.json["deadlines"] as? [String: Any])?["handleBy"] as? String) == "2026-12-15T09:00:00+07:00")
            // Strangers see nothing of an unpublished petition; the unit's specialist sees it all.
            #expect(try await api.call(.get, "/api/v1/petitions/\(code)").status == .notFound)
            let specialist = try await api.token("chuyenvien.\(DemoProvince.slug(unit))")
            r = try await api.call(.get, "/api/v1/petitions?unit=\(unit)&open=true", token: specialist)
            #expect(((r.json["items"] as? [[String: Any]])?.compactMap { $0["code"] as? String }) == [code])
            r = try await api.call(.post, "/api/v1/petitions/\(code)/actions", token: specialist, json: ["action": "answer", "text": " "])
            #expect(r.status == .unprocessableContent && Self.field(r) == "text")
            r = try await api.call(.post, "/api/v1/petitions/\(code)/actions", token: specialist, json: ["action": "answer", "text": "Đã trả kết quả ngày 24/11", "expectedVersion": 1])
            #expect(r.status == .ok && (r.json["status"] as? String) == "answered")
            r = try await api.call(.post, "/api/v1/petitions/\(code)/actions", token: specialist, json: ["action": "publish"])
            #expect(r.status == .forbidden)
            let leader = try await api.token("lanhdao.\(DemoProvince.slug(unit))")
            r = try await api.call(.post, "/api/v1/petitions/\(code)/actions", token: leader, json: ["action": "publish"])
            #expect(r.status == .ok && (r.json["status"] as? String) == "published")
            r = try await api.call(.post, "/api/v1/petitions/\(code)/votes", json: ["vote": "dislike", "phone": "0912345678"])
            #expect(r.status == .ok && (r.json["dislikes"] as? Int) == 1)
            // Published: anyone reads it, without the petitioner.
            r = try await api.call(.get, "/api/v1/petitions/published")
            let item = try #require((r.json["items"] as? [[String: Any]])?.first)
            #expect(item["code"] as? String == code && item["petitioner"] == nil && item["dossierCode"] == nil)
            r = try await api.call(.get, "/api/v1/index/losses?unit=\(unit)&period=2026&indicator=5.3", token: leader)
            #expect(((r.json["items"] as? [[String: Any]])?.first?["reason"] as? String) == "petition-disliked", "\(r.text)")
        }
    }

    @Test("the public form keeps what was typed and says what is wrong next to the field; the receipt gives the code and the deadline", arguments: [TestDB.sqlite])
    func pages(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let unit = TestApp.tanLap
            let d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: TestApp.officer(unit))
            func post(_ uri: String, _ form: String) async throws -> Page { try await api.submit(uri, form, session: nil) }
            var page = try await api.page("/phan-anh?ma=\(d.dossier.code)")
            #expect(page.status == .ok && page.text.contains("value=\"\(d.dossier.code)\""))
            let content = "H%E1%BB%93+s%C6%A1+tr%E1%BB%85+h%E1%BA%B9n"  // "Hồ sơ trễ hẹn"
            page = try await post("/phan-anh", "loai=procedure&ma-ho-so=\(d.dossier.code)&ho-ten=Ph%E1%BA%A1m+Th%E1%BB%8B+Hoa&dt=0987654321&noi-dung=\(content)")
            #expect(page.status == .badRequest)
            #expect(page.text.contains("id=\"ma-ho-so-loi\"") && page.text.contains("Số điện thoại không khớp"))
            #expect(page.text.contains("Hồ sơ trễ hẹn</textarea>") && page.text.contains("value=\"0987654321\""))
            #expect(try await t.count("petitions") == 0)
            page = try await post("/phan-anh", "loai=procedure&ma-ho-so=\(d.dossier.code)&ho-ten=Ph%E1%BA%A1m+Th%E1%BB%8B+Hoa&dt=0912345678&noi-dung=\(content)")
            #expect(page.status == .ok && page.text.contains("PAKN-\(unit)-261123-0001") && page.text.contains("09:00 15/12/2026"))
            let code = "PAKN-\(unit)-261123-0001"
            _ = try await t.app.petitions.act(code: code, action: .requestSupplement, text: "Cho biết ngày hẹn trên phiếu", expectedVersion: nil, proof: .account(TestApp.specialist(unit)))
            page = try await post("/phan-anh/\(code)", "dt=0912345678")
            #expect(page.text.contains("Cho biết ngày hẹn trên phiếu") && page.text.contains("name=\"bo-sung\""))
            page = try await post("/phan-anh/\(code)", "dt=0912345678&buoc=bo-sung&bo-sung=Ng%C3%A0y+20%2F11")
            #expect(page.status == .ok && page.text.contains("Thông tin bổ sung đã được gửi"))
            #expect(try await t.app.petitions.get(code: code, proof: .phone("0912345678")).status == .received)
            page = try await post("/phan-anh/\(code)", "dt=0900000000")
            #expect(page.status == .badRequest && page.text.contains("không khớp"))
            // Answered and published: the petitioner votes on the page.
            _ = try await t.app.petitions.act(code: code, action: .answer, text: "Đã trả kết quả", expectedVersion: nil, proof: .account(TestApp.specialist(unit)))
            _ = try await t.app.petitions.act(code: code, action: .publish, text: nil, expectedVersion: nil, proof: .account(TestApp.leader(unit)))
            page = try await post("/phan-anh/\(code)", "dt=0912345678&buoc=like")
            #expect(page.status == .ok && page.text.contains("Đánh giá của ông/bà đã được ghi nhận"))
            #expect(try await t.app.petitions.get(code: code, proof: .phone("0912345678")).likes == 1)
        }
    }

    @Test("officials handle petitions on their pages: the list by deadline, a step refused without its text, answered, published by the leader", arguments: [TestDB.sqlite])
    func handlingPages(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let unit = TestApp.tanLap
            let p = try await t.app.petitions.file(
                PetitionService.Request(petitionClass: .procedure, unit: unit, petitioner: Petitioner(fullName: "Phạm Thị Hoa", phone: "0912345678"), content: "Chậm trả kết quả"),
                proof: .phone("0912345678"))
            func post(_ path: String, _ body: String, _ session: String) async throws -> Page { try await api.submit(path, body, session: session) }
            let specialist = try await api.session("chuyenvien.0002003h99")
            #expect(try await api.page("/phan-anh-xu-ly", cookie: specialist).text.contains(p.code))
            let refused = try await post("/phan-anh-xu-ly/\(p.code)/answer", "version=1&text=+", specialist)
            #expect(refused.status == .badRequest && refused.text.contains("id=\"text-answer-error\""))
            #expect(try await post("/phan-anh-xu-ly/\(p.code)/answer", "version=1&text=%C4%90%C3%A3+tr%E1%BA%A3", specialist).status == .seeOther)
            #expect(try await post("/phan-anh-xu-ly/\(p.code)/publish", "version=2", specialist).status == .forbidden, "publishing is the leader's")
            let leader = try await api.session("lanhdao.0002003h99")
            #expect(try await post("/phan-anh-xu-ly/\(p.code)/publish", "version=2", leader).status == .seeOther)
            #expect(try await t.app.petitions.get(code: p.code, proof: .phone("0912345678")).status == .published)
            let other = try await api.session("chuyenvien.0002004h99")
            #expect(try await api.page("/phan-anh-xu-ly/\(p.code)", cookie: other).status == .notFound)
        }
    }
}
