// SPDX-License-Identifier: Apache-2.0
import CSQLite
import Foundation

/// SQLite in WAL mode through the C API. One writer connection, guarded by a FIFO async lock
/// (SQLite allows one writer; serializing in-process avoids SQLITE_BUSY), and reader connections
/// that see committed data while a write is in progress. Statements run synchronously on the
/// calling thread with cached prepared statements: a statement costs microseconds, less than a
/// hop to a thread pool would (measured in docs/BENCHMARKS.md).
public final class SQLiteDatabase: Database, @unchecked Sendable {
    public let dialect = SQLDialect.sqlite
    public let path: String
    private let writer: SQLiteHandle
    private let readers: [SQLiteHandle]
    private let writeLock = AsyncMutex()
    private let nextReader = NSLock()
    private var next = 0

    private init(path: String, writer: SQLiteHandle, readers: [SQLiteHandle]) {
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
        let writer = try SQLiteHandle(path: path)
        _ = try writer.run("PRAGMA journal_mode=WAL", [])
        try writer.configure()
        var readers: [SQLiteHandle] = []
        for _ in 0..<max(1, readerCount) {
            let r = try SQLiteHandle(path: path)
            try r.configure()
            readers.append(r)
        }
        return SQLiteDatabase(path: path, writer: writer, readers: readers)
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [Row] {
        if Self.isRead(sql) {
            let r = nextReader.withLock { () -> SQLiteHandle in
                next &+= 1
                return readers[next % readers.count]
            }
            return try r.run(sql, binds)
        }
        let writer = self.writer
        return try await writeLock.withLock { try writer.run(sql, binds) }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        let writer = self.writer
        return try await writeLock.withLock {
            _ = try writer.run("BEGIN IMMEDIATE", [])
            do {
                let tx = SQLiteTransaction(handle: writer, beforeCommit: BeforeCommit())
                let value = try await body(tx)
                try await tx.beforeCommit?.run(on: tx)
                _ = try writer.run("COMMIT", [])
                return value
            } catch {
                _ = try? writer.run("ROLLBACK", [])
                throw error
            }
        }
    }

    public func close() async {
        await writeLock.lock()
        writer.close()
        for r in readers { r.close() }
        await writeLock.unlock()
    }

    static func isRead(_ sql: String) -> Bool {
        let head = sql.prefix(8).uppercased()
        return head.hasPrefix("SELECT") || head.hasPrefix("WITH")
    }
}

/// The writer connection inside a transaction (the caller holds the write lock).
struct SQLiteTransaction: SQLExecutor {
    let handle: SQLiteHandle
    let beforeCommit: BeforeCommit?
    var dialect: SQLDialect { .sqlite }

    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [Row] {
        try handle.run(sql, binds)
    }
}

/// One connection with its prepared-statement cache. Not thread-safe by itself: every use is
/// under a lock (the write lock, or the handle's own lock for readers).
final class SQLiteHandle: @unchecked Sendable {
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    private let lock = NSLock()

    init(path: String) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(rc)"
            sqlite3_close(db)
            throw StorageError.badConfiguration("cannot open SQLite database \(path): \(message)")
        }
        sqlite3_extended_result_codes(db, 1)
    }

    func configure() throws {
        _ = try run("PRAGMA synchronous=NORMAL", [])
        _ = try run("PRAGMA busy_timeout=10000", [])
        _ = try run("PRAGMA foreign_keys=ON", [])
        // Checkpoint the WAL every ~16 MiB instead of 4 MiB: fewer fsyncs under steady writes.
        _ = try run("PRAGMA wal_autocheckpoint=4000", [])
        _ = try run("PRAGMA cache_size=-32000", [])
    }

    func close() {
        lock.withLock {
            for (_, s) in statements { sqlite3_finalize(s) }
            statements = [:]
            sqlite3_close_v2(db)
            db = nil
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Runs one statement and collects its rows.
    func run(_ sql: String, _ binds: [SQLValue]) throws -> [Row] {
        try lock.withLock {
            guard let db else { throw StorageError.failed("SQLite connection is closed") }
            let stmt: OpaquePointer
            if let cached = statements[sql] {
                stmt = cached
            } else {
                var s: OpaquePointer?
                let rc = sqlite3_prepare_v2(db, sql, -1, &s, nil)
                guard rc == SQLITE_OK, let s else { throw error(db, rc, sql) }
                // DDL is not worth caching (and its schema may change under it).
                if !sql.uppercased().hasPrefix("CREATE") && !sql.uppercased().hasPrefix("DROP") { statements[sql] = s }
                stmt = s
            }
            defer {
                sqlite3_reset(stmt)
                sqlite3_clear_bindings(stmt)
                if statements[sql] == nil { sqlite3_finalize(stmt) }
            }
            for (i, v) in binds.enumerated() {
                let idx = Int32(i + 1)
                let rc: Int32
                switch v {
                case .null: rc = sqlite3_bind_null(stmt, idx)
                case .int(let n): rc = sqlite3_bind_int64(stmt, idx, n)
                case .double(let d): rc = sqlite3_bind_double(stmt, idx, d)
                case .text(let s): rc = sqlite3_bind_text(stmt, idx, s, -1, Self.transient)
                case .bytes(let b): rc = b.withUnsafeBytes { sqlite3_bind_blob(stmt, idx, $0.baseAddress, Int32(b.count), Self.transient) }
                }
                guard rc == SQLITE_OK else { throw error(db, rc, sql) }
            }
            var rows: [Row] = []
            var names: ColumnIndex?
            while true {
                let rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw error(db, rc, sql) }
                let n = sqlite3_column_count(stmt)
                if names == nil { names = ColumnIndex((0..<n).map { String(cString: sqlite3_column_name(stmt, $0)) }) }
                var values: [SQLValue] = []
                values.reserveCapacity(Int(n))
                for c in 0..<n {
                    switch sqlite3_column_type(stmt, c) {
                    case SQLITE_INTEGER: values.append(.int(sqlite3_column_int64(stmt, c)))
                    case SQLITE_FLOAT: values.append(.double(sqlite3_column_double(stmt, c)))
                    case SQLITE_TEXT: values.append(.text(String(cString: sqlite3_column_text(stmt, c))))
                    case SQLITE_BLOB:
                        let count = Int(sqlite3_column_bytes(stmt, c))
                        if let p = sqlite3_column_blob(stmt, c) {
                            values.append(.bytes(Array(UnsafeRawBufferPointer(start: p, count: count))))
                        } else {
                            values.append(.bytes([]))
                        }
                    default: values.append(.null)
                    }
                }
                rows.append(Row(index: names!, values: values))
            }
            return rows
        }
    }

    private func error(_ db: OpaquePointer, _ rc: Int32, _ sql: String) -> StorageError {
        let message = String(cString: sqlite3_errmsg(db))
        let extended = sqlite3_extended_errcode(db)
        if extended == 2067 || extended == 1555 {  // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
            return .uniqueViolation(message)
        }
        return .failed("SQLite (\(extended)): \(message) [\(sql.prefix(120))]")
    }
}
