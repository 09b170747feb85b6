// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// The index aggregates (migration 8): each dossier's entry and the counts per month, unit
/// (and procedure) and fact.
public enum IndexStore {
    /// A dossier's stored entry.
    public static func entry(dossierId: String, on db: any SQLExecutor) async throws -> DossierIndexEntry? {
        try await db.first("SELECT * FROM index_dossiers WHERE dossier_id = ?", dossierId).flatMap(entry)
    }

    static func entry(_ r: Row) -> DossierIndexEntry? {
        guard let p = r.string("period").flatMap(IndexPeriod.init), let unit = r.string("unit"), let procedure = r.string("procedure_code"),
            let facts = r.int("facts")
        else { return nil }
        return DossierIndexEntry(
            period: p, unit: unit, procedure: procedure, facts: DossierFacts(rawValue: facts), openDueAt: r.date("open_due_at"),
            receivingUnit: r.string("receiving_unit") ?? "", receivedBy: r.string("received_by"), handledBy: r.string("handled_by"))
    }

    /// Count changes keyed by month, unit (and procedure) and fact bit.
    public struct CountDeltas: Sendable {
        var units: [String: Int] = [:]  // "period|unit|bit"
        var procedures: [String: Int] = [:]  // "period|unit|procedure|bit"
        var openDue: [String: Int] = [:]  // "period|unit|due day"

        public init() {}

        public mutating func add(_ e: DossierIndexEntry, sign: Int) {
            for b in e.facts.bits {
                units["\(e.period)|\(e.unit)|\(b)", default: 0] += sign
                procedures["\(e.period)|\(e.unit)|\(e.procedure)|\(b)", default: 0] += sign
            }
            if let due = e.openDueAt { openDue["\(e.period)|\(e.unit)|\(VietnamTime.date(of: due).description)", default: 0] += sign }
        }
    }

    /// Replaces a dossier's entry and moves the counts by the difference (in the caller's
    /// transaction). Nothing is written when nothing changed.
    public static func replace(dossierId: String, old: DossierIndexEntry?, new: DossierIndexEntry?, on tx: any SQLExecutor) async throws {
        guard old != new else { return }
        // The counts and the entry in one trip (PostgreSQL): the counts' rows are shared by a unit's writers.
        try await tx.batchingWrites { tx in
            var deltas = CountDeltas()
            if let old { deltas.add(old, sign: -1) }
            if let new { deltas.add(new, sign: 1) }
            try await apply(deltas, on: tx)
            if let e = new {
                try await tx.query(
                    """
                    INSERT INTO index_dossiers (\(entryColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (dossier_id) DO UPDATE SET period = excluded.period, unit = excluded.unit, procedure_code = excluded.procedure_code,
                      facts = excluded.facts, open_due_at = excluded.open_due_at, receiving_unit = excluded.receiving_unit,
                      received_by = excluded.received_by, handled_by = excluded.handled_by
                    """,
                    entryValues(dossierId, e))
            } else {
                try await tx.query("DELETE FROM index_dossiers WHERE dossier_id = ?", dossierId)
            }
        }
    }

    static let entryColumns = "dossier_id, period, unit, procedure_code, facts, open_due_at, receiving_unit, received_by, handled_by"

    static func entryValues(_ id: String, _ e: DossierIndexEntry) -> [SQLValue] {
        [id.sqlValue, e.period.description.sqlValue, e.unit.sqlValue, e.procedure.sqlValue, e.facts.rawValue.sqlValue, e.openDueAt.sqlValue,
         e.receivingUnit.sqlValue, e.receivedBy.sqlValue, e.handledBy.sqlValue]
    }

    /// Moves the counts: one upsert per table for all the keys (`n = n + delta`).
    public static func apply(_ d: CountDeltas, on tx: any SQLExecutor) async throws {
        try await add(d.units.filter { $0.value != 0 }, table: "index_counts", columns: ["period", "unit", "fact"], on: tx)
        try await add(d.procedures.filter { $0.value != 0 }, table: "index_procedure_counts", columns: ["period", "unit", "procedure_code", "fact"], on: tx)
        try await add(d.openDue.filter { $0.value != 0 }, table: "index_open_due", columns: ["period", "unit", "due_day"], lastIsFact: false, on: tx)
    }

