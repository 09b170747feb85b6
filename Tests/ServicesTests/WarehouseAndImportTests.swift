// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Documents
import Domain
import Foundation
import Services
import Storage
import Testing

@Suite("Data warehouse, reuse and back-digitization")
struct WarehouseAndImportTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 9, count: 512)

    @Test("an earlier result in the warehouse is offered and reused in a new dossier, with the DVCQG flags", arguments: TestDB.available)
    func reuse(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let officer = TestApp.officer(TestApp.tanLap)
            // An earlier land registration with its result, filed under the owner's ID number.
            let first = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.013978", channel: .window, receivingUnit: TestApp.tanLap, applicant: TestApp.applicant()), by: officer)
            let staged = try StagedFile(directory: URL(fileURLWithPath: t.app.config.blobDir).appendingPathComponent("staging"))
            try Self.png.withUnsafeBytes { try staged.write($0) }
            let result = try await t.app.documents.add(ComponentUpload(file: staged, componentCode: DocumentService.resultCode, originalName: "gcn.png"), to: first.dossier.code, by: officer)
            try await t.app.database.transaction { tx in
                try await WarehouseStore.file(
                    id: "wh-1", owner: DemoProvince.citizenIdNumber, type: "land-certificate", title: "Giấy chứng nhận quyền sử dụng đất",
                    issuer: "UBND xã Tân Lập", issuedOn: LocalDate(year: 2026, month: 11, day: 23), blob: result.blobSHA256,
                    dossierId: first.dossier.id, componentId: result.id, at: TestApp.monday0900, on: tx)
            }
            // A later building permit (1.013225) asks for the land certificate: it is offered.
            let second = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.013225", channel: .online, receivingUnit: TestApp.tanLap, applicant: TestApp.applicant()), by: TestApp.citizen)
            let offers = try await t.app.documents.reuseOffers(code: second.dossier.code, by: TestApp.citizen)
            let land = try #require(offers.first { $0.component.documentType == "land-certificate" })
            #expect(land.documents.map(\.id) == ["wh-1"])
            // Reused with one action: same bytes, passed, flagged.
            let reused = try await t.app.documents.reuse(documentId: "wh-1", as: land.component.code, in: second.dossier.code, by: TestApp.citizen)
            #expect(reused.blobSHA256 == result.blobSHA256)
            #expect(reused.reusedFrom == "wh-1")
            #expect(reused.fromWarehouse)
            #expect(reused.qcStatus == "passed")
            // Someone else's document, a wrong type, or a component that may not be reused are refused.
            await #expect(throws: ServiceError.self) {
                _ = try await t.app.documents.reuse(documentId: "wh-1", as: "NOPE", in: second.dossier.code, by: TestApp.citizen)
            }
            let stranger = Actor(username: "x", roles: [.citizen], unit: nil, idNumber: "079203001234")
            await #expect(throws: ServiceError.self) {
                _ = try await t.app.documents.reuse(documentId: "wh-1", as: land.component.code, in: second.dossier.code, by: stranger)
            }
            // The owner lists their warehouse; an official's look-up is logged.
            #expect(try await t.app.documents.warehouse(owner: DemoProvince.citizenIdNumber, by: TestApp.citizen, purpose: "x").count == 1)
            let before = try await t.count("personal_data_access")
            _ = try await t.app.documents.warehouse(owner: DemoProvince.citizenIdNumber, by: officer, purpose: "verify")
            #expect(try await t.count("personal_data_access") == before + 1)
            await #expect(throws: ServiceError.self) {
                _ = try await t.app.documents.warehouse(owner: DemoProvince.citizenIdNumber, by: stranger, purpose: "x")
            }
        }
    }

    /// Writes a manifest of `n` good dossiers (each with one file) plus two bad lines.
    static func manifest(in dir: URL, count n: Int) throws {
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("scans"), withIntermediateDirectories: true)
        var lines: [String] = []
        for i in 1...n {
            let name = "scans/\(i).png"
            try Data(png + Array(String(i).utf8)).write(to: dir.appendingPathComponent(name))
            let code = "000.20.03.H99-210315-\(String(format: "%04d", i))"
            lines.append(
                #"{"code":"\#(code)","procedureCode":"2.000815","receivingUnit":"000.20.03.H99","channel":"window","applicant":{"idNumber":"001090012345","fullName":"Lê Văn Đạt","kind":"citizen"},"submittedAt":"2021-03-15T08:00:00+07:00","receivedAt":"2021-03-15T08:05:00+07:00","dueAt":"2021-03-16T08:05:00+07:00","finishedAt":"2021-03-15T15:00:00+07:00","returnedAt":"2021-03-16T09:00:00+07:00","status":10,"files":[{"componentCode":"KQ","path":"\#(name)"}]}"#)
        }
        lines.insert(#"{"code":"000.20.03.H99-210315-9998","procedureCode":"9.999999","receivingUnit":"000.20.03.H99","applicant":{"idNumber":"001090012345","fullName":"X","kind":"citizen"},"submittedAt":"2021-03-15T08:00:00+07:00","receivedAt":"2021-03-15T08:05:00+07:00","status":10}"#, at: 3)
        lines.append(#"{"code":"000.20.03.H99-210315-9999","procedureCode":"2.000815","receivingUnit":"000.20.03.H99","applicant":{"idNumber":"001090012345","fullName":"X","kind":"citizen"},"submittedAt":"2021-03-15T08:00:00","status":10,"files":[{"componentCode":"KQ","path":"scans/missing.pdf"}]}"#)
        try lines.joined(separator: "\n").write(to: dir.appendingPathComponent("manifest.jsonl"), atomically: true, encoding: .utf8)
    }

    @Test("import keeps codes and dates, marks the dossiers, reports rejects, and is idempotent", arguments: TestDB.available)
    func importTwice(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-import-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            try Self.manifest(in: dir, count: 12)
            let first = try await HistoricalImport(app: t.app).run(manifest: dir.path)
            #expect(first.imported == 12)
            #expect(first.rejected == 2)
            #expect(first.files == 12)
            let report = try String(contentsOf: dir.appendingPathComponent("manifest.jsonl.rejected.jsonl"), encoding: .utf8)
            #expect(report.contains("unknown procedure 9.999999"))
            #expect(report.contains("submittedAt"))
            #expect(report.contains("missing.pdf"))
            let again = try await HistoricalImport(app: t.app).run(manifest: dir.path)
            #expect(again.imported == 0)
            #expect(again.alreadyPresent == 12)
            #expect(try await t.count("dossiers") == 12)
            #expect(try await t.count("dossier_components") == 12)
            let row = try #require(try await t.app.database.first("SELECT * FROM dossiers WHERE code = ?", "000.20.03.H99-210315-0007"))
            #expect(row.string("origin") == "imported")
            #expect(row.string("received_at") == "2021-03-15T01:05:00.000Z")
            #expect(row.int("status") == 10)
            // Imported dossiers are searchable like any other.
            #expect(try await t.app.dossiers.search("le van dat", by: TestApp.officer(TestApp.tanLap), limit: 50).count == 12)
        }
    }

    @Test("killing the import halfway and running it again yields exactly the full set, once")
    func killAndResume() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let binary = root.appendingPathComponent(".build/debug/motcua")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the motcua binary first (swift build)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.manifest(in: dir.appendingPathComponent("in"), count: 1500)
        let env = ["MOTCUA_DATA_DIR": dir.appendingPathComponent("data").path, "PATH": "/usr/bin:/bin"]
        func run(_ args: [String], killAfterProgress: Int? = nil) throws -> Int32 {
            let p = Process()
            p.executableURL = binary
            p.arguments = args
            p.environment = env
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            if let threshold = killAfterProgress {
                // Read progress until the import has committed at least `threshold` dossiers, then kill -9.
                var seen = ""
                while p.isRunning {
                    let chunk = out.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    seen += String(decoding: chunk, as: UTF8.self)
                    let counts = seen.split(separator: "\r").compactMap { $0.split(separator: "]").last?.split(separator: "/").first.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
                    if let n = counts.last, n >= threshold {
                        kill(p.processIdentifier, SIGKILL)
                        break
                    }
                }
            } else {
                _ = out.fileHandleForReading.readDataToEndOfFile()
            }
            p.waitUntilExit()
            return p.terminationStatus
        }
        #expect(try run(["demo", "--dossiers", "0"]) == 0)
        _ = try run(["import", "historical", dir.appendingPathComponent("in").path], killAfterProgress: 300)
        // The kill really interrupted it: some, not all, dossiers are in.
        let partial = try await SQLiteDatabase.open(path: dir.appendingPathComponent("data/motcua.sqlite").path)
        let mid = try await partial.first("SELECT COUNT(*) AS n FROM dossiers")?.int("n") ?? 0
        await partial.close()
        // (Progress counts lines, and one of the first lines is a rejected one.)
        #expect(mid >= 299 && mid < 1500, "killed after \(mid) dossiers")
        // The second run finishes; two rejected lines make it exit 1.
        #expect(try run(["import", "historical", dir.appendingPathComponent("in").path]) == 1)
        let db = try await SQLiteDatabase.open(path: dir.appendingPathComponent("data/motcua.sqlite").path)
        let n = try await db.first("SELECT COUNT(*) AS n, COUNT(DISTINCT code) AS d FROM dossiers WHERE origin = 'imported'")
        let files = try await db.first("SELECT COUNT(*) AS n FROM dossier_components")?.int("n")
        await db.close()
        #expect(n?.int("n") == 1500)
        #expect(n?.int("d") == 1500)
        #expect(files == 1500)
    }
}

