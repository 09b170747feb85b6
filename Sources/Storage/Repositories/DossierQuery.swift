// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// The dossier list officers and citizens page through, ordered by due date (soonest first,
/// not-yet-received last) and id, with keyset pagination so deep pages cost the same as the first.
public struct DossierQuery: Sendable {
    public var statuses: [DossierStatus] = []
    /// Dossiers this unit receives, handles or is competent for.
    public var unit: String?
    public var procedureCode: String?
    public var applicantIdNumber: String?
    /// The specialist the dossier is assigned to.
    public var assignee: String?
    /// Received at this unit (the counter's lists).
    public var receivingUnit: String?
    /// With this unit now (a leader's lists).
    public var handlingUnit: String?
    /// Open dossiers past their due date at `now`.
    public var overdueAt: Date?
    public var receivedFrom: Date?
    public var receivedTo: Date?
    /// Scope the caller is limited to: the unit they belong to, or their own ID number.
    public var scopeUnit: String?
    public var scopeIdNumber: String?
    public var after: Cursor?
    public var limit: Int = 50

    public init() {}

    /// Position after the last row of a page.
    public struct Cursor: Sendable, Hashable {
        public let dueKey: String
        public let id: String
        public init(dueKey: String, id: String) {
            self.dueKey = dueKey
            self.id = id
        }

        /// Opaque text form for the API.
        public var token: String { Data("\(dueKey)|\(id)".utf8).base64EncodedString() }

        public init?(token: String) {
            guard let data = Data(base64Encoded: token), let s = String(data: data, encoding: .utf8) else { return nil }
            let parts = s.split(separator: "|", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            self.dueKey = String(parts[0])
            self.id = String(parts[1])
        }
    }

    static let noDue = "9999-12-31T23:59:59.999Z"

    /// The due-date key the lists sort by; the workbench indexes (migration 23) hold the same expression.
    static let dueKey = "COALESCE(due_at, '\(noDue)')"

    /// Runs the query; returns one page of rows and the cursor of the next page, if any.
    ///
    /// A unit's list ("receives, handles or is competent for") is three index range scans, one
    /// per column, each already in due-date order and stopped after a page, merged here: one
    /// query with `OR` across the three columns would read and sort every dossier the unit ever
    /// touched for each page.
    public func run(on db: any SQLExecutor) async throws -> (rows: [Row], next: Cursor?) {
        var rows: [Row]
        if let u = scopeUnit ?? unit {
            var seen = Set<String>()
            rows = []
            for column in ["handling_unit", "receiving_unit", "competent_unit"] {
                for r in try await page(unitColumn: (column, u), on: db) where seen.insert(r.string("id") ?? "").inserted { rows.append(r) }
            }
            rows.sort { a, b in
                let (ka, kb) = (a.string("due_key") ?? "", b.string("due_key") ?? "")
                return ka != kb ? ka < kb : (a.string("id") ?? "") < (b.string("id") ?? "")
            }
            if rows.count > limit + 1 { rows.removeLast(rows.count - limit - 1) }
        } else {
            rows = try await page(unitColumn: nil, on: db)
        }
        var next: Cursor?
        if rows.count > limit {
            rows.removeLast()
            if let last = rows.last, let key = last.string("due_key"), let id = last.string("id") { next = Cursor(dueKey: key, id: id) }
        }
        return (rows, next)
    }

    /// One page (and one row more) in due-date order; with `unitColumn`, of the dossiers whose
    /// column names the unit (the unit filters then only check the other conditions).
    func page(unitColumn: (name: String, unit: String)?, on db: any SQLExecutor) async throws -> [Row] {
        var sql = "SELECT *, \(Self.dueKey) AS due_key FROM dossiers WHERE 1 = 1"
        var b: [SQLValue] = []
        if let (column, u) = unitColumn {
            sql += " AND \(column) = ?"
            b.append(.text(u))
        }
        if !statuses.isEmpty {
            sql += " AND status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))"
            b += statuses.map { .int(Int64($0.rawValue)) }
        }
        for u in [unit, scopeUnit].compactMap({ $0 }) where u != unitColumn?.unit {
            sql += " AND (handling_unit = ? OR receiving_unit = ? OR competent_unit = ?)"
            b += [.text(u), .text(u), .text(u)]
        }
        if let idn = scopeIdNumber { sql += " AND applicant_id_number = ?"; b.append(.text(idn)) }
        if let p = procedureCode { sql += " AND procedure_code = ?"; b.append(.text(p)) }
        if let a = applicantIdNumber { sql += " AND applicant_id_number = ?"; b.append(.text(a)) }
        if let a = assignee { sql += " AND assignee = ?"; b.append(.text(a)) }
        if let u = receivingUnit { sql += " AND receiving_unit = ?"; b.append(.text(u)) }
        if let u = handlingUnit { sql += " AND handling_unit = ?"; b.append(.text(u)) }
        if let now = overdueAt {
            sql += " AND status IN (2, 4) AND paused_at IS NULL AND due_at < ?"
            b.append(now.sqlValue)
        }
        if let f = receivedFrom { sql += " AND received_at >= ?"; b.append(f.sqlValue) }
        if let t = receivedTo { sql += " AND received_at < ?"; b.append(t.sqlValue) }
        if let c = after {
            // (key, id) after the cursor's, written so that `key >= ?` starts the index range
            // (SQLite does not take a row value over an expression column as a range).
            sql += " AND \(Self.dueKey) >= ? AND (\(Self.dueKey) > ? OR id > ?)"
            b += [.text(c.dueKey), .text(c.dueKey), .text(c.id)]
        }
        sql += " ORDER BY \(Self.dueKey), id LIMIT ?"
        b.append(.int(Int64(limit + 1)))
        return try await db.query(sql, b)
    }
}
