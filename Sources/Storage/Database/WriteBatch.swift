// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A transaction's writes sent together. On PostgreSQL every statement is a trip to the server
/// and back, and a transaction that holds a hot row (the day's dossier-code counter, the audit
/// ledger's tip) holds it for all its trips: a reception was fifteen of them. Writes whose
/// results nobody reads wait here and go as one statement, each but the last a data-modifying
/// `WITH` clause; a read (or a statement with `RETURNING`) sends what waits first, so every read
/// sees every write before it, as without the batch. On SQLite statements are calls inside the
/// process, not trips: they run at once.
///
/// PostgreSQL runs a statement's clauses on one snapshot, so two of them changing the same row
/// would not see each other (and which one wins is not defined): a write to a table already
/// waiting sends the batch first. An error from any of the writes surfaces at the send, which is
/// still inside the transaction, so it still rolls back as a whole; it cannot be caught at the
/// write itself (on PostgreSQL a failed statement ends the transaction anyway).
public final class WriteBatch: SQLExecutor, @unchecked Sendable {
    let tx: any SQLExecutor
    private let lock = NSLock()
    private var waiting: [(sql: String, binds: [SQLValue], table: String)] = []

    init(_ tx: any SQLExecutor) { self.tx = tx }

    public var dialect: SQLDialect { tx.dialect }
    public var beforeCommit: BeforeCommit? { tx.beforeCommit }

    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [Row] {
        guard dialect == .postgres, let table = Self.writtenTable(sql) else {
            try await send()
            return try await tx.query(sql, binds)
        }
        if lock.withLock({ waiting.contains { $0.table == table } }) { try await send() }
        lock.withLock { waiting.append((sql, binds, table)) }
        return []
    }

    /// Sends what waits, as one statement.
    public func send() async throws {
        let batch: [(sql: String, binds: [SQLValue], table: String)] = lock.withLock {
            defer { waiting.removeAll() }
            return waiting
        }
        guard let last = batch.last else { return }
        guard batch.count > 1 else { return _ = try await tx.query(last.sql, last.binds) }
        let clauses = batch.dropLast().enumerated().map { "w\($0.offset) AS (\($0.element.sql))" }
        try await tx.query("WITH " + clauses.joined(separator: ", ") + " " + last.sql, batch.flatMap(\.binds))
    }

    /// The table an INSERT, UPDATE or DELETE writes; nil for anything else: reads, writes whose
    /// rows the caller reads back (`RETURNING`), and writes that read (a `SELECT` inside would
    /// read the snapshot from before the writes waiting beside it).
    static func writtenTable(_ sql: String) -> String? {
        let words = sql.split(maxSplits: 3, whereSeparator: \.isWhitespace).prefix(3).map { $0.uppercased() }
        guard words.count == 3 else { return nil }
        let upper = sql.uppercased()
        guard !upper.contains("RETURNING"), !upper.contains("SELECT") else { return nil }
        switch (words[0], words[1]) {
        case ("INSERT", "INTO"), ("DELETE", "FROM"): return words[2].split(separator: "(").first.map(String.init)
        case ("UPDATE", _): return words[1]
        default: return nil
        }
    }
}

extension SQLExecutor {
    /// Runs `body` with its writes batched (see `WriteBatch`) and sends them at its end.
    /// Inside another batch, the writes join it.
    public func batchingWrites<T: Sendable>(_ body: (WriteBatch) async throws -> T) async throws -> T {
        if let outer = self as? WriteBatch { return try await body(outer) }
        let batch = WriteBatch(self)
        let value: T
        do {
            value = try await body(batch)
        } catch {
            // What waits was written before the error, as it would have been without the batch.
            try? await batch.send()
            throw error
        }
        try await batch.send()
        return value
    }
}
