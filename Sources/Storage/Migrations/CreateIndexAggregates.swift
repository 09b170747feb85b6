// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 008: the service-quality index (Decision 766), kept live. `index_dossiers` holds each
    /// received dossier's place (month, unit, procedure) and facts as a bit set; the two count
    /// tables hold, per month and unit (and procedure), how many dossiers have each fact. Every
    /// change rewrites the dossier's row and moves the counts by the difference, in the change's
    /// own transaction; `motcua index rebuild` recomputes all three from the source tables.
    static let createIndexAggregates = Migration(
        id: 8, name: "CreateIndexAggregates",
        up: [
            """
            CREATE TABLE index_dossiers (
                dossier_id TEXT PRIMARY KEY,
                period TEXT NOT NULL,
                unit TEXT NOT NULL,
                procedure_code TEXT NOT NULL,
                facts BIGINT NOT NULL,
                open_due_at TEXT,
                receiving_unit TEXT NOT NULL,
                received_by TEXT,
                handled_by TEXT
            )
            """,
            "CREATE INDEX index_dossiers_unit ON index_dossiers (period, unit)",
            // Open dossiers turn late as time passes, without a change: counted when asked, over
            // the open ones only.
            "CREATE INDEX index_dossiers_open ON index_dossiers (period, open_due_at)",
            """
            CREATE TABLE index_counts (
                period TEXT NOT NULL,
                unit TEXT NOT NULL,
                fact BIGINT NOT NULL,
                n BIGINT NOT NULL,
                PRIMARY KEY (period, unit, fact)
            )
            """,
            """
            CREATE TABLE index_procedure_counts (
                period TEXT NOT NULL,
                unit TEXT NOT NULL,
                procedure_code TEXT NOT NULL,
                fact BIGINT NOT NULL,
                n BIGINT NOT NULL,
                -- Read by fact: "procedures with at least one online dossier this month".
                PRIMARY KEY (period, fact, unit, procedure_code)
            )
            """,
            // Open dossiers by due day (Vietnam time), per month and unit: "late at the cutoff" reads
            // whole days from here, and only the cutoff's day from index_dossiers.
            """
            CREATE TABLE index_open_due (
                period TEXT NOT NULL,
                unit TEXT NOT NULL,
                due_day TEXT NOT NULL,
                n BIGINT NOT NULL,
                PRIMARY KEY (period, unit, due_day)
            )
            """,
            // Whether a dossier's applicant was looked up in the population database (4.5b, and
            // DSKetNoiCSDL for the portal) is asked on every change: no scan of the access log.
            "CREATE INDEX personal_data_access_dossier ON personal_data_access (dossier_code, purpose)",
        ],
        down: [
            "DROP INDEX personal_data_access_dossier",
            "DROP TABLE index_open_due",
            "DROP TABLE index_procedure_counts",
            "DROP TABLE index_counts",
            "DROP TABLE index_dossiers",
        ])
}
