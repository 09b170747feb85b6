// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One numbered schema change with its revert. Shipped migrations are never edited: a change
/// to the schema is a new migration. Statements are portable SQL unless `postgresUp` is given.
public struct Migration: Sendable {
    public let id: Int
    public let name: String
    public let up: [String]
    public let down: [String]
    /// Statements only one dialect understands (full-text search), run after `up` / before `down`.
    public let dialectUp: [SQLDialect: [String]]
    public let dialectDown: [SQLDialect: [String]]

    public init(id: Int, name: String, up: [String], down: [String], dialectUp: [SQLDialect: [String]] = [:], dialectDown: [SQLDialect: [String]] = [:]) {
        self.id = id
        self.name = name
        self.up = up
        self.down = down
        self.dialectUp = dialectUp
        self.dialectDown = dialectDown
    }
}

/// Applies and reverts migrations, one transaction each, recording them in `schema_migrations`.
public struct Migrator: Sendable {
    public let database: any Database
    public let migrations: [Migration]

    public init(database: any Database, migrations: [Migration] = Migrations.all) {
        self.database = database
        self.migrations = migrations
    }

    /// Applied migration ids, ascending.
    public func applied() async throws -> [Int] {
        try await database.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (id BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            [])
        return try await database.query("SELECT id FROM schema_migrations ORDER BY id", []).compactMap { $0.int("id") }
    }

    /// Applies every pending migration; returns the names applied.
    @discardableResult
    public func migrate(progress: (@Sendable (String) -> Void)? = nil) async throws -> [String] {
        let done = Set(try await applied())
        var names: [String] = []
        for m in migrations.sorted(by: { $0.id < $1.id }) where !done.contains(m.id) {
            progress?("applying \(m.id) \(m.name)")
            try await database.transaction { tx in
                for s in m.up + (m.dialectUp[tx.dialect] ?? []) { try await tx.query(s, []) }
                try await tx.query(
                    "INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)", m.id, m.name, Date())
            }
            names.append(m.name)
        }
        return names
    }

    /// Reverts the latest `steps` applied migrations; returns the names reverted.
    @discardableResult
    public func revert(steps: Int = .max, progress: (@Sendable (String) -> Void)? = nil) async throws -> [String] {
        let done = try await applied().sorted(by: >)
        var names: [String] = []
        for id in done.prefix(steps) {
            guard let m = migrations.first(where: { $0.id == id }) else {
                throw StorageError.failed("migration \(id) is applied but unknown to this binary; use the binary that applied it")
            }
            progress?("reverting \(m.id) \(m.name)")
            try await database.transaction { tx in
                for s in (m.dialectDown[tx.dialect] ?? []) + m.down { try await tx.query(s, []) }
                try await tx.query("DELETE FROM schema_migrations WHERE id = ?", m.id)
            }
            names.append(m.name)
        }
        return names
    }
}
