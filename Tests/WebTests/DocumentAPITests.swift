// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Hummingbird
import Services
import Storage
import Testing
import Web

@Suite("Components and search API")
struct DocumentAPITests {
    /// Bytes that sniff as PNG (the upload checks content, not names; inspection happens later).
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 2000)
    static let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + Array(repeating: 0, count: 2000)

    static func birthDossier(_ api: API, _ token: String, name: String = "Nguyễn Văn Đức") async throws -> String {
        let r = try await api.call(.post, "/api/v1/dossiers", token: token, json: [
            "procedureCode": "1.001193", "channel": "window", "receivingUnit": TestApp.tanLap,
            "applicant": ["idNumber": "038090012345", "fullName": name, "phone": "0987654321"],
        ])
        guard let code = r.json["code"] as? String else { throw APIError(message: "create failed: \(r.text)") }
        return code
    }

    @Test("upload: content-checked, versioned, stored once; bad files refused and nothing written", arguments: TestDB.available)
    func upload(db: TestDB) async throws {
        try await withAPI(db, maxUploadBytes: 1 << 20) { api, t in
            let token = try await api.token("motcua.0002003h99")
            let code = try await Self.birthDossier(api, token)
            let components = try await api.call(.get, "/api/v1/procedures/1.001193").json["current"] as? [String: Any]
            let first = try #require(((components?["components"] as? [[String: Any]])?.first?["code"]) as? String)
            let uri = "/api/v1/dossiers/\(code)/components"
            let a = try await api.upload(uri, token: token, file: Self.png, fileName: "to-khai.png", fields: ["componentCode": first])
            #expect(a.status == .created)
            #expect(a.json["version"] as? Int == 1)
            #expect((a.json["sha256"] as? String)?.count == 64)
            #expect((a.json["qc"] as? [String: Any])?["status"] as? String == "pending")
            #expect(((a.json["ocr"] as? [String: Any])?["status"] as? String).map { ["pending", "unavailable"].contains($0) } == true)
            let b = try await api.upload(uri, token: token, file: Self.png, fileName: "to-khai-2.png", fields: ["componentCode": first])
            #expect(b.json["version"] as? Int == 2)
            #expect(b.json["sha256"] as? String == a.json["sha256"] as? String)
            #expect(try await t.count("blobs") == 1)
            // An executable named .pdf is refused by its content.
            let exe = try await api.upload(uri, token: token, file: Self.elf, fileName: "scan.pdf", fields: ["componentCode": first])
            #expect(exe.status == .unsupportedMediaType)
            #expect(exe.contentType == "application/problem+json")
            #expect(exe.text.contains("PDF"))
            // Over the limit (1 MiB here).
            let big = try await api.upload(uri, token: token, file: Self.png + Array(repeating: 1, count: 2 << 20), fileName: "big.png", fields: ["componentCode": first])
            #expect(big.status == .contentTooLarge)
            // A component the procedure does not ask for.
            let unknown = try await api.upload(uri, token: token, file: Self.png, fileName: "x.png", fields: ["componentCode": "NOPE"])
            #expect(unknown.status == .unprocessableContent)
            #expect(((unknown.json["errors"] as? [[String: Any]])?.first?["field"] as? String) == "componentCode")
            // Missing component code.
            #expect(try await api.upload(uri, token: token, file: Self.png, fileName: "x.png", fields: [:]).status == .badRequest)
            // Another unit may not add files.
            let other = try await api.token("officer")
            #expect(try await api.upload(uri, token: other, file: Self.png, fileName: "x.png", fields: ["componentCode": first]).status == .forbidden)
            #expect(try await t.count("dossier_components") == 2)
            #expect(try await t.count("blobs") == 1)
            // Nothing half-written is left in staging.
            let staging = URL(fileURLWithPath: t.app.config.blobDir).appendingPathComponent("staging")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: staging.path)) ?? []).isEmpty)
            let list = try await api.call(.get, uri, token: token)
            #expect((list.json["items"] as? [[String: Any]])?.map { $0["version"] as? Int } == [1, 2])
        }
    }

    @Test("search folds diacritics, case and đ; finds by name, ID, phone, code and document text; scoped", arguments: TestDB.available)
    func search(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let token = try await api.token("motcua.0002003h99")
            let code = try await Self.birthDossier(api, token)
            _ = try await Self.birthDossier(api, token, name: "Trần Thị Mai")
            func codes(_ q: String, _ tok: String = token) async throws -> [String] {
                let r = try await api.call(.get, "/api/v1/search?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", token: tok)
                return (r.json["items"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
            }
            #expect(try await codes("nguyen van duc") == [code])
            #expect(try await codes("NGUYỄN VĂN ĐỨC") == [code])
            #expect(try await codes("Đức") == [code])
            #expect(try await codes("038090012345").count == 2)
            #expect(try await codes("0987654321").count == 2)
            #expect(try await codes(code) == [code])
            #expect(try await codes("khai sinh").count == 2)
            #expect(try await codes("nobody here").isEmpty)
            // Text found in a digitized document is searchable too.
            let id = try #require(try await t.app.database.first("SELECT id FROM dossiers WHERE code = ?", code)?.string("id"))
            try await t.app.database.transaction { tx in
                try await Storage.SearchStore.append(dossierId: id, text: "Giấy chứng sinh – Bệnh viện Đa khoa tỉnh Sơn Hà", on: tx)
            }
            #expect(try await codes("benh vien da khoa") == [code])
            // Another unit sees nothing of Tân Lập's dossiers; citizens may not search.
            #expect(try await codes("nguyen van duc", try await api.token("officer")).isEmpty)
            #expect(try await api.call(.get, "/api/v1/search?q=duc", token: try await api.token("citizen")).status == .forbidden)
            #expect(try await api.call(.get, "/api/v1/search?q=%20", token: token).status == .badRequest)
        }
    }
}
