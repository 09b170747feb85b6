// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// Keeps the index aggregates current: every write that can change what a dossier contributes
/// to the index (its own change, a document, QC, a result, the portal's acknowledgement, a
/// population look-up) calls `refresh` in its own transaction. The dossier's entry is
/// recomputed from the current state and the counts move by the difference, so the live
/// figures equal a rebuild from the source tables by construction (a test checks it).
///
/// Concurrency (PostgreSQL, read committed): writers of one dossier's entry are serialized by
/// the dossier row's lock, taken before anything is read: a transition holds it already (its
/// versioned UPDATE), every other writer takes it here first. Whoever commits last therefore
/// read everything committed before it, and the counts move from the entry it replaced. A writer
/// that also changes other rows of the dossier (the relay's `portal_sync`) locks first, so
/// all writers take the locks in the same order.
enum IndexAggregates {
    /// Takes the dossier row's lock for the rest of the transaction (PostgreSQL; SQLite has one writer).
    static func lockDossier(_ id: String, on tx: any SQLExecutor) async throws {
        if tx.dialect == .postgres { try await tx.query("SELECT id FROM dossiers WHERE id = ? FOR UPDATE", id) }
    }

    /// A dossier's row, locked for the rest of the transaction: what a writer beside the dossier
    /// (a rating, a petition) reads first.
    static func lockedRow(code: String, on tx: any SQLExecutor) async throws -> Row? {
        try await tx.first("SELECT * FROM dossiers WHERE code = ?" + (tx.dialect == .postgres ? " FOR UPDATE" : ""), code)
    }

    /// Recomputes the entry of a dossier the caller changed in this transaction (a transition:
    /// the row is locked by its update). Every refresh passes here: dossiers digitized from the
    /// archive are never counted, and the intake benchmark's comparison run keeps no index.
    /// `opened`: the dossier was opened in this transaction, with these inputs; it has no entry yet.
    static func refresh(
        _ d: Dossier, imported: Bool = false, procedure: Procedure, app: MotCua, opened: DossierIndexInputs? = nil, on tx: any SQLExecutor
    ) async throws {
        guard app.maintainsIndex, !imported else { return }
        let new: DossierIndexEntry?
        let old: DossierIndexEntry?
        if let opened {
            (new, old) = (DossierIndexEntry.of(d, inputs: opened), nil)
        } else {
            new = DossierIndexEntry.of(d, inputs: try await Self.inputs(of: d, procedure: procedure, on: tx))
            old = try await IndexStore.entry(dossierId: d.id, on: tx)
        }
        try await IndexStore.replace(dossierId: d.id, old: old, new: new, on: tx)
    }

    /// Recomputes the entry of a dossier after a change beside it (documents, result, sync).
    static func refresh(dossierId: String, app: MotCua, on tx: any SQLExecutor) async throws {
        guard app.maintainsIndex else { return }
        try await lockDossier(dossierId, on: tx)
        guard let row = try await tx.first("SELECT * FROM dossiers WHERE id = ?", dossierId) else { return }
        let (d, procedure) = try await DossierService.load(row, app: app)
        try await refresh(d, imported: isImported(row), procedure: procedure, app: app, on: tx)
    }

    /// What the index needs beyond the dossier, read from the tables that hold it.
    static func inputs(of d: Dossier, procedure: Procedure, on tx: any SQLExecutor) async throws -> DossierIndexInputs {
        try await inputs(of: [(d, procedure)], on: tx)[d.id] ?? DossierIndexInputs(resultRequired: resultRequired(d, procedure))
    }

