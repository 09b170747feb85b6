// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Services
import Testing
import Web

@Suite("Signed forms and verification")
struct SignatureAPITests {
    static func run(_ args: [String]) async throws -> (status: Int32, output: String) {
        let r = try await Subprocess.run("/usr/bin/env", args)
        return (r.status, r.text)
    }

    @Test("the receipt is signed by the receiving officer; pdfsig, pyHanko and /api/v1/verify accept it; a changed byte is caught")
    func signedReceipt() async throws {
        // External validators (pdfsig, pyHanko) judge certificates at the real time, so the test
        // clock starts before today: certificates issued "now" are then valid for real too.
        let start = VietnamTime.instant(LocalDate(year: 2026, month: 11, day: 2)!, minuteOfDay: 9 * 60)
        try await withAPI(.sqlite, at: start) { api, t in
            let issued = try await t.app.signatures.initDevelopmentPKI(authorityName: "MotCua Test CA")
            #expect(issued > 10)
            let token = try await api.token("motcua.0002003h99")
            let created = try await api.call(.post, "/api/v1/dossiers", token: token, json: [
                "procedureCode": "1.001193", "channel": "window", "receivingUnit": TestApp.tanLap,
                "applicant": ["idNumber": "001090012345", "fullName": "Nguyễn Thị Ngọc Ánh"],
            ])
            let code = try #require(created.json["code"] as? String)
            let pdf = try await api.call(.get, "/api/v1/dossiers/\(code)/forms/mau-01", token: token).body
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-sig-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("mau01.pdf")
            try pdf.write(to: file)
            // The trust anchor, as anyone can fetch it.
            let anchors = try await api.call(.get, "/api/v1/pki/trust-anchors")
            #expect(anchors.text.hasPrefix("-----BEGIN CERTIFICATE-----"))
            let ca = dir.appendingPathComponent("ca.pem")
            try anchors.body.write(to: ca)
            // Text stays extractable with diacritics after signing.
            let text = try await Self.run(["pdftotext", "-layout", file.path, "-"])
            #expect(text.output.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"))
            // poppler's pdfsig with the CA in an NSS database.
            let nss = dir.appendingPathComponent("nss")
            try FileManager.default.createDirectory(at: nss, withIntermediateDirectories: true)
            _ = try await Self.run(["certutil", "-N", "-d", "sql:\(nss.path)", "--empty-password"])
            _ = try await Self.run(["certutil", "-A", "-d", "sql:\(nss.path)", "-n", "ca", "-t", "CT,C,C", "-i", ca.path])
            let sig = try await Self.run(["pdfsig", "-nssdir", "sql:\(nss.path)", file.path])
            #expect(sig.output.contains("Signature is Valid."), "\(sig.output)")
            #expect(sig.output.contains("Certificate is Trusted."), "\(sig.output)")
            #expect(sig.output.contains("Total document signed"), "\(sig.output)")
            // pyHanko, independently.
            let hanko = try await Self.run(["pyhanko", "sign", "validate", "--trust-replace", "--trust", ca.path, file.path])
            #expect(hanko.status == 0, "\(hanko.output)")
            // MotCua's own verification, public.
            let report = try await Self.verify(api, pdf)
            #expect(report["valid"] as? Bool == true, "\(report)")
            let signatures = report["signatures"] as? [[String: Any]] ?? []
            #expect(signatures.count == 1)
            #expect((signatures.first?["signerName"] as? String)?.contains("Tân Lập") == true, "\(signatures)")
            // One changed byte inside the signed range: invalid, and says why.
            var tampered = [UInt8](pdf)
            let i = tampered.count / 3
            tampered[i] = tampered[i] == 0x41 ? 0x42 : 0x41
            let bad = try await Self.verify(api, Data(tampered))
            #expect(bad["valid"] as? Bool == false)
            #expect(!((bad["reasons"] as? [String]) ?? []).isEmpty)
        }
    }

    static func verify(_ api: API, _ pdf: Data) async throws -> [String: Any] {
        var headers = HTTPFields()
        headers[.contentType] = "application/pdf"
        return try await api.client.execute(uri: "/api/v1/verify", method: .post, headers: headers, body: ByteBuffer(bytes: pdf)) { r in
            ((try? JSONSerialization.jsonObject(with: Data(r.body.readableBytesView))) as? [String: Any]) ?? ["status": Int(r.status.code)]
        }
    }
}
