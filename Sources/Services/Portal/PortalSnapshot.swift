// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// Reads what the portal must be told about a dossier now: its record and the progress rows
/// after a given event. Always the current state, so a relay that fell behind sends the latest
/// snapshot once (coalescing), never the history of snapshots.
struct PortalSnapshot: Sendable {
    let dossier: Dossier
    let record: DongBoHoSoRecord
    /// Progress rows with the seq of the event each comes from, oldest first.
    let progress: [(seq: Int, row: TienDoRecord)]

    /// The population database's code in `DSKetNoiCSDL`. [R] The national code table is not public.
    static let populationDatabaseCode = "CSDLQGDC"

    static func load(dossierId: String, afterSeq: Int, app: MotCua) async throws -> PortalSnapshot? {
        guard let row = try await app.database.first("SELECT * FROM dossiers WHERE id = ?", dossierId) else { return nil }
        let (d, procedure) = try await DossierService.load(row, app: app)
        let units = try await app.catalog.unitsByCode()
        let events = try await DossierStore.events(dossierId: d.id, on: app.database)
        var latest: [String: StoredComponent] = [:]
        for c in try await ComponentStore.components(dossierId: d.id, on: app.database) where c.kind != "result" {
            if (latest[c.componentCode]?.version ?? 0) < c.version { latest[c.componentCode] = c }
        }
        let documents = latest.values.sorted { $0.componentCode < $1.componentCode }.map { c in
            DongBoHoSoRecord.TaiLieu(
                TepDinhKemId: c.id, TenTepDinhKem: c.originalName ?? c.componentCode, MaThanhPhanHoSo: c.componentCode,
                DuocSoHoa: c.qcStatus == "passed" ? 1 : 0, DuocTaiSuDung: c.reusedFrom != nil ? 1 : 0, DuocLayTuKhoDMQG: c.fromWarehouse ? 1 : 0)
        }
        let results = try await ResultStore.results(dossierId: d.id, on: app.database).filter { $0.status == .valid }.map {
            DongBoHoSoRecord.GiayToKetQua(TenGiayTo: $0.title, GiayToId: $0.id, DuongDanTepTinKetQua: "\(app.config.publicURL)/ket-qua/\($0.id)")
        }
        var names: [String: (String, Set<Role>)] = [:]
        for u in Set(events.map(\.actor)) {
            if let a = try await AccountStore.user(u, on: app.database) { names[u] = (a.fullName, a.roles) }
        }
        // Supplement rounds: the request, and when the applicant answered with the moved due date.
        var supplements: [DongBoHoSoRecord.HoSoBoSung] = []
        for (i, e) in events.enumerated() where e.action == DossierAction.requestSupplement.rawValue {
            let answer = events[(i + 1)...].first { $0.action == DossierAction.supplement.rawValue }
            supplements.append(
                DongBoHoSoRecord.HoSoBoSung(
                    NguoiYeuCauBoSung: names[e.actor]?.0 ?? e.actor, NoiDungBoSung: e.data["reason"] ?? e.note ?? "",
                    NgayBoSung: DVCQGDate.string(e.at), NgayTiepNhanBoSung: answer.map { DVCQGDate.string($0.at) },
                    NgayHenTraTruoc: answer?.data["oldDueAt"].flatMap(SharedFormat.parseWithOffset).map(DVCQGDate.string),
                    NgayHenTraMoi: answer?.data["newDueAt"].flatMap(SharedFormat.parseWithOffset).map(DVCQGDate.string)))
        }
        let lookups = try await app.database.first(
            "SELECT COUNT(*) AS n FROM personal_data_access WHERE dossier_code = ? AND purpose = ?", d.code, PopulationService.purpose)?.int("n") ?? 0
        let context = PortalContext(
            procedure: procedure, handlingUnitName: units[d.handlingUnit]?.name ?? d.handlingUnit, documents: documents, results: results,
            supplements: supplements, databases: lookups > 0 ? [populationDatabaseCode] : [], electronicReturn: !results.isEmpty && d.channel == .online)
        // Progress rows: every step after the last one delivered, with the due date in force then.
        var progress: [(Int, TienDoRecord)] = []
        var due: Date?
        var previous = d.submittedAt
        for e in events {
            if let v = e.data["dueAt"] ?? e.data["newDueAt"], let t = SharedFormat.parseWithOffset(v) { due = t }
            defer { previous = e.at }
            guard e.seq > afterSeq else { continue }
            let (name, roles) = names[e.actor] ?? (e.actor, [])
            progress.append((
                e.seq,
                PortalMapping.progress(
                    code: d.code, person: name, title: PortalMapping.title(for: roles), at: e.at, unit: units[e.actorUnit ?? ""]?.name ?? (e.actorUnit ?? ""),
                    action: DossierAction(rawValue: e.action), note: e.data["reason"], status: e.toStatus, startedAt: previous, dueAt: due)
            ))
        }
        return PortalSnapshot(dossier: d, record: PortalMapping.record(d, context), progress: progress)
    }
}
