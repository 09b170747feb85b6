// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation

/// The audit ledger (migration 13): one global hash chain over the rows that record what was done
/// and who looked at whom. Each entry names its source row and commits to a digest of that row's
/// values, so changing or deleting a source row, an entry, or a run of entries is found by
/// walking the chain (`AuditService.verify`). Entries are appended in the source row's own
/// transaction, by the same store function that writes the row, so no writer can forget one.
public enum AuditStore {
    public static let genesis = String(repeating: "0", count: 64)

    /// The tables the ledger covers, each with its columns in the order its digest is taken.
    public enum Source: String, Sendable, CaseIterable {
        case dossierEvent = "dossier-event"
        case dataAccess = "data-access"
        case petitionEvent = "petition-event"
        case accountEvent = "account-event"

        public var table: String {
            switch self {
            case .dossierEvent: "dossier_events"
            case .dataAccess: "personal_data_access"
            case .petitionEvent: "petition_events"
            case .accountEvent: "account_events"
            }
        }

        public var columns: [String] {
            switch self {
            case .dossierEvent: ["id", "dossier_id", "seq", "at", "actor", "actor_unit", "action", "from_status", "to_status", "note", "data", "prev_hash", "hash"]
            case .dataAccess: ["id", "at", "actor", "dossier_code", "id_number", "purpose"]
            case .petitionEvent: ["petition_id", "seq", "at", "actor", "action", "text"]
            case .accountEvent: ["id", "at", "username", "actor", "action", "detail"]
            }
        }

        /// The entry's `ref` for a source row: its key.
        public func ref(_ row: Row) -> String {
            switch self {
            case .petitionEvent: "\(row.string("petition_id") ?? "")/\(row.int("seq") ?? 0)"
            default: row.string("id") ?? ""
            }
        }

        /// Whom a row's entry is about: the dossier, the person looked up, the petition, the account.
        public var subjectColumn: String {
            switch self {
            case .dossierEvent: "dossier_id"
            case .dataAccess: "id_number"
            case .petitionEvent: "petition_id"
            case .accountEvent: "username"
            }
        }

        /// A page of this table's rows, oldest first (to record rows written before the ledger existed).
        public func rows(offset: Int, limit: Int, on db: any SQLExecutor) async throws -> [Row] {
            let key = self == .petitionEvent ? "petition_id, seq" : "id"
            return try await db.query("SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY at, \(key) LIMIT ? OFFSET ?", limit, offset)
        }

        /// The column a ref's first part is looked up by (petition events: then matched by seq).
        var lookupColumn: String { self == .petitionEvent ? "petition_id" : "id" }
        func lookupKey(_ ref: String) -> String { self == .petitionEvent ? String(ref.split(separator: "/").first ?? "") : ref }
    }

    /// One ledger entry.
    public struct Entry: Sendable, Equatable {
        public let seq: Int
        public let at: String
        public let source: String
        public let ref: String
        public let actor: String
        public let subject: String?
        public let digest: String
        public let prevHash: String
        public let hash: String
    }

    /// Appends the entry for a source row just written in `tx`; `values` are the row's values in
    /// `source.columns` order, exactly as bound. The append runs when the transaction is about to
    /// commit: the tip is locked (PostgreSQL; on SQLite the writer is already exclusive) so
    /// concurrent transactions take consecutive numbers, and it stays locked only for the commit.
    public static func append(_ source: Source, ref: String, at: Date, actor: String, subject: String?, values: [SQLValue], on tx: any SQLExecutor) async throws {
        guard let pending = tx.beforeCommit else {
            return try await appendNow(source, ref: ref, at: at, actor: actor, subject: subject, values: values, on: tx)
        }
        pending.add { tx in try await appendNow(source, ref: ref, at: at, actor: actor, subject: subject, values: values, on: tx) }
    }

