// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 016: tracking a dossier with a one-time code sent to the phone on file. The messages to
    /// send (an outbox, delivered after the commit and retried by the worker; the code itself is
    /// kept apart and erased once sent), the code waiting for each dossier (hashed, with its
    /// attempts and how many were sent this hour), and the short grants a right code opens.
    static let createTrackingCodes = Migration(
        id: 16, name: "CreateTrackingCodes",
        up: [
            """
            CREATE TABLE notifications (
                id TEXT PRIMARY KEY,
                channel TEXT NOT NULL,
                recipient TEXT NOT NULL,
                body TEXT NOT NULL,
                secret TEXT,
                purpose TEXT NOT NULL,
                dossier_code TEXT,
                created_at TEXT NOT NULL,
                sent_at TEXT,
                attempts BIGINT NOT NULL DEFAULT 0,
                last_error TEXT
            )
            """,
            "CREATE INDEX notifications_unsent ON notifications (sent_at, created_at)",
            """
            CREATE TABLE tracking_codes (
                dossier_code TEXT PRIMARY KEY,
                code_hash TEXT NOT NULL,
                phone TEXT NOT NULL,
                sent_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                hour_started_at TEXT NOT NULL,
                sent_in_hour BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE tracking_grants (
                token_hash TEXT PRIMARY KEY,
                dossier_code TEXT NOT NULL,
                phone TEXT NOT NULL,
                expires_at TEXT NOT NULL
            )
            """,
        ],
        down: ["DROP TABLE tracking_grants", "DROP TABLE tracking_codes", "DROP TABLE notifications"])
}
