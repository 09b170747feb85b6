// SPDX-License-Identifier: Apache-2.0

/// Every migration, in order. Add new ones at the end; never edit a shipped one.
public enum Migrations {
    public static let all: [Migration] = [
        createCatalog,
        createDossiers,
        createAccounts,
        createDocuments,
        createSearch,
        createResults,
        createPortalSync,
        createIndexAggregates,
        createRatings,
        createPetitions,
        createHolidayOverrides,
        separateSessions,
        createAuditLedger,
        accountSecurity,
        createSignInRequests,
        createTrackingCodes,
        createAPIClients,
        addReadFences,
        addRequestIds,
        createRateBuckets,
        createSharedVersions,
        addSingleSignOnSubjects,
        indexWorkbenchLists,
    ]

    /// 004: content-addressed blobs and dossier components (digitized files, versions kept).
    static let createDocuments = Migration(
        id: 4, name: "CreateDocuments",
        up: [
            """
            CREATE TABLE blobs (
                sha256 TEXT PRIMARY KEY,
                size BIGINT NOT NULL,
                media_type TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE dossier_components (
                id TEXT PRIMARY KEY,
                dossier_id TEXT NOT NULL REFERENCES dossiers(id),
                component_code TEXT NOT NULL,
                version BIGINT NOT NULL,
                kind TEXT NOT NULL,
                blob_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
                original_name TEXT,
                media_type TEXT NOT NULL,
                size BIGINT NOT NULL,
                uploaded_at TEXT NOT NULL,
                uploaded_by TEXT NOT NULL,
                qc_status TEXT NOT NULL,
                qc_reasons TEXT NOT NULL,
                ocr_status TEXT NOT NULL,
                ocr_attempts BIGINT NOT NULL DEFAULT 0,
                ocr_next_at TEXT,
                ocr_error TEXT,
                ocr_text TEXT,
                ocr_suggestions TEXT,
                searchable_sha256 TEXT REFERENCES blobs(sha256),
                pages BIGINT,
                reused_from TEXT,
                from_warehouse BIGINT NOT NULL DEFAULT 0,
                UNIQUE (dossier_id, component_code, version)
            )
            """,
            // The owner's data warehouse (kho quản lý dữ liệu điện tử của tổ chức, cá nhân): accepted
            // components and results filed under the owner's ID number, for reuse.
            """
            CREATE TABLE warehouse_documents (
                id TEXT PRIMARY KEY,
                owner_id_number TEXT NOT NULL,
                document_type TEXT NOT NULL,
                title TEXT NOT NULL,
                number TEXT,
                issuer TEXT,
                issued_on TEXT,
                valid_until TEXT,
                blob_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
                source_dossier_id TEXT REFERENCES dossiers(id),
                source_component_id TEXT,
                created_at TEXT NOT NULL,
                UNIQUE (owner_id_number, document_type, blob_sha256)
            )
            """,
            "CREATE INDEX warehouse_documents_owner ON warehouse_documents (owner_id_number, document_type)",
            // Back-digitized dossiers keep their original codes and dates and say where they came from.
            "ALTER TABLE dossiers ADD COLUMN origin TEXT NOT NULL DEFAULT 'live'",
            "CREATE INDEX dossier_components_ocr_queue ON dossier_components (ocr_status, ocr_next_at)",
            "CREATE INDEX dossier_components_blob ON dossier_components (blob_sha256)",
        ],
        down: [
            "ALTER TABLE dossiers DROP COLUMN origin",
            "DROP TABLE warehouse_documents",
            "DROP TABLE dossier_components",
            "DROP TABLE blobs",
        ])

    /// 005: the officers' search index, one row per dossier with folded text (lower case, no
    /// diacritics, đ→d): SQLite FTS5, PostgreSQL full-text on the same folded text.
    static let createSearch = Migration(
        id: 5, name: "CreateSearch",
        up: [],
        down: [],
        dialectUp: [
            // The text lives in a plain table keyed by dossier (so an update finds its row by index);
            // an external-content FTS5 table indexes it, kept in step by triggers.
            .sqlite: [
                "CREATE TABLE dossier_search (id INTEGER PRIMARY KEY, dossier_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)",
                """
                CREATE VIRTUAL TABLE dossier_search_fts USING fts5(body, content = 'dossier_search', content_rowid = 'id',
                  tokenize = 'unicode61 remove_diacritics 2', detail = column)
                """,
                """
                CREATE TRIGGER dossier_search_ai AFTER INSERT ON dossier_search BEGIN
                  INSERT INTO dossier_search_fts (rowid, body) VALUES (new.id, new.body);
                END
                """,
                """
                CREATE TRIGGER dossier_search_ad AFTER DELETE ON dossier_search BEGIN
                  INSERT INTO dossier_search_fts (dossier_search_fts, rowid, body) VALUES ('delete', old.id, old.body);
                END
                """,
                """
                CREATE TRIGGER dossier_search_au AFTER UPDATE ON dossier_search BEGIN
                  INSERT INTO dossier_search_fts (dossier_search_fts, rowid, body) VALUES ('delete', old.id, old.body);
                  INSERT INTO dossier_search_fts (rowid, body) VALUES (new.id, new.body);
                END
                """,
            ],
            .postgres: [
                """
                CREATE TABLE dossier_search (
                    dossier_id TEXT PRIMARY KEY,
                    body TEXT NOT NULL,
                    tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED
                )
                """,
                "CREATE INDEX dossier_search_tsv ON dossier_search USING GIN (tsv)",
            ],
        ],
        dialectDown: [
            .sqlite: [
                "DROP TRIGGER dossier_search_au", "DROP TRIGGER dossier_search_ad", "DROP TRIGGER dossier_search_ai",
                "DROP TABLE dossier_search_fts", "DROP TABLE dossier_search",
            ],
            .postgres: ["DROP TABLE dossier_search"],
        ])

