// SPDX-License-Identifier: Apache-2.0
import Foundation

// The portal's records, field for field. Properties keep the portal's PascalCase names instead of
// Swift's camelCase with CodingKeys: the names are the contract (specs/dvcqg-sync.md), a reviewer can
// grep one spelling across spec, code and captured traffic, and there is no key table to drift.
// Optional properties are left out of the JSON when nil (the portal wants "send when known").

/// A dossier record for `DongBoHoSoMC`.
public struct DongBoHoSoRecord: Codable, Sendable, Hashable {
    // Required.
    public var MaHoSo: String
    /// The national procedure code (TTHC), e.g. "1.001193".
    public var MaTTHC: String
    public var TenTTHC: String
    public var MaLinhVuc: String
    /// 1 in person, 2 online, 3 postal (`Channel.portalCode`).
    public var KenhThucHien: Int
    public var ChuHoSo: String
    /// 1 citizen, 2 enterprise, 3 state agency, 4 other.
    public var LoaiDoiTuong: Int
    /// ``DVCQGDate`` strings (yyyyMMddHHmmss, UTC+7).
    public var NgayTiepNhan: String
    public var NgayHenTra: String
    /// 1–10 (`DossierStatus.rawValue`).
    public var TrangThaiHoSo: Int
    public var DonViXuLy: String

    // Optional: send when known.
    /// The field's name (sent by provinces beside MaLinhVuc).
    public var TenLinhVuc: String?
    public var MaDoiTuong: String?
    public var SoGiayToChuHoSo: String?
    public var DinhDanhCHS: [DinhDanh]?
    public var Email: String?
    public var SoDienThoai: String?
    /// At most 1000 characters.
    public var TrichYeuHoSo: String?
    public var NgayNopHoSo: String?
    public var NgayTra: String?
    public var NgayTuChoi: String?
    public var NgayKetThucXuLy: String?
    /// Result return: 0 in person, 1 by post, 2 electronic.
    public var HinhThuc: Int?
    public var GhiChu: String?
    /// 0/1.
    public var HoSoCoThanhPhanSoHoa: Int?
    /// 0/1.
    public var TaiKhoanDuocXacThucVoiVNeID: Int?
    /// 0 no, 1 national payment platform, 2 local gateway.
    public var DuocThanhToanTrucTuyen: Int?
    public var DSKetNoiCSDL: [KetNoiCSDL]?
    public var TaiLieuNop: [TaiLieu]?
    public var DanhSachLePhi: [LePhi]?
    public var DanhSachGiayToKetQua: [GiayToKetQua]?
    public var DanhSachHoSoBoSung: [HoSoBoSung]?

    public init(
        MaHoSo: String, MaTTHC: String, TenTTHC: String, MaLinhVuc: String, KenhThucHien: Int, ChuHoSo: String, LoaiDoiTuong: Int,
        NgayTiepNhan: String, NgayHenTra: String, TrangThaiHoSo: Int, DonViXuLy: String
    ) {
        self.MaHoSo = MaHoSo
        self.MaTTHC = MaTTHC
        self.TenTTHC = TenTTHC
        self.MaLinhVuc = MaLinhVuc
        self.KenhThucHien = KenhThucHien
        self.ChuHoSo = ChuHoSo
        self.LoaiDoiTuong = LoaiDoiTuong
        self.NgayTiepNhan = NgayTiepNhan
        self.NgayHenTra = NgayHenTra
        self.TrangThaiHoSo = TrangThaiHoSo
        self.DonViXuLy = DonViXuLy
    }

    /// An identity document of the owner: 1 = 12-digit personal ID, 2 = 9-digit old ID.
    public struct DinhDanh: Codable, Sendable, Hashable {
        public var LoaiDinhDanh: Int
        public var SoDinhDanh: String
        public init(LoaiDinhDanh: Int, SoDinhDanh: String) {
            self.LoaiDinhDanh = LoaiDinhDanh
            self.SoDinhDanh = SoDinhDanh
        }
    }

    /// A national database queried for the dossier.
    public struct KetNoiCSDL: Codable, Sendable, Hashable {
        public var MaCSDL: String
        public init(MaCSDL: String) { self.MaCSDL = MaCSDL }
    }

    /// A submitted document.
    public struct TaiLieu: Codable, Sendable, Hashable {
        public var TepDinhKemId: String?
        public var TenTepDinhKem: String?
        public var MaThanhPhanHoSo: String?
        /// A URL the portal can fetch.
        public var DuongDanTaiTepTin: String?
        /// 0/1.
        public var DuocSoHoa: Int?
        /// 0/1/2.
        public var DuocTaiSuDung: Int?
        /// 0/1.
        public var DuocLayTuKhoDMQG: Int?
        public init(
            TepDinhKemId: String? = nil, TenTepDinhKem: String? = nil, MaThanhPhanHoSo: String? = nil, DuongDanTaiTepTin: String? = nil,
            DuocSoHoa: Int? = nil, DuocTaiSuDung: Int? = nil, DuocLayTuKhoDMQG: Int? = nil
        ) {
            self.TepDinhKemId = TepDinhKemId
            self.TenTepDinhKem = TenTepDinhKem
            self.MaThanhPhanHoSo = MaThanhPhanHoSo
            self.DuongDanTaiTepTin = DuongDanTaiTepTin
            self.DuocSoHoa = DuocSoHoa
            self.DuocTaiSuDung = DuocTaiSuDung
            self.DuocLayTuKhoDMQG = DuocLayTuKhoDMQG
        }
    }