    /// New entries (the rebuild), many rows per statement.
    public static func insertEntries(_ entries: [(String, DossierIndexEntry)], on tx: any SQLExecutor) async throws {
        for start in stride(from: 0, to: entries.count, by: 500) {
            let part = entries[start..<min(start + 500, entries.count)]
            let rows = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: part.count).joined(separator: ", ")
            try await tx.query("INSERT INTO index_dossiers (\(entryColumns)) VALUES \(rows)", part.flatMap { entryValues($0.0, $0.1) })
        }
    }

    /// The primary keys, in their own column order.
    static let conflict = [
        "index_counts": "period, unit, fact", "index_procedure_counts": "period, fact, unit, procedure_code", "index_open_due": "period, unit, due_day",
    ]

    /// One upsert for many keys: `n = n + delta`, at most 500 rows a statement.
    static func add(_ deltas: [String: Int], table: String, columns: [String], lastIsFact: Bool = true, on tx: any SQLExecutor) async throws {
        let sorted = deltas.sorted(by: { $0.key < $1.key })  // a fixed order: no deadlocks between writers
        for start in stride(from: 0, to: sorted.count, by: 500) {
            var binds: [SQLValue] = []
            var rows: [String] = []
            for (key, delta) in sorted[start..<min(start + 500, sorted.count)] {
                let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                binds += parts.dropLast().map(\.sqlValue) + [lastIsFact ? Int(parts.last!)!.sqlValue : parts.last!.sqlValue, delta.sqlValue]
                rows.append("(" + SQLText.marks(columns.count + 1) + ")")
            }
            let cols = (columns + ["n"]).joined(separator: ", ")
            try await tx.query(
                "INSERT INTO \(table) (\(cols)) VALUES \(rows.joined(separator: ", ")) ON CONFLICT (\(conflict[table] ?? columns.joined(separator: ", "))) DO UPDATE SET n = \(table).n + excluded.n",
                binds)
        }
    }

    /// Counts per unit and fact name over the given months (units nil = every unit).
    public static func counts(months: [IndexPeriod], units: [String]?, on db: any SQLExecutor) async throws -> [String: [String: Int]] {
        var binds: [SQLValue] = months.map(\.description.sqlValue)
        var sql = "SELECT unit, fact, CAST(SUM(n) AS BIGINT) AS n FROM index_counts WHERE period IN (\(SQLText.marks(months.count)))"
        if let units {
            guard !units.isEmpty else { return [:] }
            sql += " AND unit IN (\(SQLText.marks(units.count)))"
            binds += units.map(\.sqlValue)
        }
        var out: [String: [String: Int]] = [:]
        for r in try await db.query(sql + " GROUP BY unit, fact", binds) {
            guard let unit = r.string("unit"), let bit = r.int("fact"), bit < DossierFacts.all.count else { continue }
            out[unit, default: [:]][DossierFacts.all[bit].name] = r.int("n") ?? 0
        }
        return out
    }

    /// Open dossiers of those months that are late at `cutoff`, per unit.
    /// Whole days before the cutoff's day come from the counts by due day (a few rows a unit and
    /// month, whatever the number of dossiers); only the cutoff's own day reads the dossiers.
    public static func lateOpen(months: [IndexPeriod], units: [String]?, cutoff: Date, on db: any SQLExecutor) async throws -> [String: Int] {
        if let units, units.isEmpty { return [:] }
        let day = VietnamTime.date(of: cutoff)
        let dayStart = VietnamTime.instant(day, minuteOfDay: 0)
        let scope = units.map { " AND unit IN (\(SQLText.marks($0.count)))" } ?? ""
        let unitBinds = (units ?? []).map(\.sqlValue)
        var out: [String: Int] = [:]
        for r in try await db.query(
            "SELECT unit, CAST(SUM(n) AS BIGINT) AS n FROM index_open_due WHERE period IN (\(SQLText.marks(months.count))) AND due_day < ?\(scope) GROUP BY unit",
            months.map(\.description.sqlValue) + [day.description.sqlValue] + unitBinds)
        {
            out[r.string("unit") ?? "", default: 0] += r.int("n") ?? 0
        }
        for r in try await db.query(
            "SELECT unit, COUNT(*) AS n FROM index_dossiers WHERE period IN (\(SQLText.marks(months.count))) AND open_due_at >= ? AND open_due_at < ?\(scope) GROUP BY unit",
            months.map(\.description.sqlValue) + [dayStart.sqlValue, cutoff.sqlValue] + unitBinds)
        {
            out[r.string("unit") ?? "", default: 0] += r.int("n") ?? 0
        }
        return out
    }

    /// For each of `facts`, per unit, the procedures with at least one dossier having it in
    /// those months (one query for all of them).
    public static func procedures(with facts: DossierFacts, months: [IndexPeriod], units: [String]?, on db: any SQLExecutor) async throws -> [DossierFacts: [String: Set<String>]] {
        let bits = facts.bits
        guard !bits.isEmpty else { return [:] }
        var binds: [SQLValue] = months.map(\.description.sqlValue) + bits.map(\.sqlValue)
        var sql = "SELECT DISTINCT fact, unit, procedure_code FROM index_procedure_counts WHERE period IN (\(SQLText.marks(months.count))) AND fact IN (\(SQLText.marks(bits.count))) AND n > 0"
        if let units {
            guard !units.isEmpty else { return [:] }
            sql += " AND unit IN (\(SQLText.marks(units.count)))"
            binds += units.map(\.sqlValue)
        }
        var out: [DossierFacts: [String: Set<String>]] = [:]
        for r in try await db.query(sql, binds) {
            guard let bit = r.int("fact"), let u = r.string("unit"), let p = r.string("procedure_code") else { continue }
            out[DossierFacts(rawValue: 1 << bit), default: [:]][u, default: []].insert(p)
        }
        return out
    }

    /// One official's figures over the dossiers received in those months.
    public struct OfficialCounts: Sendable {
        public var received = 0
        public var digitized = 0
        public var handled = 0
        public var handledOnTime = 0
    }

    /// Per official, over the dossiers of `units` received in those months: those they received
    /// (and how many of them are fully digitized), and those they finished (and how many on time).
    public static func officials(months: [IndexPeriod], units: [String], on db: any SQLExecutor) async throws -> [String: OfficialCounts] {
        guard !units.isEmpty else { return [:] }
        /// Dossiers per official named in `who` (received_by or handled_by), and how many have `fact`.
        func count(_ who: String, unitColumn: String, having fact: DossierFacts) async throws -> [(String, Int, Int)] {
            try await db.query(
                """
                SELECT \(who) AS who, COUNT(*) AS n, CAST(SUM(CASE WHEN (facts / \(fact.rawValue)) % 2 = 1 THEN 1 ELSE 0 END) AS BIGINT) AS good
                FROM index_dossiers WHERE period IN (\(SQLText.marks(months.count))) AND \(unitColumn) IN (\(SQLText.marks(units.count))) AND \(who) IS NOT NULL
                GROUP BY \(who)
                """, months.map(\.description.sqlValue) + units.map(\.sqlValue)
            ).compactMap { r in r.string("who").map { ($0, r.int("n") ?? 0, r.int("good") ?? 0) } }
        }
        var out: [String: OfficialCounts] = [:]
        for (who, n, good) in try await count("received_by", unitColumn: "receiving_unit", having: .digitized) {
            out[who, default: .init()].received = n
            out[who, default: .init()].digitized = good
        }
        for (who, n, good) in try await count("handled_by", unitColumn: "unit", having: .endedOnTime) {
            out[who, default: .init()].handled = n
            out[who, default: .init()].handledOnTime = good
        }
        return out
    }

    /// A dossier that costs points, with who holds it now.
    public struct Loss: Sendable {
        public let dossierId: String
        public let code: String
        public let unit: String
        public let procedureCode: String
        public let facts: DossierFacts
        public let openDueAt: Date?
        public let status: Int
        public let handlingUnit: String
        public let assignee: String?
        public let receivedAt: Date?
        public let dueAt: Date?
    }

    /// Dossiers of those months and units that cost points on an indicator: those with every
    /// fact of `among` and lacking one of `lacking`, those with one of `having`, or (with
    /// `lateAt`) open and late then; in code order after `after`. The drill-down of the dashboard.
    public static func losses(
        months: [IndexPeriod], units: [String]?, among: DossierFacts, lacking: DossierFacts, having: DossierFacts = [], lateAt: Date?, after: String?,
        limit: Int,
        on db: any SQLExecutor
    ) async throws -> [Loss] {
        var binds: [SQLValue] = months.map(\.description.sqlValue)
        var sql = """
            SELECT i.dossier_id, i.unit, i.procedure_code, i.facts, i.open_due_at, d.code, d.status, d.handling_unit, d.assignee, d.received_at, d.due_at
            FROM index_dossiers i JOIN dossiers d ON d.id = i.dossier_id WHERE i.period IN (\(SQLText.marks(months.count)))
            """
        if let units {
            guard !units.isEmpty else { return [] }
            sql += " AND i.unit IN (\(SQLText.marks(units.count)))"
            binds += units.map(\.sqlValue)
        }
        // Bit tests as arithmetic, the same on SQLite and PostgreSQL: (facts / 2^bit) % 2.
        func has(_ b: Int) -> String { "(i.facts / \(1 << b)) % 2 = 1" }
        func lacks(_ b: Int) -> String { "(i.facts / \(1 << b)) % 2 = 0" }
        var clauses: [String] = []
        if !lacking.isEmpty {
            let all = among.bits.map(has)
            let anyMissing = "(" + lacking.bits.map(lacks).joined(separator: " OR ") + ")"
            clauses.append("(" + (all + [anyMissing]).joined(separator: " AND ") + ")")
        }
        if !having.isEmpty { clauses.append("(" + having.bits.map(has).joined(separator: " OR ") + ")") }
        if let lateAt {
            clauses.append("(i.open_due_at IS NOT NULL AND i.open_due_at < ?)")
            binds.append(lateAt.sqlValue)
        }
        guard !clauses.isEmpty else { return [] }
        sql += " AND (" + clauses.joined(separator: " OR ") + ")"
        if let after {
            sql += " AND d.code > ?"
            binds.append(after.sqlValue)
        }
        sql += " ORDER BY d.code LIMIT ?"
        binds.append(limit.sqlValue)
        return try await db.query(sql, binds).compactMap { r in
            guard let id = r.string("dossier_id"), let code = r.string("code") else { return nil }
            return Loss(
                dossierId: id, code: code, unit: r.string("unit") ?? "", procedureCode: r.string("procedure_code") ?? "",
                facts: DossierFacts(rawValue: r.int("facts") ?? 0), openDueAt: r.date("open_due_at"), status: r.int("status") ?? 0,
                handlingUnit: r.string("handling_unit") ?? "", assignee: r.string("assignee"), receivedAt: r.date("received_at"), dueAt: r.date("due_at"))
        }
    }

    /// Empties the three tables (the rebuild refills them in the same transaction).
    public static func clear(on tx: any SQLExecutor) async throws {
        try await tx.query("DELETE FROM index_open_due")
        try await tx.query("DELETE FROM index_procedure_counts")
        try await tx.query("DELETE FROM index_counts")
        try await tx.query("DELETE FROM index_dossiers")
    }

    /// Copies the live tables aside (temporary tables of this transaction's connection) so a
    /// rebuild can say how much the live figures differed.
    public static func keepLiveForComparison(on tx: any SQLExecutor) async throws {
        for t in ["index_dossiers", "index_counts", "index_procedure_counts", "index_open_due"] {
            try await tx.query("DROP TABLE IF EXISTS live_\(t)")
            try await tx.query("CREATE TEMPORARY TABLE live_\(t) AS SELECT * FROM \(t)")
        }
    }

    /// Entries and count rows that differ between the copies and the rebuilt tables (set
    /// difference both ways; counts of 0 are the same as no row). Drops the copies.
    public static func differencesFromLive(on tx: any SQLExecutor) async throws -> (entries: Int, counts: Int) {
        func differing(_ a: String, _ b: String) async throws -> Int {
            let one = try await tx.first("SELECT COUNT(*) AS n FROM (\(a) EXCEPT \(b)) x")?.int("n") ?? 0
            let two = try await tx.first("SELECT COUNT(*) AS n FROM (\(b) EXCEPT \(a)) x")?.int("n") ?? 0
            return one + two
        }
        let e = entryColumns
        let entries = try await differing("SELECT \(e) FROM live_index_dossiers", "SELECT \(e) FROM index_dossiers")
        let c1 = try await differing(
            "SELECT period, unit, fact, n FROM live_index_counts WHERE n <> 0", "SELECT period, unit, fact, n FROM index_counts WHERE n <> 0")
        let c2 = try await differing(
            "SELECT period, unit, procedure_code, fact, n FROM live_index_procedure_counts WHERE n <> 0",
            "SELECT period, unit, procedure_code, fact, n FROM index_procedure_counts WHERE n <> 0")
        let c3 = try await differing(
            "SELECT period, unit, due_day, n FROM live_index_open_due WHERE n <> 0", "SELECT period, unit, due_day, n FROM index_open_due WHERE n <> 0")
        for t in ["index_dossiers", "index_counts", "index_procedure_counts", "index_open_due"] { try await tx.query("DROP TABLE live_\(t)") }
        return (entries, c1 + c2 + c3)
    }

    /// Every count row, for comparing the live tables with a rebuild.
    public static func allCounts(on db: any SQLExecutor) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for r in try await db.query("SELECT period, unit, fact, n FROM index_counts WHERE n <> 0", []) {
            out["\(r.string("period") ?? "")|\(r.string("unit") ?? "")|\(r.int("fact") ?? -1)"] = r.int("n")
        }
        for r in try await db.query("SELECT period, unit, due_day, n FROM index_open_due WHERE n <> 0", []) {
            out["open|\(r.string("period") ?? "")|\(r.string("unit") ?? "")|\(r.string("due_day") ?? "")"] = r.int("n")
        }
        for r in try await db.query("SELECT period, unit, procedure_code, fact, n FROM index_procedure_counts WHERE n <> 0", []) {
            out["\(r.string("period") ?? "")|\(r.string("unit") ?? "")|\(r.string("procedure_code") ?? "")|\(r.int("fact") ?? -1)"] = r.int("n")
        }
        return out
    }

    /// Every dossier entry, for the same comparison.
    public static func allEntries(on db: any SQLExecutor) async throws -> [String: DossierIndexEntry] {
        var out: [String: DossierIndexEntry] = [:]
        for r in try await db.query("SELECT * FROM index_dossiers", []) {
            if let id = r.string("dossier_id"), let e = entry(r) { out[id] = e }
        }
        return out
    }

}