    /// The same for many dossiers at once, seven queries in all (the rebuild reads pages of them).
    static func inputs(of dossiers: [(Dossier, Procedure)], on tx: any SQLExecutor) async throws -> [String: DossierIndexInputs] {
        var out: [String: DossierIndexInputs] = [:]
        for (d, p) in dossiers { out[d.id] = DossierIndexInputs(resultRequired: resultRequired(d, p)) }
        // Not counted until received: nothing else to read for those.
        let counted = dossiers.map(\.0).filter { $0.receivedAt != nil }
        guard !counted.isEmpty else { return out }
        let ids = counted.map(\.id)
        let marks = SQLText.marks(ids.count)
        var latest: [String: [String: (version: Int, qc: String, reused: Bool, warehouse: Bool)]] = [:]
        for r in try await tx.query(
            "SELECT dossier_id, component_code, version, qc_status, reused_from, from_warehouse FROM dossier_components WHERE kind <> 'result' AND dossier_id IN (\(marks))",
            ids.map(\.sqlValue))
        {
            guard let id = r.string("dossier_id"), let code = r.string("component_code"), let v = r.int("version") else { continue }
            if (latest[id]?[code]?.version ?? 0) < v {
                latest[id, default: [:]][code] = (v, r.string("qc_status") ?? "", r.string("reused_from") != nil, r.int("from_warehouse") == 1)
            }
        }
        for (id, components) in latest {
            out[id]?.components = components.count
            out[id]?.digitizedComponents = components.values.filter { $0.qc == "passed" }.count
            out[id]?.failedComponents = components.values.filter { $0.qc == "failed" }.count
            out[id]?.reusedComponents = components.values.filter(\.reused).count
            out[id]?.warehouseComponents = components.values.filter(\.warehouse).count
        }
        for r in try await tx.query(
            "SELECT DISTINCT dossier_id FROM results WHERE status = ? AND dossier_id IN (\(marks))", [StoredResult.Status.valid.rawValue.sqlValue] + ids.map(\.sqlValue))
        {
            if let id = r.string("dossier_id") { out[id]?.electronicResult = true }
        }
        for r in try await tx.query("SELECT dossier_id FROM portal_sync WHERE on_portal = 1 AND dossier_id IN (\(marks))", ids.map(\.sqlValue)) {
            if let id = r.string("dossier_id") { out[id]?.onPortal = true }
        }
        for (id, rating) in try await RatingStore.ratings(dossierIds: ids, on: tx) { out[id]?.satisfied = rating.satisfied }
        for (id, n) in try await PetitionStore.counts(dossierIds: ids, on: tx) { out[id]?.petitions = n }
        // Who received it and who finished it (the last of each, in event order).
        for r in try await tx.query(
            "SELECT dossier_id, actor, action FROM dossier_events WHERE action IN (?, ?) AND dossier_id IN (\(marks)) ORDER BY dossier_id, seq",
            [DossierAction.receive.rawValue.sqlValue, DossierAction.finish.rawValue.sqlValue] + ids.map(\.sqlValue))
        {
            guard let id = r.string("dossier_id"), let actor = r.string("actor") else { continue }
            if r.string("action") == DossierAction.receive.rawValue { out[id]?.receivedBy = actor } else { out[id]?.handledBy = actor }
        }
        let byCode = Dictionary(counted.map { ($0.code, $0.id) }, uniquingKeysWith: { a, _ in a })
        for r in try await tx.query(
            "SELECT DISTINCT dossier_code FROM personal_data_access WHERE purpose = ? AND dossier_code IN (\(marks))",
            [PopulationService.purpose.sqlValue] + counted.map(\.code.sqlValue))
        {
            if let code = r.string("dossier_code"), let id = byCode[code] { out[id]?.populationLookup = true }
        }
        return out
    }

    /// Dossiers digitized from the archive (`motcua import`) are not counted: the portal never
    /// receives them ("Convert" dossiers), so the index it computes has none of them.
    static func isImported(_ row: Row) -> Bool { row.string("origin") == "imported" }

    static func resultRequired(_ d: Dossier, _ p: Procedure) -> Bool {
        p.version(number: d.procedureVersion)?.result?.paper ?? false
    }
}
