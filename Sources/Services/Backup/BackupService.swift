// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation
import Storage

/// Backups while serving. Embedded mode (SQLite): a consistent snapshot of the database
/// (`VACUUM INTO`, a read transaction, so writers go on), then the blobs and the PKI directory.
/// PostgreSQL: a physical base backup of the cluster (`pg_basebackup`, the start of point-in-time
/// recovery; docs/OPERATIONS.md), then the same files. The database is copied first: a blob is
/// stored before the row that names it commits, so every blob the snapshot names is then on disk.
/// `manifest.json` is written last: a folder without it is not a backup.
public struct BackupService: Sendable {
    let app: MotCua

    public struct Manifest: Codable, Sendable {
        public static let formatName = "motcua-backup/1"
        public var format = Self.formatName
        public var createdAt: Date
        public var database: String
        public var migration: Int
        public var dossiers: Int
        public var auditEntries: Int
        public var blobs: Int
        /// SHA-256 of the SQLite snapshot (embedded mode).
        public var sqliteSHA256: String?
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Writes a backup into `dir`, which must not exist or be empty.
    public func backup(to dir: URL, progress: @Sendable (String) -> Void = { _ in }) async throws -> Manifest {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: dir.path), !existing.isEmpty {
            throw Failure(description: "\(dir.path) is not empty; name a new folder for each backup")
        }
        try fm.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let started = Date()
        var manifest = Manifest(createdAt: app.clock.now(), database: app.database.dialect.rawValue, migration: 0, dossiers: 0, auditEntries: 0, blobs: 0)
        switch app.database.dialect {
        case .sqlite:
            let snapshot = dir.appendingPathComponent("motcua.sqlite")
            try await app.database.query("VACUUM INTO ?", [snapshot.path.sqlValue])
            // Counted in the snapshot, not the live database that has moved on; hashed after, as
            // opening it sets its journal mode.
            let copy = try await SQLiteDatabase.open(path: snapshot.path)
            (manifest.migration, manifest.dossiers, manifest.auditEntries) = try await Self.counts(copy)
            await copy.close()
            manifest.sqliteSHA256 = try Self.sha256(of: snapshot)
            progress("database snapshot: \(Self.size(snapshot))")
        case .postgres:
            guard let url = app.config.databaseURL else { throw Failure(description: "DATABASE_URL is not set") }
            (manifest.migration, manifest.dossiers, manifest.auditEntries) = try await Self.counts(app.database)
            // The password goes in the environment, not on the command line (`ps` shows that).
            var c = URLComponents(string: url)
            let password = c?.password
            c?.password = nil
            try Self.run(
                Self.postgresTool("pg_basebackup"), ["-d", c?.string ?? url, "-D", dir.appendingPathComponent("pgdata").path, "-Fp", "-X", "stream", "-c", "fast"],
                environment: password.map { ["PGPASSWORD": $0] } ?? [:])
            progress("base backup of the PostgreSQL cluster: pgdata/ (counted before it began: later dossiers may be in it too)")
        }
        manifest.blobs = try Self.copyTree(URL(fileURLWithPath: app.config.blobDir), to: dir.appendingPathComponent("blobs"))
        progress("blobs: \(manifest.blobs) files")
        if fm.fileExists(atPath: app.config.pkiDir) {
            _ = try Self.copyTree(URL(fileURLWithPath: app.config.pkiDir), to: dir.appendingPathComponent("pki"))
            progress("signing keys and certificates: pki/ (keep this backup as safe as the keys)")
        }
        // The key that seals stored secrets: without it a restored database's second factors
        // cannot be opened. One named by MOTCUA_SECRET_KEY(_FILE) is the operator's to keep.
        if app.config.secretKey == nil, fm.fileExists(atPath: Self.keysDir(app.config)) {
            _ = try Self.copyTree(URL(fileURLWithPath: Self.keysDir(app.config)), to: dir.appendingPathComponent("keys"))
            progress("the secret key sealing stored secrets: keys/")
        } else if app.config.secretKey != nil {
            progress("the secret key sealing stored secrets is MOTCUA_SECRET_KEY(_FILE): not copied; keep it with the configuration")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: dir.appendingPathComponent("manifest.json"))
        progress(String(format: "done in %.1f s", Date().timeIntervalSince(started)))
        return manifest
    }

