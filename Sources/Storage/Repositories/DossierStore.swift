// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// A stored audit event.
public struct StoredEvent: Sendable, Hashable {
    public let id: String
    public let seq: Int
    public let at: Date
    public let actor: String
    public let actorUnit: String?
    public let action: String
    public let fromStatus: DossierStatus?
    public let toStatus: DossierStatus
    public let note: String?
    public let data: [String: String]
    public let prevHash: String
    public let hash: String

    public init(
        id: String, seq: Int, at: Date, actor: String, actorUnit: String?, action: String, fromStatus: DossierStatus?, toStatus: DossierStatus,
        note: String?, data: [String: String], prevHash: String, hash: String
    ) {
        self.id = id
        self.seq = seq
        self.at = at
        self.actor = actor
        self.actorUnit = actorUnit
        self.action = action
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.note = note
        self.data = data
        self.prevHash = prevHash
        self.hash = hash
    }
}

/// Dossiers, their events and code sequences in SQL.
public enum DossierStore {
    /// Draws the next number of an agency's daily sequence. Inside the caller's transaction the
    /// upsert locks the row (PostgreSQL) or the database (SQLite), so concurrent intakes get
    /// distinct, consecutive numbers and a rolled-back intake gives its number back.
    public static func nextSequence(agency: String, day: String, on tx: any SQLExecutor) async throws -> Int {
        let row = try await tx.first(
            """
            INSERT INTO dossier_code_sequences (agency_code, day, last_value) VALUES (?, ?, 1)
            ON CONFLICT (agency_code, day) DO UPDATE SET last_value = dossier_code_sequences.last_value + 1
            RETURNING last_value
            """, agency, day)
        guard let v = row?.int("last_value") else { throw StorageError.failed("sequence upsert returned nothing") }
        return v
    }

    static let columns = [
        "id", "code", "procedure_code", "procedure_version", "channel", "status", "stage", "receiving_unit", "competent_unit",
        "handling_unit", "assignee", "applicant_id_number", "applicant_name", "applicant_phone", "applicant_email",
        "applicant_address", "applicant_kind", "owner_username", "subject", "submitted_at", "received_at", "due_at", "finished_at",
        "returned_at", "paused_at", "pause_kind", "status_before_pause", "paused_minutes", "supplement_count", "extension_count",
        "fee", "paid_at", "version", "created_at", "updated_at", "event_seq", "event_hash",
    ]

    /// The tip of a dossier's event chain, kept on its row so a change needs no extra read.
    public struct ChainTip: Sendable, Hashable {
        public let seq: Int
        public let hash: String
        public init(seq: Int, hash: String) {
            self.seq = seq
            self.hash = hash
        }
    }

    static func values(_ d: Dossier, _ tip: ChainTip) -> [SQLValue] {
        [
            d.id.sqlValue, d.code.sqlValue, d.procedureCode.sqlValue, d.procedureVersion.sqlValue, d.channel.rawValue.sqlValue,
            d.status.rawValue.sqlValue, d.stage.rawValue.sqlValue, d.receivingUnit.sqlValue, d.competentUnit.sqlValue,
            d.handlingUnit.sqlValue, d.assignee.sqlValue, d.applicant.idNumber.sqlValue, d.applicant.fullName.sqlValue,
            d.applicant.phone.sqlValue, d.applicant.email.sqlValue, d.applicant.address.sqlValue, d.applicant.kind.rawValue.sqlValue,
            d.ownerUsername.sqlValue, d.subject.sqlValue, d.submittedAt.sqlValue, d.receivedAt.sqlValue, d.dueAt.sqlValue,
            d.finishedAt.sqlValue, d.returnedAt.sqlValue, d.pausedAt.sqlValue, d.pauseKind?.rawValue.sqlValue ?? .null,
            d.statusBeforePause?.rawValue.sqlValue ?? .null, d.pausedMinutes.sqlValue, d.supplementCount.sqlValue,
            d.extensionCount.sqlValue, d.fee.sqlValue, d.paidAt.sqlValue, d.version.sqlValue, d.createdAt.sqlValue,
            d.updatedAt.sqlValue, tip.seq.sqlValue, tip.hash.sqlValue,
        ]
    }