    /// A fee or charge, in VND.
    public struct LePhi: Codable, Sendable, Hashable {
        public var TenPhiLePhi: String
        public var MaPhiLePhi: String?
        public var Gia: Int
        public var HinhThucThu: Int?
        public init(TenPhiLePhi: String, MaPhiLePhi: String? = nil, Gia: Int, HinhThucThu: Int? = nil) {
            self.TenPhiLePhi = TenPhiLePhi
            self.MaPhiLePhi = MaPhiLePhi
            self.Gia = Gia
            self.HinhThucThu = HinhThucThu
        }
    }

    /// A result document.
    public struct GiayToKetQua: Codable, Sendable, Hashable {
        public var TenGiayTo: String
        public var GiayToId: String?
        public var DuongDanTepTinKetQua: String?
        /// The national result code.
        public var MaGiayToKetQua: String?
        public init(TenGiayTo: String, GiayToId: String? = nil, DuongDanTepTinKetQua: String? = nil, MaGiayToKetQua: String? = nil) {
            self.TenGiayTo = TenGiayTo
            self.GiayToId = GiayToId
            self.DuongDanTepTinKetQua = DuongDanTepTinKetQua
            self.MaGiayToKetQua = MaGiayToKetQua
        }
    }

    /// A supplement round (Mẫu 02), with the due dates before and after it.
    public struct HoSoBoSung: Codable, Sendable, Hashable {
        public var NguoiYeuCauBoSung: String?
        public var NoiDungBoSung: String?
        public var NgayBoSung: String?
        public var NgayTiepNhanBoSung: String?
        public var NgayHenTraTruoc: String?
        public var NgayHenTraMoi: String?
        public init(
            NguoiYeuCauBoSung: String? = nil, NoiDungBoSung: String? = nil, NgayBoSung: String? = nil, NgayTiepNhanBoSung: String? = nil,
            NgayHenTraTruoc: String? = nil, NgayHenTraMoi: String? = nil
        ) {
            self.NguoiYeuCauBoSung = NguoiYeuCauBoSung
            self.NoiDungBoSung = NoiDungBoSung
            self.NgayBoSung = NgayBoSung
            self.NgayTiepNhanBoSung = NgayTiepNhanBoSung
            self.NgayHenTraTruoc = NgayHenTraTruoc
            self.NgayHenTraMoi = NgayHenTraMoi
        }
    }
}


/// A processing step for `CapNhatTienDoHoSoMC`.
public struct TienDoRecord: Codable, Sendable, Hashable {
    public var MaHoSo: String
    /// At most 50 characters.
    public var NguoiXuLy: String
    public var ChucDanh: String?
    /// ``DVCQGDate`` string.
    public var ThoiDiemXuLy: String
    public var PhongBanXuLy: String?
    public var NoiDungXuLy: String
    /// The `TrangThaiHoSo` code after the step.
    public var TrangThai: Int
    public var NgayBatDau: String?
    public var NgayKetThucTheoQuyDinh: String?

    public init(
        MaHoSo: String, NguoiXuLy: String, ChucDanh: String? = nil, ThoiDiemXuLy: String, PhongBanXuLy: String? = nil, NoiDungXuLy: String,
        TrangThai: Int, NgayBatDau: String? = nil, NgayKetThucTheoQuyDinh: String? = nil
    ) {
        self.MaHoSo = MaHoSo
        self.NguoiXuLy = NguoiXuLy
        self.ChucDanh = ChucDanh
        self.ThoiDiemXuLy = ThoiDiemXuLy
        self.PhongBanXuLy = PhongBanXuLy
        self.NoiDungXuLy = NoiDungXuLy
        self.TrangThai = TrangThai
        self.NgayBatDau = NgayBatDau
        self.NgayKetThucTheoQuyDinh = NgayKetThucTheoQuyDinh
    }
}


/// The portal's date format: `yyyyMMddHHmmss` in Vietnam time.
///
/// Vietnam time is a fixed UTC+7 (no daylight saving since 1975), used as a fixed offset so the
/// result does not depend on the host's tz database. Built on `Calendar` rather than
/// `DateFormatter`, which is neither `Sendable` nor cheap to create per call.
public enum DVCQGDate {
    public static let timeZone = VietnamTime.timeZone

    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }()

    /// `date` as yyyyMMddHHmmss in UTC+7 (seconds truncated, as the format has no fraction).
    public static func string(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let y = c.year ?? 0
        return String(repeating: "0", count: max(0, 4 - String(y).count)) + "\(y)" + two(c.month) + two(c.day) + two(c.hour) + two(c.minute)
            + two(c.second)
    }

    /// The instant of a yyyyMMddHHmmss string read in UTC+7, or nil if it is not one (wrong length,
    /// non-digits, or no such day or time).
    public static func date(_ s: String) -> Date? {
        let u = Array(s.utf8)
        guard u.count == 14, u.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        func n(_ from: Int, _ len: Int) -> Int { u[from..<(from + len)].reduce(0) { $0 * 10 + Int($1 - 48) } }
        let c = DateComponents(year: n(0, 4), month: n(4, 2), day: n(6, 2), hour: n(8, 2), minute: n(10, 2), second: n(12, 2))
        guard (1...12).contains(c.month!), (1...31).contains(c.day!), (0...23).contains(c.hour!), (0...59).contains(c.minute!),
            (0...59).contains(c.second!), let d = calendar.date(from: c)
        else { return nil }
        // Calendar rolls 31 April over to 1 May; a round trip catches it.
        return string(d) == s ? d : nil
    }
}