@Suite("Search index rebuild")
struct SearchRebuildTests {
    @Test("rebuilding from the source tables gives exactly the incrementally maintained index", arguments: TestDB.available)
    func rebuildEqualsIncremental(db: TestDB) async throws {
        try await TestApp.with(db, accounts: false) { t in
            _ = try await DemoProvince.seed(t.app, dossiers: 60, password: "demo", now: TestApp.monday0900)
            // Some OCR text arrives on one dossier, as digitization would add it.
            let id = try #require(try await t.app.database.first("SELECT id FROM dossiers ORDER BY id LIMIT 1")?.string("id"))
            try await t.app.database.query(
                "INSERT INTO blobs (sha256, size, media_type, created_at) VALUES ('abc', 1, 'application/pdf', '2026-01-01T00:00:00.000Z')", [])
            try await t.app.database.query(
                """
                INSERT INTO dossier_components (id, dossier_id, component_code, version, kind, blob_sha256, media_type, size, uploaded_at, uploaded_by,
                  qc_status, qc_reasons, ocr_status, ocr_text) VALUES ('c1', ?, 'TK', 1, 'component', 'abc', 'application/pdf', 1,
                  '2026-01-01T00:00:00.000Z', 'x', 'passed', '[]', 'done', 'Bệnh viện Đa khoa')
                """, [.text(id)])
            try await t.app.database.transaction { tx in try await SearchStore.append(dossierId: id, text: "Bệnh viện Đa khoa", on: tx) }
            func snapshot() async throws -> [String] {
                try await t.app.database.query("SELECT dossier_id, body FROM dossier_search ORDER BY dossier_id", []).map {
                    "\($0.string("dossier_id") ?? "")|\($0.string("body") ?? "")"
                }
            }
            let incremental = try await snapshot()
            try await t.app.database.query("DELETE FROM dossier_search", [])
            #expect(try await t.app.dossiers.rebuildSearchIndex() == 60)
            #expect(try await snapshot() == incremental)
            #expect(try await t.app.dossiers.search("benh vien da khoa", by: Actor.system, limit: 5).count == 1)
        }
    }
}
