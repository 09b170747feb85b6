// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 010: petitions and feedback (phản ánh, kiến nghị) with their steps, their history and the
    /// petitioners' votes on published answers. Each row also keeps what it contributes to the
    /// index (period, on time so far, the instant it turns late, unsatisfied), rewritten with
    /// every change, so 5.2 and 5.3 are one indexed query per period and unit.
    static let createPetitions = Migration(
        id: 10, name: "CreatePetitions",
        up: [
            """
            CREATE TABLE petitions (
                id TEXT PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                unit TEXT NOT NULL,
                class TEXT NOT NULL,
                dossier_id TEXT REFERENCES dossiers(id),
                dossier_code TEXT,
                official TEXT,
                petitioner_name TEXT NOT NULL,
                petitioner_phone TEXT NOT NULL,
                petitioner_email TEXT,
                content TEXT NOT NULL,
                status TEXT NOT NULL,
                received_at TEXT NOT NULL,
                supplement_requested_at TEXT,
                supplemented_at TEXT,
                rejected_at TEXT,
                answered_at TEXT,
                published_at TEXT,
                answer TEXT,
                likes BIGINT NOT NULL DEFAULT 0,
                dislikes BIGINT NOT NULL DEFAULT 0,
                recomplaint_of TEXT,
                recomplained BIGINT NOT NULL DEFAULT 0,
                version BIGINT NOT NULL,
                period TEXT NOT NULL,
                steps_on_time BIGINT NOT NULL,
                late_after TEXT,
                unsatisfied BIGINT NOT NULL
            )
            """,
            "CREATE INDEX petitions_period ON petitions (period, unit)",
            "CREATE INDEX petitions_dossier ON petitions (dossier_id)",
            "CREATE INDEX petitions_open ON petitions (unit, status, received_at)",
            """
            CREATE TABLE petition_events (
                petition_id TEXT NOT NULL REFERENCES petitions(id),
                seq BIGINT NOT NULL,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                text TEXT,
                PRIMARY KEY (petition_id, seq)
            )
            """,
            """
            CREATE TABLE petition_votes (
                petition_id TEXT NOT NULL REFERENCES petitions(id),
                voter TEXT NOT NULL,
                vote TEXT NOT NULL,
                at TEXT NOT NULL,
                PRIMARY KEY (petition_id, voter)
            )
            """,
        ],
        down: ["DROP TABLE petition_votes", "DROP TABLE petition_events", "DROP TABLE petitions"])
}
