// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// What an operator watches, read at scrape time: queues and totals from small tables.
public enum OperationsStore {
    public struct Queues: Sendable {
        /// Uploaded files waiting for OCR and quality control.
        public var ocrWaiting = 0
        /// Text messages not sent yet.
        public var textsUnsent = 0
        /// Dossiers received and dossiers whose handling ended, by unit (all periods).
        public var receivedByUnit: [String: Int] = [:]
        public var endedByUnit: [String: Int] = [:]
    }

    public static func queues(on db: any SQLExecutor) async throws -> Queues {
        var q = Queues()
        q.ocrWaiting = try await db.first("SELECT COUNT(*) AS n FROM dossier_components WHERE ocr_status IN ('pending', 'running')")?.int("n") ?? 0
        q.textsUnsent = try await db.first("SELECT COUNT(*) AS n FROM notifications WHERE sent_at IS NULL")?.int("n") ?? 0
        // index_counts keeps the bit number of each fact: received is bit 0, ended bit 2.
        for r in try await db.query("SELECT unit, fact, CAST(SUM(n) AS BIGINT) AS n FROM index_counts WHERE fact IN (0, 2) GROUP BY unit, fact", []) {
            guard let unit = r.string("unit"), let n = r.int("n") else { continue }
            if r.int("fact") == 0 { q.receivedByUnit[unit] = n } else { q.endedByUnit[unit] = n }
        }
        return q
    }
}
