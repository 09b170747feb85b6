// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// Petitions (migration 10): the rows, their history, votes, and the index counts read from
/// them.
public enum PetitionStore {
    static let columns = [
        "id", "code", "unit", "class", "dossier_id", "dossier_code", "official", "petitioner_name", "petitioner_phone", "petitioner_email",
        "content", "status", "received_at", "supplement_requested_at", "supplemented_at", "rejected_at", "answered_at", "published_at", "answer",
        "likes", "dislikes", "recomplaint_of", "recomplained", "version", "period", "steps_on_time", "late_after", "unsatisfied",
    ]

    static func values(_ p: Petition, dossierId: String?, facts f: PetitionIndexFacts) -> [SQLValue] {
        [p.id.sqlValue, p.code.sqlValue, p.unit.sqlValue, p.petitionClass.rawValue.sqlValue, dossierId.sqlValue, p.dossierCode.sqlValue,
         p.official.sqlValue, p.petitioner.fullName.sqlValue, p.petitioner.phone.sqlValue, p.petitioner.email.sqlValue, p.content.sqlValue,
         p.status.rawValue.sqlValue, p.receivedAt.sqlValue, p.supplementRequestedAt.sqlValue, p.supplementedAt.sqlValue, p.rejectedAt.sqlValue,
         p.answeredAt.sqlValue, p.publishedAt.sqlValue, p.answer.sqlValue, p.likes.sqlValue, p.dislikes.sqlValue, p.recomplaintOf.sqlValue,
         (p.recomplained ? 1 : 0).sqlValue, p.version.sqlValue, f.period.description.sqlValue, (f.stepsOnTime ? 1 : 0).sqlValue,
         f.lateAfter.sqlValue, (f.unsatisfied ? 1 : 0).sqlValue]
    }

    public static func insert(_ p: Petition, dossierId: String?, facts: PetitionIndexFacts, on tx: any SQLExecutor) async throws {
        try await tx.query(
            "INSERT INTO petitions (\(columns.joined(separator: ", "))) VALUES (\(SQLText.marks(columns.count)))",
            values(p, dossierId: dossierId, facts: facts))
    }

    /// Writes the new state if the stored version is still `expectedVersion`; false means another
    /// change won the race.
    public static func update(_ p: Petition, expectedVersion: Int, facts: PetitionIndexFacts, on tx: any SQLExecutor) async throws -> Bool {
        let mutable = ["status", "supplement_requested_at", "supplemented_at", "rejected_at", "answered_at", "published_at", "answer", "content",
                       "likes", "dislikes", "recomplained", "version", "steps_on_time", "late_after", "unsatisfied"]
        let all = values(p, dossierId: nil, facts: facts)
        let binds = mutable.map { all[columns.firstIndex(of: $0)!] } + [p.id.sqlValue, expectedVersion.sqlValue]
        let sql = "UPDATE petitions SET \(mutable.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ? AND version = ? RETURNING version"
        return try await !tx.query(sql, binds).isEmpty
    }

    public static func petition(from r: Row) throws -> Petition {
        Petition(
            id: try r.require("id"), code: try r.require("code"), unit: try r.require("unit"),
            petitionClass: PetitionClass(rawValue: r.string("class") ?? "") ?? .procedure, dossierCode: r.string("dossier_code"),
            official: r.string("official"),
            petitioner: Petitioner(fullName: try r.require("petitioner_name"), phone: try r.require("petitioner_phone"), email: r.string("petitioner_email")),
            content: try r.require("content"), status: PetitionStatus(rawValue: r.string("status") ?? "") ?? .received,
            receivedAt: r.date("received_at") ?? Date(timeIntervalSince1970: 0), supplementRequestedAt: r.date("supplement_requested_at"),
            supplementedAt: r.date("supplemented_at"), rejectedAt: r.date("rejected_at"), answeredAt: r.date("answered_at"),
            publishedAt: r.date("published_at"), answer: r.string("answer"), likes: r.int("likes") ?? 0, dislikes: r.int("dislikes") ?? 0,
            recomplaintOf: r.string("recomplaint_of"), recomplained: r.int("recomplained") == 1, version: r.int("version") ?? 1)
    }

    public static func row(code: String, on db: any SQLExecutor) async throws -> Row? {
        try await db.first("SELECT * FROM petitions WHERE code = ?", code)
    }

    /// Locks the row for the rest of the transaction (PostgreSQL; SQLite's writer lock suffices).
    public static func lock(code: String, on tx: any SQLExecutor) async throws -> Row? {
        try await tx.first("SELECT * FROM petitions WHERE code = ?" + (tx.dialect == .postgres ? " FOR UPDATE" : ""), code)
    }

    /// A unit's petitions, oldest first; `open` keeps those still awaiting the unit.
    public static func list(units: [String], open: Bool, limit: Int, on db: any SQLExecutor) async throws -> [Row] {
        guard !units.isEmpty else { return [] }
        var sql = "SELECT * FROM petitions WHERE unit IN (\(SQLText.marks(units.count)))"
        if open { sql += " AND status IN ('received', 'answered')" }
        return try await db.query(sql + " ORDER BY received_at, id LIMIT ?", units.map(\.sqlValue) + [limit.sqlValue])
    }

    /// Published answers, newest first (the public page).
    public static func published(limit: Int, on db: any SQLExecutor) async throws -> [Row] {
        try await db.query("SELECT * FROM petitions WHERE status = 'published' ORDER BY published_at DESC, id LIMIT ?", limit)
    }

