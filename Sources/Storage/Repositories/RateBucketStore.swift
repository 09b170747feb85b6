// SPDX-License-Identifier: Apache-2.0

/// Token buckets in the database, for limits every instance must share (PostgreSQL).
public enum RateBucketStore {
    /// Takes one token from `key`'s bucket (`burst` at most, refilled at `perSecond`) in one
    /// statement, so instances taking at once never both get the last token. Returns nil when
    /// the request may go on, else the seconds until a token is back.
    public static func take(_ key: String, burst: Double, perSecond: Double, now: Double, on db: any SQLExecutor) async throws -> Double? {
        // The bucket refilled up to now, from the row as it was (every SET reads the old row).
        let refilled = "LEAST(?, rate_buckets.tokens + GREATEST(0, ? - rate_buckets.at_s) * ?)"
        let sql = """
            INSERT INTO rate_buckets (key, tokens, at_s, allowed) VALUES (?, ?, ?, 1)
            ON CONFLICT (key) DO UPDATE SET
              tokens = CASE WHEN \(refilled) >= 1 THEN \(refilled) - 1 ELSE \(refilled) END,
              allowed = CASE WHEN \(refilled) >= 1 THEN 1 ELSE 0 END,
              at_s = ?
            RETURNING tokens, allowed
            """
        let r: [SQLValue] = [.double(burst), .double(now), .double(perSecond)]
        let binds: [SQLValue] = [.text(key), .double(burst - 1), .double(now)] + r + r + r + r + [.double(now)]
        guard let row = try await db.query(sql, binds).first else { return nil }
        guard row.int("allowed") == 0 else { return nil }
        var tokens = 0.0
        if case .double(let d) = row["tokens"] { tokens = d }
        return (1 - tokens) / perSecond
    }

    /// Forgets buckets untouched since `before` (they are full again).
    public static func purge(before: Double, on db: any SQLExecutor) async throws {
        try await db.query("DELETE FROM rate_buckets WHERE at_s < ?", [.double(before)])
    }
}
