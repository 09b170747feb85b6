// SPDX-License-Identifier: Apache-2.0
import Foundation
import NIOCore
import SQLiteNIO

/// SQLite in WAL mode: one writer connection guarded by a FIFO lock (SQLite allows one writer;
/// serializing in-process avoids SQLITE_BUSY), and reader connections that see committed data
/// while a write is in progress.
public final class SQLiteDatabase: Database, @unchecked Sendable {
    public let dialect = SQLDialect.sqlite
    public let path: String
    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let writeLock = AsyncMutex()
    // Round-robin over readers; a torn read of the counter only picks another reader.
    private nonisolated(unsafe) var next = 0

    private init(path: String, writer: SQLiteConnection, readers: [SQLiteConnection]) {
        self.path = path
        self.writer = writer
        self.readers = readers
    }

    /// Opens (creating if needed) the database file with WAL and `synchronous=NORMAL`.
    public static func open(path: String, readers readerCount: Int = 2) async throws -> SQLiteDatabase {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        let writer: SQLiteConnection = try await SQLiteConnection.open(storage: .file(path: path))
        try await configure(writer, writer: true)
        var readers: [SQLiteConnection] = []
        for _ in 0..<readerCount {
            let r: SQLiteConnection = try await SQLiteConnection.open(storage: .file(path: path))
            try await configure(r, writer: false)
            readers.append(r)
        }
        return SQLiteDatabase(path: path, writer: writer, readers: readers)
    }

    private static func configure(_ c: SQLiteConnection, writer: Bool) async throws {
        if writer {
            _ = try await c.query("PRAGMA journal_mode=WAL", [])
        }
        _ = try await c.query("PRAGMA synchronous=NORMAL", [])
        _ = try await c.query("PRAGMA busy_timeout=10000", [])
        _ = try await c.query("PRAGMA foreign_keys=ON", [])
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [Row] {
        if Self.isRead(sql) {
            next &+= 1
            return try await Self.run(readers[abs(next) % readers.count], sql, binds)
        }
        let writer = self.writer
        return try await writeLock.withLock { try await Self.run(writer, sql, binds) }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        let writer = self.writer
        return try await writeLock.withLock {
            _ = try await Self.run(writer, "BEGIN IMMEDIATE", [])
            let tx = SQLiteTransaction(connection: writer)
            do {
                let value = try await body(tx)
                _ = try await Self.run(writer, "COMMIT", [])
                return value
            } catch {
                _ = try? await Self.run(writer, "ROLLBACK", [])
                throw error
            }
        }
    }

    public func close() async {
        try? await writer.close()
        for r in readers { try? await r.close() }
    }

    static func isRead(_ sql: String) -> Bool {
        let head = sql.prefix(8).uppercased()
        return head.hasPrefix("SELECT") || head.hasPrefix("WITH")
    }

    static func run(_ c: SQLiteConnection, _ sql: String, _ binds: [SQLValue]) async throws -> [Row] {
        let data: [SQLiteData] = binds.map {
            switch $0 {
            case .null: .null
            case .int(let i): .integer(Int(i))
            case .double(let d): .float(d)
            case .text(let s): .text(s)
            case .bytes(let b): .blob(ByteBuffer(bytes: b))
            }
        }
        do {
            let rows = try await c.query(sql, data)
            return rows.map { r in
                Row(
                    columns: r.columns.map(\.name),
                    values: r.columns.map {
                        switch $0.data {
                        case .null: .null
                        case .integer(let i): .int(Int64(i))
                        case .float(let d): .double(d)
                        case .text(let s): .text(s)
                        case .blob(let b): .bytes(Array(b.readableBytesView))
                        }
                    })
            }
        } catch let e as SQLiteError {
            switch e.reason {
            case .constraintUniqueFailed, .constraintPrimaryKeyFailed: throw StorageError.uniqueViolation(e.message)
            default: throw StorageError.failed("SQLite: \(e.message) [\(sql.prefix(120))]")
            }
        }
    }
}

/// The writer connection inside a transaction (the caller holds the write lock).
struct SQLiteTransaction: SQLExecutor {
    let connection: SQLiteConnection
    var dialect: SQLDialect { .sqlite }

    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [Row] {
        try await SQLiteDatabase.run(connection, sql, binds)
    }
}
