// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 006: electronic results (the signed PDF, its registered hash and status for the public QR
    /// page), the specialist's draft of a result's fields, and the reception signature of each
    /// digitized copy.
    static let createResults = Migration(
        id: 6, name: "CreateResults",
        up: [
            """
            CREATE TABLE results (
                id TEXT PRIMARY KEY,
                dossier_id TEXT NOT NULL REFERENCES dossiers(id),
                component_id TEXT REFERENCES dossier_components(id),
                blob_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
                template TEXT,
                title TEXT NOT NULL,
                issuer TEXT NOT NULL,
                signers TEXT NOT NULL,
                status TEXT NOT NULL,
                issued_at TEXT NOT NULL,
                issued_by TEXT NOT NULL,
                status_changed_at TEXT,
                status_reason TEXT,
                superseded_by TEXT
            )
            """,
            "CREATE INDEX results_dossier ON results (dossier_id, issued_at)",
            "CREATE INDEX results_blob ON results (blob_sha256)",
            """
            CREATE TABLE result_drafts (
                dossier_id TEXT PRIMARY KEY REFERENCES dossiers(id),
                fields TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            "ALTER TABLE dossier_components ADD COLUMN signed_sha256 TEXT",
            "ALTER TABLE dossier_components ADD COLUMN signed_by TEXT",
            "ALTER TABLE dossier_components ADD COLUMN signed_at TEXT",
            "ALTER TABLE dossier_components ADD COLUMN sign_error TEXT",
        ],
        down: [
            "ALTER TABLE dossier_components DROP COLUMN sign_error",
            "ALTER TABLE dossier_components DROP COLUMN signed_at",
            "ALTER TABLE dossier_components DROP COLUMN signed_by",
            "ALTER TABLE dossier_components DROP COLUMN signed_sha256",
            "DROP TABLE result_drafts",
            "DROP TABLE results",
        ])
}
