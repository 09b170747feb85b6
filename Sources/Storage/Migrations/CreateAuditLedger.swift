// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 013: the tamper-evident audit ledger. Every dossier event, personal-data look-up, petition
    /// event and account-security event gets one entry, in one global chain: each entry's hash
    /// commits to the previous entry and to a digest of its source row. `audit_head` holds the
    /// chain's tip (locked by each append, so entries are numbered without gaps); checkpoints sign
    /// a tip with an agency key.
    static let createAuditLedger = Migration(
        id: 13, name: "CreateAuditLedger",
        up: [
            """
            CREATE TABLE audit_log (
                seq BIGINT PRIMARY KEY,
                at TEXT NOT NULL,
                kind TEXT NOT NULL,
                ref TEXT NOT NULL,
                actor TEXT NOT NULL,
                subject TEXT,
                digest TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_log_ref ON audit_log (kind, ref)",
            "CREATE INDEX audit_log_subject ON audit_log (subject, seq)",
            "CREATE TABLE audit_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '\(String(repeating: "0", count: 64))')",
            """
            CREATE TABLE audit_checkpoints (
                seq BIGINT PRIMARY KEY,
                at TEXT NOT NULL,
                hash TEXT NOT NULL,
                signer TEXT NOT NULL,
                certificate TEXT NOT NULL,
                signature TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE account_events (
                id TEXT PRIMARY KEY,
                at TEXT NOT NULL,
                username TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                detail TEXT
            )
            """,
            "CREATE INDEX account_events_user ON account_events (username, at)",
        ],
        down: ["DROP TABLE account_events", "DROP TABLE audit_checkpoints", "DROP TABLE audit_head", "DROP TABLE audit_log"])
}
