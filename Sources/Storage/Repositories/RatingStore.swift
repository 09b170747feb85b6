// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// Citizens' ratings (migration 9).
public enum RatingStore {
    public static func put(dossierId: String, _ r: DossierRating, via: String, at now: Date, on tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            INSERT INTO dossier_ratings (dossier_id, rated_at, time_ok, attitude_ok, result_ok, comment, via) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dossier_id) DO UPDATE SET rated_at = excluded.rated_at, time_ok = excluded.time_ok, attitude_ok = excluded.attitude_ok,
              result_ok = excluded.result_ok, comment = excluded.comment, via = excluded.via
            """,
            [dossierId.sqlValue, now.sqlValue, (r.timeOK ? 1 : 0).sqlValue, (r.attitudeOK ? 1 : 0).sqlValue, (r.resultOK ? 1 : 0).sqlValue, r.comment.sqlValue,
             via.sqlValue])
    }

    public static func rating(dossierId: String, on db: any SQLExecutor) async throws -> (DossierRating, ratedAt: Date)? {
        guard let r = try await db.first("SELECT * FROM dossier_ratings WHERE dossier_id = ?", dossierId), let at = r.date("rated_at") else { return nil }
        return (rating(from: r), at)
    }

    /// The ratings of many dossiers at once (the index's inputs).
    public static func ratings(dossierIds: [String], on db: any SQLExecutor) async throws -> [String: DossierRating] {
        guard !dossierIds.isEmpty else { return [:] }
        var out: [String: DossierRating] = [:]
        for r in try await db.query("SELECT * FROM dossier_ratings WHERE dossier_id IN (\(SQLText.marks(dossierIds.count)))", dossierIds.map(\.sqlValue)) {
            if let id = r.string("dossier_id") { out[id] = rating(from: r) }
        }
        return out
    }

    static func rating(from r: Row) -> DossierRating {
        DossierRating(timeOK: r.int("time_ok") == 1, attitudeOK: r.int("attitude_ok") == 1, resultOK: r.int("result_ok") == 1, comment: r.string("comment"))
    }
}
