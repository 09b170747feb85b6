// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Hummingbird
import Testing
import Web

@Suite("Forms")
struct FormTests {
    /// Runs a poppler tool on a file and returns its output.
    static func poppler(_ tool: String, _ args: [String]) async throws -> String {
        try await Subprocess.run("/usr/bin/\(tool)", args, mergeErrors: false).text
    }

    @Test("Mẫu 01: a one-page PDF whose text is the receipt, in Vietnamese with diacritics", arguments: TestDB.available)
    func receipt(db: TestDB) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext"), "install the Debian package poppler-utils")
        try await withAPI(db) { api, _ in
            let token = try await api.token("motcua.0002003h99")
            let created = try await api.call(.post, "/api/v1/dossiers", token: token, json: [
                "procedureCode": "1.001193", "channel": "window", "receivingUnit": TestApp.tanLap,
                "applicant": ["idNumber": "001090012345", "fullName": "Nguyễn Thị Ngọc Ánh", "phone": "0912345678", "address": "12 Lê Lợi, xã Tân Lập"],
            ])
            let code = try #require(created.json["code"] as? String)
            let r = try await api.call(.get, "/api/v1/dossiers/\(code)/forms/mau-01", token: token)
            #expect(r.status == .ok)
            #expect(r.contentType == "application/pdf")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("mau01-\(UUID().uuidString).pdf")
            defer { try? FileManager.default.removeItem(at: file) }
            try r.body.write(to: file)
            let info = try await Self.poppler("pdfinfo", [file.path])
            #expect(info.split(separator: "\n").contains { $0.hasPrefix("Pages:") && $0.dropFirst(6).trimmingCharacters(in: .whitespaces) == "1" })
            let text = try await Self.poppler("pdftotext", ["-layout", file.path, "-"])
            for expected in [
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "UBND XÃ TÂN LẬP",
                "Mã hồ sơ: \(code)", "Nguyễn Thị Ngọc Ánh", "001090012345", "Thủ tục đăng ký khai sinh", "Tờ khai",
                "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 23/11/2026", "25/11/2026", "Cán bộ một cửa UBND xã Tân Lập",
            ] {
                #expect(text.contains(expected), "missing \(expected)\n\(text)")
            }
            // The QR code on the slip opens the tracking page (rendered and decoded for real).
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/zbarimg"), "install the Debian package zbar-tools")
            let png = file.deletingPathExtension().path
            _ = try await Self.poppler("pdftoppm", ["-r", "150", "-png", "-singlefile", file.path, png])
            defer { try? FileManager.default.removeItem(atPath: png + ".png") }
            let decoded = try await Self.poppler("zbarimg", ["--quiet", "--raw", png + ".png"])
            #expect(decoded.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("/tra-cuu/\(code)"), "decoded: \(decoded)")
            #expect(try await api.call(.get, "/api/v1/dossiers/\(code)/forms/mau-06", token: token).status == .ok)
            #expect(try await api.call(.get, "/api/v1/dossiers/\(code)/forms/mau-99", token: token).status == .notFound)
            #expect(try await api.call(.get, "/api/v1/dossiers/\(code)/forms/mau-01", token: try await api.token("officer")).status == .forbidden)
        }
    }
}