    /// 001: administrative units and the procedure catalog with versions.
    static let createCatalog = Migration(
        id: 1, name: "CreateCatalog",
        up: [
            """
            CREATE TABLE units (
                code TEXT PRIMARY KEY,
                admin_code TEXT,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                sector TEXT,
                parent_code TEXT REFERENCES units(code),
                address TEXT
            )
            """,
            """
            CREATE TABLE procedures (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                name_folded TEXT NOT NULL,
                field_code TEXT NOT NULL,
                field_name TEXT NOT NULL,
                level TEXT NOT NULL,
                authority TEXT NOT NULL,
                subjects TEXT NOT NULL,
                non_territorial BIGINT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE procedure_versions (
                procedure_code TEXT NOT NULL REFERENCES procedures(code),
                version BIGINT NOT NULL,
                effective_from TEXT NOT NULL,
                spec TEXT NOT NULL,
                PRIMARY KEY (procedure_code, version)
            )
            """,
            "CREATE INDEX procedures_field ON procedures (field_code)",
        ],
        down: [
            "DROP TABLE procedure_versions",
            "DROP TABLE procedures",
            "DROP TABLE units",
        ])

    /// 002: dossiers, their append-only events, the outbox and the daily code sequences.
    static let createDossiers = Migration(
        id: 2, name: "CreateDossiers",
        up: [
            """
            CREATE TABLE dossier_code_sequences (
                agency_code TEXT NOT NULL,
                day TEXT NOT NULL,
                last_value BIGINT NOT NULL,
                PRIMARY KEY (agency_code, day)
            )
            """,
            """
            CREATE TABLE dossiers (
                id TEXT PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                procedure_code TEXT NOT NULL REFERENCES procedures(code),
                procedure_version BIGINT NOT NULL,
                channel TEXT NOT NULL,
                status BIGINT NOT NULL,
                stage TEXT NOT NULL,
                receiving_unit TEXT NOT NULL REFERENCES units(code),
                competent_unit TEXT NOT NULL REFERENCES units(code),
                handling_unit TEXT NOT NULL REFERENCES units(code),
                assignee TEXT,
                applicant_id_number TEXT NOT NULL,
                applicant_name TEXT NOT NULL,
                applicant_phone TEXT,
                applicant_email TEXT,
                applicant_address TEXT,
                applicant_kind TEXT NOT NULL,
                owner_username TEXT,
                subject TEXT NOT NULL,
                submitted_at TEXT NOT NULL,
                received_at TEXT,
                due_at TEXT,
                finished_at TEXT,
                returned_at TEXT,
                paused_at TEXT,
                pause_kind TEXT,
                status_before_pause BIGINT,
                paused_minutes BIGINT NOT NULL DEFAULT 0,
                supplement_count BIGINT NOT NULL DEFAULT 0,
                extension_count BIGINT NOT NULL DEFAULT 0,
                fee BIGINT NOT NULL DEFAULT 0,
                paid_at TEXT,
                version BIGINT NOT NULL,
                event_seq BIGINT NOT NULL,
                event_hash TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            // The lists officers use: their unit's work by status, ordered by due date.
            "CREATE INDEX dossiers_handling_status_due ON dossiers (handling_unit, status, due_at)",
            "CREATE INDEX dossiers_receiving_received ON dossiers (receiving_unit, received_at)",
            // Overdue scans: open dossiers ordered by due date.
            "CREATE INDEX dossiers_status_due ON dossiers (status, due_at)",
            "CREATE INDEX dossiers_applicant ON dossiers (applicant_id_number)",
            // Keyed by (dossier, seq): the chain order, and one b-tree fewer to write per event.
            """
            CREATE TABLE dossier_events (
                dossier_id TEXT NOT NULL REFERENCES dossiers(id),
                seq BIGINT NOT NULL,
                id TEXT NOT NULL,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                actor_unit TEXT,
                action TEXT NOT NULL,
                from_status BIGINT,
                to_status BIGINT NOT NULL,
                note TEXT,
                data TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL,
                PRIMARY KEY (dossier_id, seq)
            )
            """,
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
        ],
        down: [
            "DROP TABLE outbox",
            "DROP TABLE dossier_events",
            "DROP TABLE dossiers",
            "DROP TABLE dossier_code_sequences",
        ])

    /// 003: officials' and citizens' accounts, API tokens and the personal-data access log.
    static let createAccounts = Migration(
        id: 3, name: "CreateAccounts",
        up: [
            """
            CREATE TABLE users (
                username TEXT PRIMARY KEY,
                password_hash TEXT NOT NULL,
                full_name TEXT NOT NULL,
                roles TEXT NOT NULL,
                unit_code TEXT REFERENCES units(code),
                id_number TEXT,
                active BIGINT NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE access_tokens (
                token_hash TEXT PRIMARY KEY,
                username TEXT NOT NULL REFERENCES users(username),
                issued_at TEXT NOT NULL,
                expires_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE personal_data_access (
                id TEXT PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                dossier_code TEXT,
                id_number TEXT NOT NULL,
                purpose TEXT NOT NULL
            )
            """,
            "CREATE INDEX personal_data_access_id_number ON personal_data_access (id_number, at)",
            """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )
            """,
        ],
        down: [
            "DROP TABLE settings",
            "DROP TABLE personal_data_access",
            "DROP TABLE access_tokens",
            "DROP TABLE users",
        ])
}
