// SPDX-License-Identifier: Apache-2.0
import Foundation

extension DongBoHoSoRecord {
    /// The fields reconciliation compares: what decides the index (status, dates, unit, flags).
    /// Lists are compared by count, since the portal may normalise their entries.
    public var fingerprint: String {
        [
            MaHoSo, MaTTHC, String(TrangThaiHoSo), NgayTiepNhan, NgayHenTra, NgayTra ?? "", NgayTuChoi ?? "", NgayKetThucXuLy ?? "",
            DonViXuLy, String(KenhThucHien), String(HoSoCoThanhPhanSoHoa ?? 0), String(DuocThanhToanTrucTuyen ?? 0),
            String(DanhSachGiayToKetQua?.count ?? 0), String(DanhSachHoSoBoSung?.count ?? 0),
        ].joined(separator: "|")
    }
}

/// What the services layer adds to a dossier to build its portal record.
public struct PortalContext: Sendable {
    public var procedure: Procedure
    public var handlingUnitName: String
    public var documents: [DongBoHoSoRecord.TaiLieu]
    public var results: [DongBoHoSoRecord.GiayToKetQua]
    public var supplements: [DongBoHoSoRecord.HoSoBoSung]
    /// National databases queried for this dossier (population database: `DSKetNoiCSDL`).
    public var databases: [String]
    /// The result is returned electronically (HinhThuc 2).
    public var electronicReturn: Bool

    public init(
        procedure: Procedure, handlingUnitName: String, documents: [DongBoHoSoRecord.TaiLieu] = [], results: [DongBoHoSoRecord.GiayToKetQua] = [],
        supplements: [DongBoHoSoRecord.HoSoBoSung] = [], databases: [String] = [], electronicReturn: Bool = false
    ) {
        self.procedure = procedure
        self.handlingUnitName = handlingUnitName
        self.documents = documents
        self.results = results
        self.supplements = supplements
        self.databases = databases
        self.electronicReturn = electronicReturn
    }
}

/// Builds a dossier's `DongBoHoSoMC` record and its `CapNhatTienDoHoSoMC` progress rows
/// (`specs/dvcqg-sync.md`). Pure: the rules of what the portal is told, from the dossier alone plus
/// what the services layer looked up, so the same snapshot always gives the same record and
/// reconciliation can compare what the portal returns with what MotCua would send now.
public enum PortalMapping {
    /// Whether the portal should hold this dossier yet. An online submission not yet received has
    /// no `NgayTiepNhan` (required), so it waits for reception, as provinces do; one withdrawn
    /// before reception never reaches the portal. A refusal is sent (the portal counts it).
    public static func isSyncable(_ d: Dossier) -> Bool {
        d.receivedAt != nil || d.status == .refused
    }

