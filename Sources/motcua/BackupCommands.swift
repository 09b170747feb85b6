// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import Services

/// `motcua backup --to DIR`: a consistent backup while serving.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Back up the database, blobs and keys while serving (SQLite snapshot, or pg_basebackup on PostgreSQL).",
        discussion: "DIR must not exist or be empty. Restore with `motcua restore --from DIR` (embedded mode) or as docs/OPERATIONS.md describes (PostgreSQL).")

    @Option(help: "A new folder for this backup.")
    var to: String

    func run() async throws {
        let app = try await boot(try loadConfig(), migrate: false)
        defer { Task { await app.shutdown() } }
        do {
            let m = try await app.backup.backup(to: URL(fileURLWithPath: to)) { say("backup: \($0)") }
            say("backup written to \(to): \(m.database), \(m.dossiers) dossiers, \(m.auditEntries) audit entries, \(m.blobs) blobs, migration \(m.migration)")
        } catch let e as BackupService.Failure { fail(e.description) }
    }
}

/// `motcua restore --from DIR`: into an empty data directory.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a backup into an empty MOTCUA_DATA_DIR; then run `motcua audit verify`.")

    @Option(help: "The backup folder (with manifest.json).")
    var from: String

    func run() async throws {
        let config = try loadConfig()
        do {
            let m = try BackupService.restore(from: URL(fileURLWithPath: from), into: config) { say("restore: \($0)") }
            say("restored the backup of \(m.createdAt) into \(config.dataDir): \(m.dossiers) dossiers, \(m.auditEntries) audit entries; next: motcua migrate && motcua audit verify")
        } catch let e as BackupService.Failure { fail(e.description) }
    }
}
