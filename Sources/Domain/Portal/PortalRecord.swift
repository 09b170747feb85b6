// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A dossier as the national portal (DVCQG) stores it: the `DongBoHoSoMC` record of
/// `specs/dvcqg-sync.md`, field names as the portal spells them. Built from the dossier alone
/// (plus what the services layer looked up), so the same snapshot always gives the same record,
/// and reconciliation can compare what the portal returns with what MotCua would send now.
public struct PortalRecord: Codable, Sendable, Hashable {
    public struct Identifier: Codable, Sendable, Hashable {
        public var LoaiDinhDanh: Int
        public var SoDinhDanh: String
    }

    public struct Document: Codable, Sendable, Hashable {
        public var TepDinhKemId: String
        public var TenTepDinhKem: String
        public var MaThanhPhanHoSo: String
        public var DuocSoHoa: Int
        public var DuocTaiSuDung: Int
        public var DuocLayTuKhoDMQG: Int

        public init(TepDinhKemId: String, TenTepDinhKem: String, MaThanhPhanHoSo: String, DuocSoHoa: Int, DuocTaiSuDung: Int, DuocLayTuKhoDMQG: Int) {
            self.TepDinhKemId = TepDinhKemId
            self.TenTepDinhKem = TenTepDinhKem
            self.MaThanhPhanHoSo = MaThanhPhanHoSo
            self.DuocSoHoa = DuocSoHoa
            self.DuocTaiSuDung = DuocTaiSuDung
            self.DuocLayTuKhoDMQG = DuocLayTuKhoDMQG
        }
    }

    public struct Fee: Codable, Sendable, Hashable {
        public var TenPhiLePhi: String
        public var MaPhiLePhi: String
        public var Gia: Int
        public var HinhThucThu: Int
    }

    public struct Result: Codable, Sendable, Hashable {
        public var TenGiayTo: String
        public var GiayToId: String
        public var DuongDanTepTinKetQua: String

        public init(TenGiayTo: String, GiayToId: String, DuongDanTepTinKetQua: String) {
            self.TenGiayTo = TenGiayTo
            self.GiayToId = GiayToId
            self.DuongDanTepTinKetQua = DuongDanTepTinKetQua
        }
    }

    public struct Supplement: Codable, Sendable, Hashable {
        public var NguoiYeuCauBoSung: String
        public var NoiDungBoSung: String
        public var NgayBoSung: String
        public var NgayTiepNhanBoSung: String?
        public var NgayHenTraTruoc: String?
        public var NgayHenTraMoi: String?

        public init(
            NguoiYeuCauBoSung: String, NoiDungBoSung: String, NgayBoSung: String, NgayTiepNhanBoSung: String?, NgayHenTraTruoc: String?, NgayHenTraMoi: String?
        ) {
            self.NguoiYeuCauBoSung = NguoiYeuCauBoSung
            self.NoiDungBoSung = NoiDungBoSung
            self.NgayBoSung = NgayBoSung
            self.NgayTiepNhanBoSung = NgayTiepNhanBoSung
            self.NgayHenTraTruoc = NgayHenTraTruoc
            self.NgayHenTraMoi = NgayHenTraMoi
        }
    }

    public struct Database: Codable, Sendable, Hashable {
        public var MaCSDL: String
    }

    public var MaHoSo: String
    public var MaTTHC: String
    public var TenTTHC: String
    public var MaLinhVuc: String
    public var TenLinhVuc: String?
    public var KenhThucHien: Int
    public var ChuHoSo: String
    public var LoaiDoiTuong: Int
    public var NgayTiepNhan: String
    public var NgayHenTra: String
    public var TrangThaiHoSo: Int
    public var DonViXuLy: String
    public var SoGiayToChuHoSo: String?
    public var DinhDanhCHS: [Identifier]?
    public var Email: String?
    public var SoDienThoai: String?
    public var TrichYeuHoSo: String?
    public var NgayNopHoSo: String?
    public var NgayTra: String?
    public var NgayTuChoi: String?
    public var NgayKetThucXuLy: String?
    public var HinhThuc: Int?
    public var HoSoCoThanhPhanSoHoa: Int
    public var DuocThanhToanTrucTuyen: Int
    public var DSKetNoiCSDL: [Database]?
    public var TaiLieuNop: [Document]?
    public var DanhSachLePhi: [Fee]?
    public var DanhSachGiayToKetQua: [Result]?
    public var DanhSachHoSoBoSung: [Supplement]?

    /// The fields reconciliation compares: what decides the index (status, dates, unit, flags).
    /// Lists are compared by count, since the portal may normalise their entries.
    public var fingerprint: String {
        [
            MaHoSo, MaTTHC, String(TrangThaiHoSo), NgayTiepNhan, NgayHenTra, NgayTra ?? "", NgayTuChoi ?? "", NgayKetThucXuLy ?? "",
            DonViXuLy, String(KenhThucHien), String(HoSoCoThanhPhanSoHoa), String(DuocThanhToanTrucTuyen),
            String(DanhSachGiayToKetQua?.count ?? 0), String(DanhSachHoSoBoSung?.count ?? 0),
        ].joined(separator: "|")
    }
}

/// What the services layer adds to a dossier to build its portal record.
public struct PortalContext: Sendable {
    public var procedure: Procedure
    public var handlingUnitName: String
    public var documents: [PortalRecord.Document]
    public var results: [PortalRecord.Result]
    public var supplements: [PortalRecord.Supplement]
    /// National databases queried for this dossier (population database: `DSKetNoiCSDL`).
    public var databases: [String]
    /// The result is returned electronically (HinhThuc 2).
    public var electronicReturn: Bool