    /// Petitions per dossier, for many dossiers at once (the rebuild).
    public static func counts(dossierIds: [String], on db: any SQLExecutor) async throws -> [String: Int] {
        guard !dossierIds.isEmpty else { return [:] }
        var out: [String: Int] = [:]
        for r in try await db.query(
            "SELECT dossier_id, COUNT(*) AS n FROM petitions WHERE dossier_id IN (\(SQLText.marks(dossierIds.count))) GROUP BY dossier_id", dossierIds.map(\.sqlValue))
        {
            if let id = r.string("dossier_id") { out[id] = r.int("n") ?? 0 }
        }
        return out
    }

    /// Writes a petition's event and its audit ledger entry (subject: the petition's id).
    public static func addEvent(petitionId: String, seq: Int, at: Date, actor: String, action: String, text: String?, on tx: any SQLExecutor) async throws {
        let values = [petitionId.sqlValue, seq.sqlValue, at.sqlValue, actor.sqlValue, action.sqlValue, text.sqlValue]
        try await tx.query("INSERT INTO petition_events (petition_id, seq, at, actor, action, text) VALUES (?, ?, ?, ?, ?, ?)", values)
        try await AuditStore.append(.petitionEvent, ref: "\(petitionId)/\(seq)", at: at, actor: actor, subject: petitionId, values: values, on: tx)
    }

    /// The sequence number of a petition's next event.
    public static func nextEventSeq(petitionId: String, on tx: any SQLExecutor) async throws -> Int {
        (try await tx.first("SELECT MAX(seq) AS s FROM petition_events WHERE petition_id = ?", petitionId)?.int("s") ?? 0) + 1
    }

    public static func events(petitionId: String, on db: any SQLExecutor) async throws -> [Row] {
        try await db.query("SELECT * FROM petition_events WHERE petition_id = ? ORDER BY seq", petitionId)
    }

    /// Records a vote; a voter voting again replaces their vote. Returns the previous vote.
    public static func vote(petitionId: String, voter: String, vote: String, at: Date, on tx: any SQLExecutor) async throws -> String? {
        let before = try await tx.first("SELECT vote FROM petition_votes WHERE petition_id = ? AND voter = ?", petitionId, voter)?.string("vote")
        try await tx.query(
            "INSERT INTO petition_votes (petition_id, voter, vote, at) VALUES (?, ?, ?, ?) ON CONFLICT (petition_id, voter) DO UPDATE SET vote = excluded.vote, at = excluded.at",
            [petitionId.sqlValue, voter.sqlValue, vote.sqlValue, at.sqlValue])
        return before
    }

    /// Index counts per unit over `months`: received, by class, on time and satisfactory at `cutoff`.
    public struct Counts: Sendable, Hashable {
        public var received = 0
        public var aboutProcedures = 0
        public var onTime = 0
        public var satisfactory = 0
        public init() {}
    }

    /// On time at the cutoff (bound once, where it appears): every step so far in time and the
    /// pending deadline, if any, not passed (`PetitionIndexFacts.onTime`).
    static let onTime = "steps_on_time = 1 AND (late_after IS NULL OR late_after >= ?)"

    public static func indexCounts(months: [IndexPeriod], units: [String], cutoff: Date, on db: any SQLExecutor) async throws -> [String: Counts] {
        guard !units.isEmpty, !months.isEmpty else { return [:] }
        let sql = """
            SELECT unit, COUNT(*) AS n,
              SUM(CASE WHEN class = 'procedure' THEN 1 ELSE 0 END) AS procedures,
              SUM(CASE WHEN \(onTime) THEN 1 ELSE 0 END) AS on_time,
              SUM(CASE WHEN \(onTime) AND unsatisfied = 0 THEN 1 ELSE 0 END) AS satisfactory
            FROM petitions WHERE period IN (\(SQLText.marks(months.count))) AND unit IN (\(SQLText.marks(units.count))) GROUP BY unit
            """
        var out: [String: Counts] = [:]
        let binds: [SQLValue] = [cutoff.sqlValue, cutoff.sqlValue] + months.map(\.description.sqlValue) + units.map(\.sqlValue)
        for r in try await db.query(sql, binds) {
            guard let unit = r.string("unit") else { continue }
            var c = Counts()
            c.received = r.int("n") ?? 0
            c.aboutProcedures = r.int("procedures") ?? 0
            c.onTime = r.int("on_time") ?? 0
            c.satisfactory = r.int("satisfactory") ?? 0
            out[unit] = c
        }
        return out
    }

    /// Petitions of the units in `months` that cost points at `cutoff` (late; with
    /// `satisfaction` also disliked or complained about again), by code after `after`.
    public static func losing(
        months: [IndexPeriod], units: [String], cutoff: Date, satisfaction: Bool, after: String?, limit: Int, on db: any SQLExecutor
    ) async throws -> [Row] {
        guard !units.isEmpty, !months.isEmpty else { return [] }
        var cond = "NOT (\(onTime))"
        if satisfaction { cond = "(\(cond) OR unsatisfied = 1)" }
        var binds = months.map(\.description.sqlValue) + units.map(\.sqlValue) + [cutoff.sqlValue]
        if let after {
            cond += " AND code > ?"
            binds.append(after.sqlValue)
        }
        return try await db.query(
            "SELECT * FROM petitions WHERE period IN (\(SQLText.marks(months.count))) AND unit IN (\(SQLText.marks(units.count))) AND \(cond) ORDER BY code LIMIT ?",
            binds + [limit.sqlValue])
    }
}