    public static func record(_ d: Dossier, _ c: PortalContext) -> DongBoHoSoRecord {
        let received = d.receivedAt ?? d.submittedAt
        let subject: Int = switch d.applicant.kind {
        case .citizen: 1
        case .enterprise: 2
        case .organization: 4
        }
        let isPersonalID = d.applicant.kind == .citizen && d.applicant.idNumber.count == 12
        let fees = (c.procedure.version(number: d.procedureVersion)?.fees ?? []).filter { $0.amount > 0 }.map {
            DongBoHoSoRecord.LePhi(TenPhiLePhi: $0.name, MaPhiLePhi: $0.code, Gia: $0.amount, HinhThucThu: d.channel == .online && d.paidAt != nil ? 2 : 1)
        }
        let date = DVCQGDate.string
        var r = DongBoHoSoRecord(
            MaHoSo: d.code, MaTTHC: c.procedure.code, TenTTHC: c.procedure.name, MaLinhVuc: c.procedure.field.code, KenhThucHien: d.channel.portalCode,
            ChuHoSo: d.applicant.fullName, LoaiDoiTuong: subject, NgayTiepNhan: date(received), NgayHenTra: date(d.dueAt ?? d.finishedAt ?? received),
            TrangThaiHoSo: d.status.rawValue, DonViXuLy: c.handlingUnitName)
        r.TenLinhVuc = c.procedure.field.name
        r.SoGiayToChuHoSo = d.applicant.idNumber
        r.DinhDanhCHS = isPersonalID ? [.init(LoaiDinhDanh: 1, SoDinhDanh: d.applicant.idNumber)] : nil
        r.Email = d.applicant.email
        r.SoDienThoai = d.applicant.phone
        r.TrichYeuHoSo = String("\(c.procedure.name) – \(d.applicant.fullName)".prefix(1000))
        r.NgayNopHoSo = date(d.submittedAt)
        r.NgayTra = d.returnedAt.map(date)
        r.NgayTuChoi = d.status == .refused ? d.finishedAt.map(date) : nil
        r.NgayKetThucXuLy = d.status == .refused ? nil : d.finishedAt.map(date)
        r.HinhThuc = d.status == .returned || d.status == .processed ? (c.electronicReturn ? 2 : 0) : nil
        r.HoSoCoThanhPhanSoHoa = c.documents.contains { $0.DuocSoHoa == 1 } ? 1 : 0
        r.DuocThanhToanTrucTuyen = d.paidAt != nil && d.channel == .online ? 2 : 0
        r.DSKetNoiCSDL = c.databases.isEmpty ? nil : c.databases.map { .init(MaCSDL: $0) }
        r.TaiLieuNop = c.documents.isEmpty ? nil : c.documents
        r.DanhSachLePhi = fees.isEmpty ? nil : fees
        r.DanhSachGiayToKetQua = c.results.isEmpty ? nil : c.results
        r.DanhSachHoSoBoSung = c.supplements.isEmpty ? nil : c.supplements
        return r
    }

    /// A processing step as the portal stores it.
    public static func progress(
        code: String, person: String, title: String, at: Date, unit: String, action: DossierAction?, note: String?, status: DossierStatus,
        startedAt: Date, dueAt: Date?
    ) -> TienDoRecord {
        let what = action.map(stepName) ?? "Nộp hồ sơ trực tuyến"
        return TienDoRecord(
            MaHoSo: code, NguoiXuLy: String(person.prefix(50)), ChucDanh: title, ThoiDiemXuLy: DVCQGDate.string(at), PhongBanXuLy: unit,
            NoiDungXuLy: note.map { "\(what): \($0)" } ?? what, TrangThai: status.rawValue, NgayBatDau: DVCQGDate.string(startedAt),
            NgayKetThucTheoQuyDinh: DVCQGDate.string(dueAt ?? at))
    }

    /// The step an action is, in the portal's language.
    public static func stepName(_ a: DossierAction) -> String {
        switch a {
        case .receive: "Tiếp nhận hồ sơ"
        case .refuse: "Từ chối tiếp nhận hồ sơ"
        case .requestSupplement: "Yêu cầu bổ sung, hoàn thiện hồ sơ"
        case .supplement: "Nộp bổ sung hồ sơ"
        case .assign: "Chuyển xử lý"
        case .transfer: "Chuyển liên thông"
        case .requestPayment: "Yêu cầu thực hiện nghĩa vụ tài chính"
        case .recordPayment: "Hoàn thành nghĩa vụ tài chính"
        case .approve: "Phê duyệt kết quả"
        case .finish: "Hoàn thành xử lý"
        case .returnResult: "Trả kết quả"
        case .withdraw: "Rút hồ sơ"
        case .stop: "Dừng xử lý"
        case .extend: "Gia hạn, hẹn lại ngày trả kết quả"
        }
    }

    /// The job title shown with a step. [R] Accounts do not hold posts yet; the role stands in.
    public static func title(for roles: Set<Role>) -> String {
        if roles.contains(.leader) { return "Lãnh đạo" }
        if roles.contains(.specialist) { return "Chuyên viên" }
        if roles.contains(.officer) { return "Cán bộ tiếp nhận" }
        if roles.contains(.citizen) { return "Người nộp hồ sơ" }
        return "Hệ thống"
    }
}