    public init(
        procedure: Procedure, handlingUnitName: String, documents: [PortalRecord.Document] = [], results: [PortalRecord.Result] = [],
        supplements: [PortalRecord.Supplement] = [], databases: [String] = [], electronicReturn: Bool = false
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

/// Builds portal records and progress rows. Pure: the rules of what the portal is told.
public enum PortalMapping {
    /// Whether the portal should hold this dossier yet. An online submission not yet received has
    /// no `NgayTiepNhan` (required), so it waits for reception, as provinces do; one withdrawn
    /// before reception never reaches the portal. A refusal is sent (the portal counts it).
    public static func isSyncable(_ d: Dossier) -> Bool {
        d.receivedAt != nil || d.status == .refused
    }

    /// `yyyyMMddHHmmss` in Vietnam time.
    public static func date(_ instant: Date) -> String {
        let (d, m) = VietnamTime.local(instant)
        let secs = ((Int(floor(instant.timeIntervalSince1970)) + VietnamTime.offsetSeconds) % 60 + 60) % 60
        return Digits.pad(d.year, 4) + Digits.pad(d.month, 2) + Digits.pad(d.day, 2) + Digits.pad(m / 60, 2) + Digits.pad(m % 60, 2) + Digits.pad(secs, 2)
    }

    public static func record(_ d: Dossier, _ c: PortalContext) -> PortalRecord {
        let received = d.receivedAt ?? d.submittedAt
        let subject: Int = switch d.applicant.kind {
        case .citizen: 1
        case .enterprise: 2
        case .organization: 4
        }
        let isPersonalID = d.applicant.kind == .citizen && d.applicant.idNumber.count == 12
        let version = c.procedure.version(number: d.procedureVersion)
        let fees = (version?.fees ?? []).filter { $0.amount > 0 }.map {
            PortalRecord.Fee(TenPhiLePhi: $0.name, MaPhiLePhi: $0.code, Gia: $0.amount, HinhThucThu: d.channel == .online && d.paidAt != nil ? 2 : 1)
        }
        let summary = "\(c.procedure.name) – \(d.applicant.fullName)"
        return PortalRecord(
            MaHoSo: d.code, MaTTHC: c.procedure.code, TenTTHC: c.procedure.name, MaLinhVuc: c.procedure.field.code, TenLinhVuc: c.procedure.field.name,
            KenhThucHien: d.channel.portalCode, ChuHoSo: d.applicant.fullName, LoaiDoiTuong: subject,
            NgayTiepNhan: date(received), NgayHenTra: date(d.dueAt ?? d.finishedAt ?? received), TrangThaiHoSo: d.status.rawValue,
            DonViXuLy: c.handlingUnitName, SoGiayToChuHoSo: d.applicant.idNumber,
            DinhDanhCHS: isPersonalID ? [.init(LoaiDinhDanh: 1, SoDinhDanh: d.applicant.idNumber)] : nil,
            Email: d.applicant.email, SoDienThoai: d.applicant.phone, TrichYeuHoSo: String(summary.prefix(1000)),
            NgayNopHoSo: date(d.submittedAt), NgayTra: d.returnedAt.map(date), NgayTuChoi: d.status == .refused ? d.finishedAt.map(date) : nil,
            NgayKetThucXuLy: d.status == .refused ? nil : d.finishedAt.map(date),
            HinhThuc: d.status == .returned || d.status == .processed ? (c.electronicReturn ? 2 : 0) : nil,
            HoSoCoThanhPhanSoHoa: c.documents.contains { $0.DuocSoHoa == 1 } ? 1 : 0,
            DuocThanhToanTrucTuyen: d.paidAt != nil && d.channel == .online ? 2 : 0,
            DSKetNoiCSDL: c.databases.isEmpty ? nil : c.databases.map { .init(MaCSDL: $0) },
            TaiLieuNop: c.documents.isEmpty ? nil : c.documents, DanhSachLePhi: fees.isEmpty ? nil : fees,
            DanhSachGiayToKetQua: c.results.isEmpty ? nil : c.results, DanhSachHoSoBoSung: c.supplements.isEmpty ? nil : c.supplements)
    }
}

/// A processing step as the portal stores it (`CapNhatTienDoHoSoMC`).
public struct PortalProgress: Codable, Sendable, Hashable {
    public var MaHoSo: String
    public var NguoiXuLy: String
    public var ChucDanh: String
    public var ThoiDiemXuLy: String
    public var PhongBanXuLy: String
    public var NoiDungXuLy: String
    public var TrangThai: Int
    public var NgayBatDau: String
    public var NgayKetThucTheoQuyDinh: String

    public init(
        code: String, person: String, title: String, at: Date, unit: String, action: DossierAction?, note: String?, status: DossierStatus,
        startedAt: Date, dueAt: Date?
    ) {
        MaHoSo = code
        NguoiXuLy = String(person.prefix(50))
        ChucDanh = title
        ThoiDiemXuLy = PortalMapping.date(at)
        PhongBanXuLy = unit
        let what = action.map(PortalMapping.stepName) ?? "Nộp hồ sơ trực tuyến"
        NoiDungXuLy = note.map { "\(what): \($0)" } ?? what
        TrangThai = status.rawValue
        NgayBatDau = PortalMapping.date(startedAt)
        NgayKetThucTheoQuyDinh = PortalMapping.date(dueAt ?? at)
    }
}

extension PortalMapping {
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