    static func appendNow(_ source: Source, ref: String, at: Date, actor: String, subject: String?, values: [SQLValue], on tx: any SQLExecutor) async throws {
        guard let head = try await tx.first("SELECT seq, hash FROM audit_head WHERE id = 1" + (tx.dialect == .postgres ? " FOR UPDATE" : "")) else {
            throw StorageError.failed("the audit ledger has no head row: run 'motcua migrate'")
        }
        let seq = (head.int("seq") ?? 0) + 1
        let entry = Entry(
            seq: seq, at: SQLTime.format(at), source: source.rawValue, ref: ref, actor: actor, subject: subject, digest: digest(values),
            prevHash: head.string("hash") ?? genesis, hash: "")
        let hash = Self.hash(entry)
        // One trip for both: the tip is locked until COMMIT, so every trip here is waited for by every other writer.
        try await tx.batchingWrites { tx in
            try await tx.query(
                "INSERT INTO audit_log (seq, at, kind, ref, actor, subject, digest, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                seq, entry.at, entry.source, ref, actor, subject, entry.digest, entry.prevHash, hash)
            try await tx.query("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, hash)
        }
    }

    /// The digest of a row's values, as text (an integer and its decimal text are the same value,
    /// whichever way a database hands it back), length-prefixed, NULL apart from empty text.
    public static func digest(_ values: [SQLValue]) -> String {
        var s = ""
        for v in values {
            if let t = v.string { s += "\(t.utf8.count):\(t)" } else { s += "N" }
            s += "\u{1F}"
        }
        return Digits.hex(SHA256.hash(data: Data(s.utf8)))
    }

    /// The hash an entry must carry: it commits to the previous hash and to every field.
    public static func hash(_ e: Entry) -> String {
        let s = [e.prevHash, String(e.seq), e.at, e.source, e.ref, e.actor, e.subject ?? "\u{2205}", e.digest].joined(separator: "\u{1F}")
        return Digits.hex(SHA256.hash(data: Data(s.utf8)))
    }

    /// A source row's values as read back, in digest order.
    public static func values(_ source: Source, _ row: Row) -> [SQLValue] {
        source.columns.map { row[$0] }
    }

    public static func head(on db: any SQLExecutor) async throws -> (seq: Int, hash: String) {
        let r = try await db.first("SELECT seq, hash FROM audit_head WHERE id = 1")
        return (r?.int("seq") ?? 0, r?.string("hash") ?? genesis)
    }

    /// Entries after `seq`, in order.
    public static func entries(after seq: Int, limit: Int, on db: any SQLExecutor) async throws -> [Entry] {
        try await db.query("SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", seq, limit).map(entry)
    }

    /// A subject's entries (a person's ID number, a dossier's id), newest first.
    public static func entries(subject: String, limit: Int, on db: any SQLExecutor) async throws -> [Entry] {
        try await db.query("SELECT * FROM audit_log WHERE subject = ? ORDER BY seq DESC LIMIT ?", subject, limit).map(entry)
    }

    static func entry(_ r: Row) -> Entry {
        Entry(
            seq: r.int("seq") ?? 0, at: r.string("at") ?? "", source: r.string("kind") ?? "", ref: r.string("ref") ?? "", actor: r.string("actor") ?? "",
            subject: r.string("subject"), digest: r.string("digest") ?? "", prevHash: r.string("prev_hash") ?? "", hash: r.string("hash") ?? "")
    }

    /// The source rows behind `refs`, by ref.
    public static func sourceRows(_ source: Source, refs: [String], on db: any SQLExecutor) async throws -> [String: Row] {
        let keys = Array(Set(refs.map(source.lookupKey)))
        var out: [String: Row] = [:]
        for chunk in stride(from: 0, to: keys.count, by: 500).map({ Array(keys[$0..<min($0 + 500, keys.count)]) }) {
            let rows = try await db.query(
                "SELECT \(source.columns.joined(separator: ", ")) FROM \(source.table) WHERE \(source.lookupColumn) IN (\(SQLText.marks(chunk.count)))",
                chunk.map(\.sqlValue))
            for r in rows { out[source.ref(r)] = r }
        }
        return out
    }

    /// How many rows a source table holds, and how many entries name that source.
    public static func counts(_ source: Source, on db: any SQLExecutor) async throws -> (rows: Int, entries: Int) {
        let rows = try await db.first("SELECT COUNT(*) AS n FROM \(source.table)")?.int("n") ?? 0
        let entries = try await db.first("SELECT COUNT(*) AS n FROM audit_log WHERE kind = ?", source.rawValue)?.int("n") ?? 0
        return (rows, entries)
    }

    /// One source row without an entry (written around MotCua), if any.
    public static func unrecorded(_ source: Source, on db: any SQLExecutor) async throws -> String? {
        let key = source == .petitionEvent ? "petition_id, seq" : "id"
        let rows = try await db.query(
            "SELECT \(key) FROM \(source.table) s WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.kind = ? AND a.ref = \(source == .petitionEvent ? (db.dialect == .postgres ? "s.petition_id || '/' || s.seq::text" : "s.petition_id || '/' || s.seq") : "s.id")) LIMIT 1",
            source.rawValue)
        return rows.first.map(source.ref)
    }

    // MARK: checkpoints

    public struct Checkpoint: Sendable {
        public let seq: Int
        public let at: String
        public let hash: String
        public let signer: String
        public let certificatePEM: String
        public let signature: String

        public init(seq: Int, at: String, hash: String, signer: String, certificatePEM: String, signature: String) {
            self.seq = seq
            self.at = at
            self.hash = hash
            self.signer = signer
            self.certificatePEM = certificatePEM
            self.signature = signature
        }

        /// The bytes an agency signs: the tip it vouches for.
        public var signedText: String { "motcua-audit-checkpoint/1|\(seq)|\(hash)|\(at)" }
    }

    public static func insert(checkpoint c: Checkpoint, on db: any SQLExecutor) async throws {
        try await db.query(
            "INSERT INTO audit_checkpoints (seq, at, hash, signer, certificate, signature) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING",
            c.seq, c.at, c.hash, c.signer, c.certificatePEM, c.signature)
    }

    public static func checkpoints(on db: any SQLExecutor) async throws -> [Checkpoint] {
        try await db.query("SELECT * FROM audit_checkpoints ORDER BY seq").map { r in
            Checkpoint(
                seq: r.int("seq") ?? 0, at: r.string("at") ?? "", hash: r.string("hash") ?? "", signer: r.string("signer") ?? "",
                certificatePEM: r.string("certificate") ?? "", signature: r.string("signature") ?? "")
        }
    }

    /// The entry at `seq`.
    public static func entry(seq: Int, on db: any SQLExecutor) async throws -> Entry? {
        try await db.first("SELECT * FROM audit_log WHERE seq = ?", seq).map(entry)
    }
}
