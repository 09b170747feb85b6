// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Which SQL dialect a database speaks. Queries are written once with `?` placeholders
/// and portable SQL; the few places that differ ask for the dialect.
public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres
}

/// A connection (or a transaction on one) that runs SQL with `?` placeholders.
public protocol SQLExecutor: Sendable {
    var dialect: SQLDialect { get }
    /// Runs one statement and returns its rows (empty for statements without a result).
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [Row]
    /// Inside a transaction: work to run last, just before it commits; nil outside one.
    var beforeCommit: BeforeCommit? { get }
}

/// Work a transaction runs last, in the order it was added, just before COMMIT: the audit
/// ledger's append, whose lock on the chain's tip is then held only while the transaction ends.
public final class BeforeCommit: @unchecked Sendable {
    public typealias Work = @Sendable (any SQLExecutor) async throws -> Void
    private let lock = NSLock()
    private var work: [Work] = []

    public init() {}

    public func add(_ w: @escaping Work) { lock.withLock { work.append(w) } }

    /// Runs the work on `tx`, including work that work adds.
    func run(on tx: any SQLExecutor) async throws {
        while true {
            let next: [Work] = lock.withLock {
                defer { work.removeAll() }
                return work
            }
            if next.isEmpty { return }
            for w in next { try await w(tx) }
        }
    }
}

extension SQLExecutor {
    public var beforeCommit: BeforeCommit? { nil }

    @discardableResult
    public func query(_ sql: String, _ binds: any SQLBindable...) async throws -> [Row] {
        try await query(sql, binds.map(\.sqlValue))
    }

    public func first(_ sql: String, _ binds: any SQLBindable...) async throws -> Row? {
        try await query(sql, binds.map(\.sqlValue)).first
    }
}

/// A database: reads outside transactions, and transactions that commit or roll back as a whole.
public protocol Database: SQLExecutor {
    /// Runs `body` in one transaction; any thrown error rolls everything back.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// Closes connections.
    func close() async
}

/// Builds a database from a URL: nil means SQLite at `sqlitePath`.
public enum DatabaseFactory {
    public static func open(url: String?, sqlitePath: String) async throws -> any Database {
        if let url, !url.isEmpty {
            return try await PostgresDatabase.connect(url: url)
        }
        return try await SQLiteDatabase.open(path: sqlitePath)
    }
}
