// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
@testable import Storage
import Testing

@Suite("Writes sent together")
struct WriteBatchTests {
    static let schema = [
        "CREATE TABLE wb_rows (id TEXT PRIMARY KEY, v TEXT NOT NULL)",
        "CREATE TABLE wb_counts (k TEXT PRIMARY KEY, n INTEGER NOT NULL)",
    ]

    static func bump(_ k: String, on tx: any SQLExecutor) async throws {
        try await tx.query("INSERT INTO wb_counts (k, n) VALUES (?, 1) ON CONFLICT (k) DO UPDATE SET n = wb_counts.n + 1", k)
    }

    @Test("every write lands, in order: a read sees the writes before it, the same row written twice counts twice", arguments: TestDB.available)
    func writesLand(db kind: TestDB) async throws {
        try await kind.withDatabase { db in
            for s in Self.schema { try await db.query(s, []) }
            let seen = try await db.transaction { tx in
                try await tx.batchingWrites { b in
                    try await b.query("INSERT INTO wb_rows (id, v) VALUES (?, ?)", "a", "1")
                    try await Self.bump("x", on: b)
                    try await Self.bump("x", on: b)  // the same row again: sent apart, not lost
                    try await b.query("UPDATE wb_rows SET v = ? WHERE id = ?", "2", "a")
                    let v = try await b.first("SELECT v FROM wb_rows WHERE id = ?", "a")?.string("v")
                    try await b.query("DELETE FROM wb_rows WHERE id = ?", "a")
                    try await b.query("INSERT INTO wb_rows (id, v) VALUES (?, ?)", "b", "3")
                    return v
                }
            }
            #expect(seen == "2")
            #expect(try await db.query("SELECT id, v FROM wb_rows", []).map { "\($0.string("id") ?? "")=\($0.string("v") ?? "")" } == ["b=3"])
            #expect(try await db.first("SELECT n FROM wb_counts WHERE k = ?", "x")?.int("n") == 2)
        }
    }

    @Test("a write that fails rolls the whole transaction back, whenever its error surfaces", arguments: TestDB.available)
    func failureRollsBack(db kind: TestDB) async throws {
        try await kind.withDatabase { db in
            for s in Self.schema { try await db.query(s, []) }
            try await db.query("INSERT INTO wb_rows (id, v) VALUES ('taken', '0')", [])
            struct FailedAtWrite: Error {}
            var failedAtWrite = false
            do {
                try await db.transaction { tx in
                    try await tx.batchingWrites { b in
                        try await Self.bump("y", on: b)
                        do { try await b.query("INSERT INTO wb_rows (id, v) VALUES (?, ?)", "taken", "1") } catch { throw FailedAtWrite() }
                        try await Self.bump("z", on: b)
                    }
                }
                Issue.record("the duplicate key went through")
            } catch is FailedAtWrite {
                failedAtWrite = true
            } catch {
                #expect("\(error)".contains("wb_rows_pkey"))  // failed when the batch was sent
            }
            // PostgreSQL holds the writes until the batch is sent, so the duplicate key fails
            // then; SQLite runs each write at once.
            #expect(failedAtWrite == (kind == .sqlite))
            #expect(try await db.query("SELECT k FROM wb_counts", []).isEmpty)
            #expect(try await db.first("SELECT v FROM wb_rows WHERE id = 'taken'")?.string("v") == "0")
        }
    }

    @Test("which statements wait: writes without RETURNING, by table")
    func writtenTable() {
        #expect(WriteBatch.writtenTable("INSERT INTO dossiers (id) VALUES (?)") == "DOSSIERS")
        #expect(WriteBatch.writtenTable("\n  insert into index_counts(period, n) VALUES (?, ?)") == "INDEX_COUNTS")
        #expect(WriteBatch.writtenTable("UPDATE audit_head SET seq = ? WHERE id = 1") == "AUDIT_HEAD")
        #expect(WriteBatch.writtenTable("DELETE FROM index_dossiers WHERE dossier_id = ?") == "INDEX_DOSSIERS")
        #expect(WriteBatch.writtenTable("UPDATE dossiers SET v = ? WHERE id = ? RETURNING version") == nil)
        #expect(WriteBatch.writtenTable("SELECT * FROM dossiers") == nil)
        #expect(WriteBatch.writtenTable("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x") == nil)
        #expect(WriteBatch.writtenTable("INSERT INTO t (a) SELECT a FROM u") == nil)
        #expect(WriteBatch.writtenTable("UPDATE t SET n = (SELECT COUNT(*) FROM u)") == nil)
    }
}
