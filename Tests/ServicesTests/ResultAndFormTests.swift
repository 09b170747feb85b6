// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Signing
import Storage
import Testing

/// Electronic results (drafted, rendered from the procedure's template, signed by specialist and
/// leader at approval, registered, revocable) and the forms Mẫu 02–07, on both databases.
@Suite("Results and forms")
struct ResultAndFormTests {
    static let unit = TestApp.tanLap

    /// pdftotext's text of a PDF (poppler-utils, installed by make test), whitespace collapsed so
    /// phrases wrapped across lines or table cells still match.
    static func text(_ pdf: Data) async throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-txt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("f.pdf")
        try pdf.write(to: file)
        let text = try await DigitizationTests.run(["pdftotext", file.path, "-"]).output
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Drives one dossier with actions, keeping its version.
    struct Driver {
        let t: TestApp
        var d: DossierDetail
        var code: String { d.dossier.code }

        /// At the window the dossier is received on creation; online it waits for reception.
        init(_ t: TestApp, procedure: String = "1.004873", online: Bool = false) async throws {
            self.t = t
            d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: procedure, channel: online ? .online : .window, receivingUnit: ResultAndFormTests.unit, applicant: TestApp.applicant()),
                by: online ? TestApp.citizen : TestApp.officer(ResultAndFormTests.unit))
        }

        mutating func act(_ a: DossierAction, _ who: Actor, _ input: ActionInput = .init()) async throws {
            t.clock.advance(20 * 60)
            d = try await t.app.dossiers.act(code: code, action: a, input: input, expectedVersion: d.dossier.version, by: who)
        }
    }

    @Test("a result is drafted, refused approval while incomplete, then signed by specialist and leader, filed, registered and revocable", arguments: TestDB.available)
    func resultLifecycle(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            try await t.app.signatures.initDevelopmentPKI(authorityName: "MotCua Test CA")
            let (officer, specialist, leader) = (TestApp.officer(Self.unit), TestApp.specialist(Self.unit), TestApp.leader(Self.unit))
            var x = try await Driver(t)
            try await x.act(.assign, officer)
            try await x.act(.assign, leader, ActionInput(assignee: specialist.username))
            // Nothing drafted: approval is refused, naming the missing input, and changes nothing.
            await #expect(throws: ServiceError.self) { try await x.act(.approve, leader) }
            do { try await x.act(.approve, leader) } catch let ServiceError.invalid(field, message) {
                #expect(field == "result.birthDate")
                #expect(message.contains("Ngày, tháng, năm sinh"))
            }
            #expect(try await t.count("results") == 0)
            // Only the handling unit drafts; unknown inputs are refused.
            await #expect(throws: ServiceError.self) { try await t.app.results.putDraft(code: x.code, fields: ["result.sex": "Nữ"], by: officer) }
            await #expect(throws: ServiceError.self) { try await t.app.results.putDraft(code: x.code, fields: ["result.colour": "xanh"], by: specialist) }
            let draft = try await t.app.results.putDraft(code: x.code, fields: [
                "result.birthDate": "15/03/1990", "result.sex": "Nữ", "result.maritalStatus": "Chưa đăng ký kết hôn với ai",
                "result.purpose": "Làm thủ tục đăng ký kết hôn",
            ], by: specialist)
            #expect(draft.missing.isEmpty)
            #expect(draft.fields["result.nationality"] == "Việt Nam")  // the template's default
            try await x.act(.approve, leader)
            #expect(x.d.dossier.stage == .approved)
            // Registered, filed as the result component and in the owner's warehouse.
            let results = try await t.app.results.list(code: x.code, by: officer)
            let r = try #require(results.first)
            #expect(results.count == 1 && r.status == .valid)
            #expect(r.template == "xac-nhan-tinh-trang-hon-nhan@1")
            #expect(r.signers.count == 2, "\(r.signers)")
            let components = try await t.app.documents.list(code: x.code, by: officer)
            let kq = try #require(components.items.first { $0.componentCode == "KQ" })
            #expect(kq.kind == "result" && kq.blobSHA256 == r.sha256 && kq.signedBy == leader.username && kq.qcStatus == "passed")
            let warehouse = try await t.app.documents.warehouse(owner: TestApp.applicant().idNumber, by: TestApp.citizen, purpose: "test")
            #expect(warehouse.contains { $0.documentType == "marital-status-certificate" && $0.blobSHA256 == r.sha256 })
            // The PDF: Vietnamese text from the template and the draft, two valid signatures.
            let (pdf, served) = try await t.app.results.pdf(code: x.code, by: TestApp.citizen)
            #expect(served.id == r.id)
            let text = try await Self.text(pdf)
            for s in ["GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "Phạm Thị Hoa", "Chưa đăng ký kết hôn với ai", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "/ket-qua/\(r.id)"] {
                #expect(text.contains(s), "missing \(s) in \(text)")
            }
            let report = try t.app.signatures.verify(pdf)
            #expect(report.valid, "\(report.reasons)")
            #expect(report.signatures.count == 2)
            #expect(report.signatures.allSatisfy { $0.trusted && $0.intact })
            // Public status by the QR id; revocation by a leader of the issuing unit, with a reason.
            #expect(try await t.app.results.publicStatus(id: r.id).0.status == .valid)
            await #expect(throws: ServiceError.self) { try await t.app.results.revoke(code: x.code, resultId: r.id, reason: "sai", by: specialist) }
            await #expect(throws: ServiceError.self) { try await t.app.results.revoke(code: x.code, resultId: r.id, reason: "  ", by: leader) }
            let revoked = try await t.app.results.revoke(code: x.code, resultId: r.id, reason: "Cấp nhầm ngày sinh", by: leader)
            #expect(revoked.status == .revoked && revoked.statusReason == "Cấp nhầm ngày sinh")
            await #expect(throws: ServiceError.self) { try await t.app.results.pdf(code: x.code, by: TestApp.citizen) }
            await #expect(throws: ServiceError.self) { try await t.app.results.publicStatus(id: "khong-co") }
        }
    }

    @Test("a later result supersedes the earlier one", arguments: TestDB.available)
    func superseded(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let x = try await Driver(t)
            let now = t.clock.clock.now()
            try await t.app.database.query("INSERT INTO blobs (sha256, size, media_type, created_at) VALUES ('a', 1, 'application/pdf', ?), ('b', 1, 'application/pdf', ?)", [now.sqlValue, now.sqlValue])
            try await t.app.database.transaction { tx in
                try await ResultStore.insert(id: "r1", dossierId: x.d.dossier.id, componentId: nil, sha256: "a", template: nil, title: "KQ", issuer: "X", signers: [], at: now, by: "l", on: tx)
                try await ResultStore.insert(id: "r2", dossierId: x.d.dossier.id, componentId: nil, sha256: "b", template: nil, title: "KQ", issuer: "X", signers: [], at: now, by: "l", on: tx)
            }
            let first = try #require(try await t.app.results.publicStatus(id: "r1").0)
            #expect(first.status == .superseded && first.supersededBy == "r2")
            #expect(try await t.app.results.publicStatus(id: "r2").0.status == .valid)
        }
    }

    @Test("Mẫu 02–07 come from their templates with the dossier's data and events, signed by who decided", arguments: TestDB.available)
    func forms(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            try await t.app.signatures.initDevelopmentPKI(authorityName: "MotCua Test CA")
            let (officer, leader) = (TestApp.officer(Self.unit), TestApp.leader(Self.unit))
            func signer(_ pdf: Data) throws -> String? {
                let report = try t.app.signatures.verify(pdf)
                #expect(report.valid, "\(report.reasons)")
                return report.signatures.last?.signerName
            }
            // Mẫu 02: supplement requested at the window.
            var a = try await Driver(t)
            try await a.act(.requestSupplement, officer, ActionInput(reason: "Tờ khai chưa có chữ ký của người yêu cầu"))
            let m02 = try await t.app.forms.form("mau-02", code: a.code, by: officer)
            let t02 = try await Self.text(m02)
            #expect(t02.contains("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ") && t02.contains("Tờ khai chưa có chữ ký"), "\(t02)")
            #expect(t02.contains("Chưa nộp"))  // the missing components' table
            #expect(try signer(m02)?.contains("Tân Lập") == true)
            // Forms for decisions that were not taken are refused with 409.
            await #expect(throws: ServiceError.self) { try await t.app.forms.form("mau-03", code: a.code, by: officer) }
            await #expect(throws: ServiceError.self) { try await t.app.forms.form("mau-09", code: a.code, by: officer) }
            // Mẫu 03: refusal.
            var b = try await Driver(t, online: true)
            try await b.act(.refuse, officer, ActionInput(reason: "Thủ tục không thuộc thẩm quyền của UBND xã"))
            let t03 = try await Self.text(try await t.app.forms.form("mau-03", code: b.code, by: officer))
            #expect(t03.contains("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ") && t03.contains("không thuộc thẩm quyền"))
            // Mẫu 04 and 05: apology with a new appointment, then stopping.
            var c = try await Driver(t)
            try await c.act(.assign, officer)
            let newDue = VietnamTime.instant(LocalDate(year: 2026, month: 12, day: 4)!, minuteOfDay: 16 * 60)
            try await c.act(.extend, leader, ActionInput(reason: "Cần xác minh thông tin cư trú", newDueAt: newDue))
            let m04 = try await t.app.forms.form("mau-04", code: c.code, by: leader)
            let t04 = try await Self.text(m04)
            #expect(t04.contains("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ") && t04.contains("16 giờ 00 phút, ngày 04/12/2026"), "\(t04)")
            #expect(try signer(m04) != nil)
            try await c.act(.stop, leader, ActionInput(reason: "Người yêu cầu đã có đăng ký kết hôn"))
            let t05 = try await Self.text(try await t.app.forms.form("mau-05", code: c.code, by: leader))
            #expect(t05.contains("THÔNG BÁO") && t05.contains("Người yêu cầu đã có đăng ký kết hôn") && t05.contains("Đang xử lý"))
            // Mẫu 06: every hand-over from the event log, with timeliness; sealed by the unit.
            let m06 = try await t.app.forms.form("mau-06", code: c.code, by: officer)
            let t06 = try await Self.text(m06)
            for s in ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Tiếp nhận hồ sơ", "Chuyển hồ sơ đến cơ quan giải quyết", "Trước hạn", "Dừng giải quyết"] {
                #expect(t06.contains(s), "missing \(s) in \(t06)")
            }
            #expect(try signer(m06) == "UBND xã Tân Lập")
            // Mẫu 07: the unit's tracking book lists the received dossier, not the refused one.
            let t07 = try await Self.text(try await t.app.forms.form("mau-07", code: c.code, by: officer))
            #expect(t07.contains("SỔ THEO DÕI HỒ SƠ") && t07.contains(c.code) && !t07.contains(b.code), "\(t07)")
            // Another unit's book is not for this officer.
            let nov = LocalDate(year: 2026, month: 11, day: 1)!
            await #expect(throws: ServiceError.self) {
                try await t.app.forms.trackingBook(unit: TestApp.dongSon, from: nov, to: nov.adding(days: 30), by: officer)
            }
        }
    }
}
