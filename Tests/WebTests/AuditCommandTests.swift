// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Testing

/// `motcua audit verify` as an operator runs it: on the demo data it passes; after one row is
/// changed with the database's own command-line tool (sqlite3, psql) it fails and names the entry.
@Suite("motcua audit verify")
struct AuditCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("passes on the demo data; fails naming the entry after a row is edited by hand", arguments: TestDB.available)
    func verify(db: TestDB) async throws {
        let binary = Self.root.appendingPathComponent(".build/debug/motcua").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the motcua binary first (swift build)")
        try await db.withDatabase { _, dbEnv in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-audit-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            var env = dbEnv
            env["MOTCUA_DATA_DIR"] = dbEnv["MOTCUA_DATA_DIR"] ?? dir.path
            let setup = try await Shell.run(
                "\(binary) migrate && \(binary) demo --dossiers 30 && \(binary) pki init && \(binary) audit checkpoint; echo \"exit=$?\"", env: env, seconds: 600)
            try #require(setup.contains("exit=0") && setup.contains("audit checkpoint: entry"), "\(setup.suffix(1500))")
            let ok = try await Shell.run("\(binary) audit verify 2>&1; echo \"exit=$?\"", env: env)
            #expect(ok.contains("exit=0") && ok.contains("audit verify: intact") && ok.contains("1 signed checkpoints valid"), "\(ok)")

            // One event's note, changed behind MotCua's back.
            let edit =
                switch db {
                case .sqlite:
                    "sqlite3 \(env["MOTCUA_DATA_DIR"]!)/motcua.sqlite \"UPDATE dossier_events SET note = 'sửa tay' WHERE rowid = (SELECT rowid FROM dossier_events ORDER BY at, id LIMIT 1 OFFSET 10)\""
                case .postgres:
                    "psql -q \"\(env["DATABASE_URL"]!)\" -c \"UPDATE dossier_events SET note = 'sửa tay' WHERE id = (SELECT id FROM dossier_events ORDER BY at, id LIMIT 1 OFFSET 10)\""
                }
            let edited = try await Shell.run(edit + " 2>&1; echo \"exit=$?\"", env: env)
            try #require(edited.contains("exit=0"), "\(edited)")
            let bad = try await Shell.run("\(binary) audit verify 2>&1; echo \"exit=$?\"", env: env)
            #expect(bad.contains("exit=1"), "\(bad)")
            #expect(bad.contains("audit ledger BROKEN at entry ") && bad.contains("(dossier-event ") && bad.contains("dossier_events row was changed"), "\(bad)")
        }
    }
}