    /// Restores an embedded-mode backup into `config.dataDir`, which must hold no database yet.
    /// PostgreSQL backups are restored by starting a server on their `pgdata/`
    /// (docs/OPERATIONS.md); this copies their blobs and keys.
    public static func restore(from dir: URL, into config: AppConfig, progress: @Sendable (String) -> Void = { _ in }) throws -> Manifest {
        let fm = FileManager.default
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let data = fm.contents(atPath: dir.appendingPathComponent("manifest.json").path) else {
            throw Failure(description: "\(dir.path) has no manifest.json: not a MotCua backup, or one that did not finish")
        }
        let manifest = try decoder.decode(Manifest.self, from: data)
        guard manifest.format == Manifest.formatName else { throw Failure(description: "unknown backup format \(manifest.format)") }
        if fm.fileExists(atPath: config.sqlitePath) || (try? fm.contentsOfDirectory(atPath: config.blobDir))?.isEmpty == false {
            throw Failure(description: "\(config.dataDir) already holds a database or blobs; restore into an empty MOTCUA_DATA_DIR")
        }
        // Everything is checked before anything is written.
        let snapshot = dir.appendingPathComponent("motcua.sqlite")
        if manifest.database == "sqlite" {
            guard config.databaseURL == nil else { throw Failure(description: "this is an embedded-mode (SQLite) backup; unset DATABASE_URL to restore it") }
            guard try sha256(of: snapshot) == manifest.sqliteSHA256 else {
                throw Failure(description: "motcua.sqlite in the backup does not match its manifest (damaged or changed); use another backup")
            }
        }
        try fm.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if manifest.database == "sqlite" {
            try fm.copyItem(atPath: snapshot.path, toPath: config.sqlitePath)
            progress("database: \(manifest.dossiers) dossiers, \(manifest.auditEntries) audit entries, migration \(manifest.migration)")
        } else {
            progress("PostgreSQL: start a server on \(dir.appendingPathComponent("pgdata").path) as docs/OPERATIONS.md describes; copying blobs and keys only")
        }
        let blobs = try copyTree(dir.appendingPathComponent("blobs"), to: URL(fileURLWithPath: config.blobDir))
        progress("blobs: \(blobs) files")
        if fm.fileExists(atPath: dir.appendingPathComponent("pki").path), !fm.fileExists(atPath: config.pkiDir) {
            _ = try copyTree(dir.appendingPathComponent("pki"), to: URL(fileURLWithPath: config.pkiDir))
            progress("signing keys and certificates restored to \(config.pkiDir)")
        }
        if fm.fileExists(atPath: dir.appendingPathComponent("keys").path), !fm.fileExists(atPath: keysDir(config)) {
            _ = try copyTree(dir.appendingPathComponent("keys"), to: URL(fileURLWithPath: keysDir(config)))
            progress("the secret key sealing stored secrets restored to \(keysDir(config))")
        }
        return manifest
    }

    static func keysDir(_ config: AppConfig) -> String { (config.dataDir as NSString).appendingPathComponent("keys") }

    static func counts(_ db: any Database) async throws -> (Int, Int, Int) {
        let migration = try await db.first("SELECT MAX(id) AS n FROM schema_migrations")?.int("n") ?? 0
        let dossiers = try await db.first("SELECT COUNT(*) AS n FROM dossiers")?.int("n") ?? 0
        let entries = try await db.first("SELECT COUNT(*) AS n FROM audit_log")?.int("n") ?? 0
        return (migration, dossiers, entries)
    }

    /// Copies every regular file under `from` (kept where it is) into `to`; returns how many.
    static func copyTree(_ from: URL, to: URL) throws -> Int {
        let fm = FileManager.default
        guard let walker = fm.enumerator(at: from, includingPropertiesForKeys: [.isRegularFileKey]) else { return 0 }
        var n = 0
        let base = from.resolvingSymlinksInPath().path
        for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let relative = String(file.resolvingSymlinksInPath().path.dropFirst(base.count + 1))
            let target = to.appendingPathComponent(relative)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            if !fm.fileExists(atPath: target.path) { try fm.copyItem(at: file, to: target) }
            n += 1
        }
        return n
    }

    static func sha256(of file: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return Digits.hex(hasher.finalize())
    }

    static func size(_ file: URL) -> String {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// A PostgreSQL client tool: Debian's versioned folder first, then PATH.
    static func postgresTool(_ name: String) -> String {
        let dirs = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted { $0.compare($1, options: .numeric) == .orderedDescending }
        for d in dirs where FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\(d)/bin/\(name)") { return "/usr/lib/postgresql/\(d)/bin/\(name)" }
        return name
    }

    static func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let p = Process()
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.executableURL = URL(fileURLWithPath: tool.hasPrefix("/") ? tool : "/usr/bin/env")
        p.arguments = tool.hasPrefix("/") ? arguments : [tool] + arguments
        let err = Pipe()
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { throw Failure(description: "\(tool) cannot be started (\(error)); install postgresql-client") }
        let message = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Failure(description: "\(tool) failed (exit \(p.terminationStatus)): \(String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
