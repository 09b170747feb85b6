// SPDX-License-Identifier: Apache-2.0

/// One procedure of the national catalogue as `LayDanhSachTTHC` answers it. Field names are the
/// portal's own, so the value encodes to exactly what the portal sends.
public struct DVCQGCatalogueEntry: Codable, Sendable, Hashable {
    public var MaTTHC: String
    public var TenTTHC: String
    public var MaLinhVuc: String
    public var TenLinhVuc: String
    public var CoQuanThucHien: String
    public var ThoiHanGiaiQuyet: Int
    /// "Ngày làm việc" or "Ngày".
    public var DonViTinh: String
    /// `TOANTRINH` (fully online) or `MOTPHAN` (partly online).
    public var MucDo: String
    /// `yyyyMMddHHmmss`; `TuNgay`/`DenNgay` in the request filter on it.
    public var NgayCapNhat: String

    public init(
        MaTTHC: String, TenTTHC: String, MaLinhVuc: String, TenLinhVuc: String, CoQuanThucHien: String,
        ThoiHanGiaiQuyet: Int, DonViTinh: String, MucDo: String, NgayCapNhat: String
    ) {
        self.MaTTHC = MaTTHC
        self.TenTTHC = TenTTHC
        self.MaLinhVuc = MaLinhVuc
        self.TenLinhVuc = TenLinhVuc
        self.CoQuanThucHien = CoQuanThucHien
        self.ThoiHanGiaiQuyet = ThoiHanGiaiQuyet
        self.DonViTinh = DonViTinh
        self.MucDo = MucDo
        self.NgayCapNhat = NgayCapNhat
    }

    /// A few real national procedures (codes, names and times as in MotCua's bundled catalogue), enough
    /// for demos and for a catalogue check; inject a fuller list through the configuration.
    public static let sample: [DVCQGCatalogueEntry] = [
        .init(
            MaTTHC: "1.001193", TenTTHC: "Thủ tục đăng ký khai sinh", MaLinhVuc: "HOTICH", TenLinhVuc: "Hộ tịch",
            CoQuanThucHien: "Ủy ban nhân dân cấp xã", ThoiHanGiaiQuyet: 1, DonViTinh: "Ngày làm việc", MucDo: "TOANTRINH",
            NgayCapNhat: "20250701000000"),
        .init(
            MaTTHC: "1.000656", TenTTHC: "Thủ tục đăng ký khai tử", MaLinhVuc: "HOTICH", TenLinhVuc: "Hộ tịch",
            CoQuanThucHien: "Ủy ban nhân dân cấp xã", ThoiHanGiaiQuyet: 1, DonViTinh: "Ngày làm việc", MucDo: "TOANTRINH",
            NgayCapNhat: "20250701000000"),
        .init(
            MaTTHC: "1.000894", TenTTHC: "Thủ tục đăng ký kết hôn", MaLinhVuc: "HOTICH", TenLinhVuc: "Hộ tịch",
            CoQuanThucHien: "Ủy ban nhân dân cấp xã", ThoiHanGiaiQuyet: 1, DonViTinh: "Ngày làm việc", MucDo: "TOANTRINH",
            NgayCapNhat: "20250701000000"),
        .init(
            MaTTHC: "1.001612", TenTTHC: "Đăng ký thành lập hộ kinh doanh", MaLinhVuc: "HKD",
            TenLinhVuc: "Thành lập và hoạt động của hộ kinh doanh", CoQuanThucHien: "Ủy ban nhân dân cấp xã", ThoiHanGiaiQuyet: 3,
            DonViTinh: "Ngày làm việc", MucDo: "TOANTRINH", NgayCapNhat: "20250701000000"),
        .init(
            MaTTHC: "1.013225", TenTTHC: "Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV và nhà ở riêng lẻ",
            MaLinhVuc: "XAYDUNG", TenLinhVuc: "Hoạt động xây dựng", CoQuanThucHien: "Ủy ban nhân dân cấp xã", ThoiHanGiaiQuyet: 10,
            DonViTinh: "Ngày làm việc", MucDo: "MOTPHAN", NgayCapNhat: "20250801000000"),
        .init(
            MaTTHC: "1.012784", TenTTHC: "Tách thửa hoặc hợp thửa đất", MaLinhVuc: "DATDAI", TenLinhVuc: "Đất đai",
            CoQuanThucHien: "Sở Nông nghiệp và Môi trường", ThoiHanGiaiQuyet: 12, DonViTinh: "Ngày làm việc", MucDo: "MOTPHAN",
            NgayCapNhat: "20250801000000"),
        .init(
            MaTTHC: "3.000333", TenTTHC: "Cấp Phiếu Lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
            MaLinhVuc: "LLTP", TenLinhVuc: "Lý lịch tư pháp", CoQuanThucHien: "Công an tỉnh", ThoiHanGiaiQuyet: 10, DonViTinh: "Ngày",
            MucDo: "TOANTRINH", NgayCapNhat: "20250901000000"),
        .init(
            MaTTHC: "2.000815", TenTTHC: "Chứng thực bản sao từ bản chính giấy tờ, văn bản", MaLinhVuc: "CHUNGTHUC",
            TenLinhVuc: "Chứng thực", CoQuanThucHien: "Ủy ban nhân dân cấp xã", ThoiHanGiaiQuyet: 1, DonViTinh: "Ngày làm việc",
            MucDo: "MOTPHAN", NgayCapNhat: "20250901000000"),
    ]
}
