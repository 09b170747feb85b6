// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// The officers' search index: one row per dossier with folded words (code, applicant, ID number,
/// phone, procedure, OCR text). SQLite FTS5 (bm25 ranking) and PostgreSQL full-text (ts_rank)
/// behind one interface; the caller's scope is applied in the same query.
public enum SearchStore {
    /// Replaces a dossier's indexed text.
    public static func put(dossierId: String, text: String, on tx: any SQLExecutor) async throws {
        let body = TextFolding.searchTokens(text).joined(separator: " ")
        try await tx.query(
            "INSERT INTO dossier_search (dossier_id, body) VALUES (?, ?) ON CONFLICT (dossier_id) DO UPDATE SET body = excluded.body",
            dossierId, body)
    }

    /// Indexes many dossiers at once (bulk loads and benchmarks).
    public static func putMany(_ rows: [(dossierId: String, text: String)], on tx: any SQLExecutor) async throws {
        for chunk in stride(from: 0, to: rows.count, by: 1000) {
            let part = rows[chunk..<min(rows.count, chunk + 1000)]
            let sql = "INSERT INTO dossier_search (dossier_id, body) VALUES " + Array(repeating: "(?, ?)", count: part.count).joined(separator: ", ")
            try await tx.query(sql, part.flatMap { [SQLValue.text($0.dossierId), .text(TextFolding.searchTokens($0.text).joined(separator: " "))] })
        }
    }

    /// Appends words (e.g. OCR text) to a dossier's indexed text.
    public static func append(dossierId: String, text: String, on tx: any SQLExecutor) async throws {
        let current = try await tx.first("SELECT body FROM dossier_search WHERE dossier_id = ?", dossierId)?.string("body") ?? ""
        try await put(dossierId: dossierId, text: current + " " + text, on: tx)
    }

    /// Dossier rows matching every word of `query`, best first, within scope. Words match whole,
    /// except the last, which matches as a prefix (the officer may still be typing it): prefix
    /// expansion of every word multiplies the work on common names.
    public static func search(
        _ query: String, scopeUnit: String?, scopeIdNumber: String?, limit: Int, on db: any SQLExecutor
    ) async throws -> [Row] {
        let words = TextFolding.searchTokens(query).prefix(12)
        guard !words.isEmpty else { return [] }
        var scope = ""
        var scopeBinds: [SQLValue] = []
        if let u = scopeUnit {
            scope += " AND (d.handling_unit = ? OR d.receiving_unit = ? OR d.competent_unit = ?)"
            scopeBinds += [.text(u), .text(u), .text(u)]
        }
        if let idn = scopeIdNumber {
            scope += " AND d.applicant_id_number = ?"
            scopeBinds.append(.text(idn))
        }
        switch db.dialect {
        case .sqlite:
            let match = words.enumerated().map { $0.offset == words.count - 1 ? "\"\($0.element)\"*" : "\"\($0.element)\"" }.joined(separator: " AND ")
            if scope.isEmpty {
                // Rank inside the full-text index first, then fetch only the winners.
                return try await db.query(
                    """
                    SELECT d.* FROM (SELECT rowid AS rid, bm25(dossier_search_fts) AS score FROM dossier_search_fts
                      WHERE dossier_search_fts MATCH ? ORDER BY score LIMIT ?) top
                    JOIN dossier_search s ON s.id = top.rid JOIN dossiers d ON d.id = s.dossier_id ORDER BY top.score, d.id
                    """, [.text(match), .int(Int64(limit))])
            }
            return try await db.query(
                """
                SELECT d.* FROM dossier_search_fts f JOIN dossier_search s ON s.id = f.rowid JOIN dossiers d ON d.id = s.dossier_id
                WHERE dossier_search_fts MATCH ?\(scope) ORDER BY bm25(dossier_search_fts), d.id LIMIT ?
                """, [.text(match)] + scopeBinds + [.int(Int64(limit))])
        case .postgres:
            let tsq = words.enumerated().map { $0.offset == words.count - 1 ? "\($0.element):*" : $0.element }.joined(separator: " & ")
            return try await db.query(
                """
                SELECT d.* FROM dossier_search s JOIN dossiers d ON d.id = s.dossier_id
                WHERE s.tsv @@ to_tsquery('simple', ?)\(scope) ORDER BY ts_rank(s.tsv, to_tsquery('simple', ?)) DESC, d.id LIMIT ?
                """, [.text(tsq)] + scopeBinds + [.text(tsq), .int(Int64(limit))])
        }
    }
}