    static let insertSQL =
        "INSERT INTO dossiers (\(columns.joined(separator: ", "))) VALUES (\(SQLText.marks(columns.count)))"

    // Processing time and cut-off are stored with the procedure version, not per dossier; they
    // are re-read from the pinned version when loading (see `load`).
    public static func insert(_ d: Dossier, chain: ChainTip, on tx: any SQLExecutor) async throws {
        try await tx.query(insertSQL, values(d, chain))
    }

    /// Inserts many dossiers with multi-row statements (bulk loads and benchmarks; no events).
    public static func insertMany(_ ds: [Dossier], on tx: any SQLExecutor) async throws {
        let perRow = "(" + SQLText.marks(columns.count) + ")"
        for chunk in stride(from: 0, to: ds.count, by: 400) {
            let part = ds[chunk..<min(ds.count, chunk + 400)]
            let sql = "INSERT INTO dossiers (\(columns.joined(separator: ", "))) VALUES " + Array(repeating: perRow, count: part.count).joined(separator: ", ")
            try await tx.query(sql, part.flatMap { values($0, ChainTip(seq: 0, hash: "")) })
        }
    }

    /// Marks a dossier as back-digitized (imported from historical records).
    public static func markImported(dossierId: String, on tx: any SQLExecutor) async throws {
        try await tx.query("UPDATE dossiers SET origin = 'imported' WHERE id = ?", dossierId)
    }

    static let updateSQL: String = {
        let sets = columns.dropFirst(2).map { "\($0) = ?" }.joined(separator: ", ")
        return "UPDATE dossiers SET \(sets) WHERE id = ? AND version = ? RETURNING version"
    }()

    /// Writes the new state if the stored version is still `expectedVersion`; false means another
    /// change won the race and nothing was written.
    public static func update(_ d: Dossier, expectedVersion: Int, chain: ChainTip, on tx: any SQLExecutor) async throws -> Bool {
        var binds = Array(values(d, chain).dropFirst(2))
        binds.append(d.id.sqlValue)
        binds.append(expectedVersion.sqlValue)
        return try await !tx.query(updateSQL, binds).isEmpty
    }

    /// Maps a row; the pinned procedure version supplies processing time and cut-off.
    public static func dossier(from r: Row, version: ProcedureVersion?) throws -> Dossier {
        let channel = Channel(rawValue: try r.require("channel")) ?? .window
        return Dossier(
            id: try r.require("id"), code: try r.require("code"), procedureCode: try r.require("procedure_code"),
            procedureVersion: r.int("procedure_version") ?? 1,
            processingTime: version?.processingTime(for: channel) ?? ProcessingTime(amount: 0, unit: .workingDays),
            cutoffMinute: version?.cutoffMinute, nonTerritorial: false, channel: channel,
            status: DossierStatus(rawValue: r.int("status") ?? 1) ?? .registered,
            stage: HandlingStage(rawValue: r.string("stage") ?? "none") ?? .none, receivingUnit: try r.require("receiving_unit"),
            competentUnit: try r.require("competent_unit"), handlingUnit: try r.require("handling_unit"), assignee: r.string("assignee"),
            applicant: Applicant(
                idNumber: try r.require("applicant_id_number"), fullName: try r.require("applicant_name"), phone: r.string("applicant_phone"),
                email: r.string("applicant_email"), address: r.string("applicant_address"),
                kind: SubjectKind(rawValue: r.string("applicant_kind") ?? "citizen") ?? .citizen),
            ownerUsername: r.string("owner_username"), subject: try r.require("subject"), submittedAt: r.date("submitted_at") ?? Date(timeIntervalSince1970: 0),
            receivedAt: r.date("received_at"), dueAt: r.date("due_at"), finishedAt: r.date("finished_at"), returnedAt: r.date("returned_at"),
            pausedAt: r.date("paused_at"), pauseKind: r.string("pause_kind").flatMap(PauseKind.init(rawValue:)),
            statusBeforePause: r.int("status_before_pause").flatMap(DossierStatus.init(rawValue:)), pausedMinutes: r.int("paused_minutes") ?? 0,
            supplementCount: r.int("supplement_count") ?? 0, extensionCount: r.int("extension_count") ?? 0, fee: r.int("fee") ?? 0,
            paidAt: r.date("paid_at"), version: r.int("version") ?? 1, createdAt: r.date("created_at") ?? Date(timeIntervalSince1970: 0),
            updatedAt: r.date("updated_at") ?? Date(timeIntervalSince1970: 0))
    }

