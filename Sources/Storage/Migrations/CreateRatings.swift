// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 009: citizens' ratings of how their dossier was handled (indicator 5.4). One per dossier;
    /// rating again replaces it.
    static let createRatings = Migration(
        id: 9, name: "CreateRatings",
        up: [
            """
            CREATE TABLE dossier_ratings (
                dossier_id TEXT PRIMARY KEY REFERENCES dossiers(id),
                rated_at TEXT NOT NULL,
                time_ok BIGINT NOT NULL,
                attitude_ok BIGINT NOT NULL,
                result_ok BIGINT NOT NULL,
                comment TEXT,
                via TEXT NOT NULL
            )
            """
        ],
        down: ["DROP TABLE dossier_ratings"])
}
