// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Testing

/// `motcua backup` and `motcua restore` as an operator runs them: a backup taken while another
/// process writes, restored into an empty data directory (SQLite) or started as a server of its
/// own (PostgreSQL's base backup); `motcua audit verify` and the dossier count prove it whole.
@Suite("motcua backup and restore")
struct BackupCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("backup while writing, restore into an empty data dir, verify; bad folders refused", arguments: TestDB.available)
    func roundTrip(db: TestDB) async throws {
        let binary = Self.root.appendingPathComponent(".build/debug/motcua").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the motcua binary first (swift build)")
        try await db.withDatabase { _, dbEnv in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-backup-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            var env = dbEnv
            env["MOTCUA_DATA_DIR"] = dbEnv["MOTCUA_DATA_DIR"] ?? dir.appendingPathComponent("data").path
            let setup = try await Shell.run(
                "\(binary) migrate && \(binary) demo --dossiers 30 && \(binary) pki init && \(binary) audit checkpoint; echo \"exit=$?\"", env: env, seconds: 600)
            try #require(setup.contains("exit=0"), "\(setup.suffix(1500))")
            // The backup is taken while another process files dossiers.
            let backup = dir.appendingPathComponent("backup").path
            let taken = try await Shell.run(
                "\(binary) demo --dossiers 80 > \(dir.path)/writer.log 2>&1 & w=$!; \(binary) backup --to \(backup) 2>&1; echo \"exit=$?\"; wait $w", env: env, seconds: 600)
            #expect(taken.contains("exit=0") && taken.contains("backup written to"), "\(taken)")
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: backup + "/manifest.json"))) as? [String: Any]
            let dossiers = try #require(manifest?["dossiers"] as? Int)
            #expect(dossiers >= 30)
            #expect(try await Shell.run("\(binary) backup --to \(backup) 2>&1; echo \"exit=$?\"", env: env).contains("exit=64"), "a used folder is refused")

            switch db {
            case .sqlite:
                let restoredDir = dir.appendingPathComponent("restored").path
                var restored = env
                restored["MOTCUA_DATA_DIR"] = restoredDir
                // A damaged snapshot is refused and nothing is written.
                try FileManager.default.copyItem(atPath: backup, toPath: backup + "-damaged")
                let h = try FileHandle(forWritingTo: URL(fileURLWithPath: backup + "-damaged/motcua.sqlite"))
                try h.seek(toOffset: 5000)
                try h.write(contentsOf: Data([0x42]))
                try h.close()
                let damaged = try await Shell.run("\(binary) restore --from \(backup)-damaged 2>&1; echo \"exit=$?\"", env: restored)
                #expect(damaged.contains("exit=64") && damaged.contains("does not match") && !FileManager.default.fileExists(atPath: restoredDir), "\(damaged)")
                let r = try await Shell.run("\(binary) restore --from \(backup) 2>&1; echo \"exit=$?\"", env: restored)
                #expect(r.contains("exit=0"), "\(r)")
                let verify = try await Shell.run("\(binary) migrate >/dev/null && \(binary) audit verify 2>&1; echo \"exit=$?\"", env: restored)
                #expect(verify.contains("exit=0") && verify.contains("intact: \(manifest?["auditEntries"] as? Int ?? -1) entries") && verify.contains("signed checkpoints valid"), "\(verify)")
                let count = try await Shell.run("sqlite3 \(restoredDir)/motcua.sqlite 'SELECT COUNT(*) FROM dossiers'")
                #expect(count.trimmingCharacters(in: .whitespacesAndNewlines) == String(dossiers))
                #expect(try await Shell.run("\(binary) restore --from \(backup) 2>&1; echo \"exit=$?\"", env: restored).contains("exit=64"), "not over a database")
                // The key sealing the second factors came back with the database.
                let key = try String(contentsOfFile: env["MOTCUA_DATA_DIR"]! + "/keys/secret.key", encoding: .utf8)
                #expect(try String(contentsOfFile: restoredDir + "/keys/secret.key", encoding: .utf8) == key)
            case .postgres:
                // The base backup is a whole cluster: started on its own port, it holds this database.
                let url = try #require(env["DATABASE_URL"].flatMap(URLComponents.init(string:)))
                let port = try FreePort.take()
                let pgdata = backup + "/pgdata"
                let bin = try await Shell.run("ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1").trimmingCharacters(in: .whitespacesAndNewlines)
                let asPostgres = getuid() == 0 ? "su postgres -s /bin/bash -c" : "bash -c"
                if getuid() == 0 { _ = try await Shell.run("chown -R postgres \(backup)") }
                _ = try await Shell.run("chmod 700 \(pgdata)")
                // The server lives on after the script: it must not inherit the descriptors by
                // which the test learns that the script ended (it would wait for the server).
                let closeInherited = "for fd in $(ls /proc/$$/fd); do [ $fd -gt 2 ] && eval \"exec $fd>&-\" 2>/dev/null; done; "
                let start = try await Shell.run(
                    closeInherited + "\(asPostgres) \"\(bin)/pg_ctl -D \(pgdata) -l \(backup)/pg.log -w -o '-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp' start\" 2>&1; echo \"exit=$?\"",
                    seconds: 120)
                defer { Task { _ = try? await Shell.run("\(asPostgres) \"\(bin)/pg_ctl -D \(pgdata) -m immediate stop\"") } }
                try #require(start.contains("exit=0"), "\(start)")
                var restoredURL = url
                restoredURL.port = port
                var restored = env
                restored["DATABASE_URL"] = restoredURL.string!
                let verify = try await Shell.run("\(binary) audit verify 2>&1; echo \"exit=$?\"", env: restored, seconds: 300)
                #expect(verify.contains("exit=0") && verify.contains("intact:") && verify.contains("signed checkpoints valid"), "\(verify)")
                let count = try await Shell.run("psql -tAq \"\(restoredURL.string!)\" -c 'SELECT COUNT(*) FROM dossiers'")
                #expect((Int(count.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= dossiers, "\(count)")
                _ = try await Shell.run("\(asPostgres) \"\(bin)/pg_ctl -D \(pgdata) -m fast stop\" 2>&1")
            }
        }
    }
}
