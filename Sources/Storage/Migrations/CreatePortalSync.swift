// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 007: delivery to the national portal (DVCQG). The per-change `outbox` rows become one row
    /// per dossier, upserted in every change's transaction: the portal only ever needs the latest
    /// snapshot (an older one must never land after a newer one), and the progress rows come from
    /// the dossier's own event log, so coalescing loses nothing and keeps order by construction.
    static let createPortalSync = Migration(
        id: 7, name: "CreatePortalSync",
        up: [
            """
            CREATE TABLE portal_sync (
                dossier_id TEXT PRIMARY KEY REFERENCES dossiers(id),
                dossier_code TEXT NOT NULL,
                state TEXT NOT NULL,
                wanted_version BIGINT NOT NULL,
                acked_version BIGINT NOT NULL DEFAULT 0,
                on_portal BIGINT NOT NULL DEFAULT 0,
                progress_seq BIGINT NOT NULL DEFAULT 0,
                progress_uncertain BIGINT NOT NULL DEFAULT 0,
                attempts BIGINT NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                lease_owner TEXT,
                lease_until TEXT,
                pending_since TEXT,
                acked_at TEXT,
                last_error TEXT,
                last_error_kind TEXT,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX portal_sync_due ON portal_sync (state, next_attempt_at)",
            """
            CREATE TABLE portal_sync_log (
                id TEXT PRIMARY KEY,
                at TEXT NOT NULL,
                dossier_code TEXT NOT NULL,
                service TEXT NOT NULL,
                version BIGINT NOT NULL,
                outcome TEXT NOT NULL,
                kind TEXT,
                message TEXT
            )
            """,
            "CREATE INDEX portal_sync_log_at ON portal_sync_log (at)",
            // Every change so far becomes due once.
            """
            INSERT INTO portal_sync (dossier_id, dossier_code, state, wanted_version, next_attempt_at, pending_since, updated_at)
            SELECT dossier_id, MAX(dossier_code), 'pending', MAX(dossier_version), MIN(created_at), MIN(created_at), MAX(created_at)
            FROM outbox WHERE topic = 'dvcqg.dossier' GROUP BY dossier_id
            """,
            "DROP TABLE outbox",
        ],
        down: [
            """
            CREATE TABLE outbox (
                id TEXT PRIMARY KEY,
                topic TEXT NOT NULL,
                dossier_id TEXT NOT NULL,
                dossier_code TEXT NOT NULL,
                dossier_version BIGINT NOT NULL,
                payload TEXT NOT NULL,
                created_at TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                last_error TEXT
            )
            """,
            "CREATE INDEX outbox_pending ON outbox (state, next_attempt_at)",
            "DROP TABLE portal_sync_log",
            "DROP TABLE portal_sync",
        ])
}
