// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// The yearly holiday overrides entered by administrators (migration 11).
public enum HolidayStore {
    public static func all(on db: any SQLExecutor) async throws -> [YearOverride] {
        try await db.query("SELECT spec FROM holiday_overrides ORDER BY year", []).map { r in
            try JSONDecoder().decode(YearOverride.self, from: Data(try r.require("spec").utf8))
        }
    }

    /// One recorded year, locked for the rest of the transaction (PostgreSQL) so that two
    /// administrators' changes to it follow each other instead of overwriting.
    public static func year(_ year: Int, on tx: any SQLExecutor) async throws -> YearOverride? {
        guard let r = try await tx.first("SELECT spec FROM holiday_overrides WHERE year = ?" + (tx.dialect == .postgres ? " FOR UPDATE" : ""), year) else { return nil }
        return try JSONDecoder().decode(YearOverride.self, from: Data(try r.require("spec").utf8))
    }

    public static func put(_ o: YearOverride, by: String, at now: Date, on db: any SQLExecutor) async throws {
        let spec = String(decoding: try JSONEncoder().encode(o), as: UTF8.self)
        try await db.query(
            """
            INSERT INTO holiday_overrides (year, spec, updated_at, updated_by) VALUES (?, ?, ?, ?)
            ON CONFLICT (year) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """, [o.year.sqlValue, spec.sqlValue, now.sqlValue, by.sqlValue])
    }
}
