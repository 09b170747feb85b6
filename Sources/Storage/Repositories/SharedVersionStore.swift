// SPDX-License-Identifier: Apache-2.0

/// The versions of the state instances keep in memory (migration 21).
public enum SharedVersionStore {
    public enum Name: String, Sendable, CaseIterable {
        case catalog
        case calendar
    }

    /// Raises `name`'s version; call it in the transaction that changes the state.
    public static func bump(_ name: Name, on db: any SQLExecutor) async throws {
        try await db.query("UPDATE shared_versions SET version = version + 1 WHERE name = ?", [.text(name.rawValue)])
    }

    /// Every version, by name.
    public static func all(on db: any SQLExecutor) async throws -> [Name: Int] {
        var out: [Name: Int] = [:]
        for row in try await db.query("SELECT name, version FROM shared_versions", []) {
            if let n = row.string("name").flatMap(Name.init(rawValue:)), let v = row.int("version") { out[n] = v }
        }
        return out
    }
}