    public static func row(code: String, on db: any SQLExecutor) async throws -> Row? {
        try await db.first("SELECT * FROM dossiers WHERE code = ?", code)
    }

    /// Dossiers a unit received in [from, to), oldest first: the tracking book (Mẫu 07).
    public static func received(unit: String, from: Date, to: Date, limit: Int, on db: any SQLExecutor) async throws -> [Row] {
        try await db.query(
            "SELECT * FROM dossiers WHERE receiving_unit = ? AND received_at >= ? AND received_at < ? ORDER BY received_at, id LIMIT ?",
            [.text(unit), from.sqlValue, to.sqlValue, .int(Int64(limit))])
    }

    // MARK: events

    /// The chain tip stored on a dossier row.
    public static func chainTip(of r: Row) -> ChainTip {
        ChainTip(seq: r.int("event_seq") ?? 0, hash: r.string("event_hash") ?? "")
    }

    /// Writes an event and its audit ledger entry (subject: the dossier's id).
    public static func insert(event e: StoredEvent, dossierId: String, on tx: any SQLExecutor) async throws {
        let values: [SQLValue] = [
            e.id.sqlValue, dossierId.sqlValue, e.seq.sqlValue, e.at.sqlValue, e.actor.sqlValue, e.actorUnit.sqlValue, e.action.sqlValue,
            e.fromStatus?.rawValue.sqlValue ?? .null, e.toStatus.rawValue.sqlValue, e.note.sqlValue, JSONText.object(e.data).sqlValue, e.prevHash.sqlValue,
            e.hash.sqlValue,
        ]
        try await tx.query(
            """
            INSERT INTO dossier_events (id, dossier_id, seq, at, actor, actor_unit, action, from_status, to_status, note, data, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, values)
        try await AuditStore.append(.dossierEvent, ref: e.id, at: e.at, actor: e.actor, subject: dossierId, values: values, on: tx)
    }

    public static func events(dossierId: String, on db: any SQLExecutor) async throws -> [StoredEvent] {
        try await db.query("SELECT * FROM dossier_events WHERE dossier_id = ? ORDER BY seq", dossierId).map { r in
            StoredEvent(
                id: try r.require("id"), seq: r.int("seq") ?? 0, at: r.date("at") ?? Date(timeIntervalSince1970: 0),
                actor: try r.require("actor"), actorUnit: r.string("actor_unit"), action: try r.require("action"),
                fromStatus: r.int("from_status").flatMap(DossierStatus.init(rawValue:)),
                toStatus: DossierStatus(rawValue: r.int("to_status") ?? 1) ?? .registered, note: r.string("note"),
                data: (try? JSONDecoder().decode([String: String].self, from: Data((r.string("data") ?? "{}").utf8))) ?? [:],
                prevHash: r.string("prev_hash") ?? "", hash: r.string("hash") ?? "")
        }
    }
}

/// Small JSON writer for flat string maps (event data): sorted keys, escaped values, without
/// the cost of JSONEncoder on every dossier change.
public enum JSONText {
    public static func object(_ map: [String: String]) -> String {
        var out = "{"
        for (i, k) in map.keys.sorted().enumerated() {
            if i > 0 { out += "," }
            out += string(k) + ":" + string(map[k]!)
        }
        return out + "}"
    }

    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += "\\u" + Digits.hex([0, UInt8(u.value)])
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
