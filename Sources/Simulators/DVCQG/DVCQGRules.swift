// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// The checks the portal makes on each item before storing it (contract: "A record that lacks a
/// required field, has a malformed date, or a `TrangThaiHoSo` outside 1–10 fails as an item with
/// error_code 2 and a message naming the field"). Each check answers the first problem found, as
/// a Vietnamese message that contains the field's name, or nil.
enum DVCQGRules {
    static let requiredText = ["MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "ChuHoSo", "DonViXuLy"]
    static let requiredDates = ["NgayTiepNhan", "NgayHenTra"]
    static let optionalDates = ["NgayNopHoSo", "NgayTra", "NgayTuChoi", "NgayKetThucXuLy"]
    static let supplementDates = ["NgayBoSung", "NgayTiepNhanBoSung", "NgayHenTraTruoc", "NgayHenTraMoi"]

    /// A `DongBoHoSoMC` dossier record.
    static func dossierProblem(_ r: [String: SimJSON]) -> String? {
        for f in requiredText {
            if let p = requiredTextProblem(r, f) { return p }
        }
        if let p = codeProblem(r, "KenhThucHien", 1...3, required: true) { return p }
        if let p = codeProblem(r, "LoaiDoiTuong", 1...4, required: true) { return p }
        if let p = codeProblem(r, "TrangThaiHoSo", 1...10, required: true) { return p }
        for f in requiredDates {
            if let p = dateProblem(r[f], f, required: true) { return p }
        }
        for f in optionalDates {
            if let p = dateProblem(r[f], f, required: false) { return p }
        }
        if let s = r["TrichYeuHoSo"]?.stringValue, s.count > 1000 {
            return "Trường TrichYeuHoSo dài quá 1000 ký tự (\(s.count))"
        }
        if let p = codeProblem(r, "HinhThuc", 0...2, required: false) { return p }
        if let p = codeProblem(r, "HoSoCoThanhPhanSoHoa", 0...1, required: false) { return p }
        if let p = codeProblem(r, "TaiKhoanDuocXacThucVoiVNeID", 0...1, required: false) { return p }
        if let p = codeProblem(r, "DuocThanhToanTrucTuyen", 0...2, required: false) { return p }
        if let ids = r["DinhDanhCHS"], ids != .null {
            guard let list = ids.arrayValue else { return "Trường DinhDanhCHS phải là một danh sách" }
            for (i, id) in list.enumerated() {
                guard let o = id.objectValue else { return "Trường DinhDanhCHS[\(i)] phải là một đối tượng" }
                if let p = codeProblem(o, "LoaiDinhDanh", 1...2, required: true) { return "DinhDanhCHS[\(i)]: " + p }
                if let p = requiredTextProblem(o, "SoDinhDanh") { return "DinhDanhCHS[\(i)]: " + p }
            }
        }
        if let sups = r["DanhSachHoSoBoSung"], sups != .null {
            guard let list = sups.arrayValue else { return "Trường DanhSachHoSoBoSung phải là một danh sách" }
            for (i, s) in list.enumerated() {
                guard let o = s.objectValue else { return "Trường DanhSachHoSoBoSung[\(i)] phải là một đối tượng" }
                for f in supplementDates {
                    if let p = dateProblem(o[f], f, required: false) { return "DanhSachHoSoBoSung[\(i)]: " + p }
                }
            }
        }
        return nil
    }

    /// A `CapNhatTienDoHoSoMC` progress row. The contract lists the fields without marking any
    /// required; a row without who, when, what and which status says nothing, so those are.
    static func progressProblem(_ r: [String: SimJSON]) -> String? {
        for f in ["MaHoSo", "NguoiXuLy", "NoiDungXuLy"] {
            if let p = requiredTextProblem(r, f) { return p }
        }
        if let s = r["NguoiXuLy"]?.stringValue, s.count > 50 {
            return "Trường NguoiXuLy dài quá 50 ký tự (\(s.count))"
        }
        if let p = dateProblem(r["ThoiDiemXuLy"], "ThoiDiemXuLy", required: true) { return p }
        if let p = codeProblem(r, "TrangThai", 1...10, required: true) { return p }
        for f in ["NgayBatDau", "NgayKetThucTheoQuyDinh"] {
            if let p = dateProblem(r[f], f, required: false) { return p }
        }
        return nil
    }

    static func requiredTextProblem(_ r: [String: SimJSON], _ field: String) -> String? {
        switch r[field] {
        case nil, .null?: return "Thiếu trường bắt buộc \(field)"
        case .string(let s)?:
            return s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "Trường bắt buộc \(field) đang để trống" : nil
        case .some: return "Trường \(field) phải là chuỗi"
        }
    }

    static func codeProblem(_ r: [String: SimJSON], _ field: String, _ range: ClosedRange<Int>, required: Bool) -> String? {
        guard let v = r[field], v != .null else {
            return required ? "Thiếu trường bắt buộc \(field)" : nil
        }
        guard let n = v.intValue, range.contains(n) else {
            return "Trường \(field) phải là số từ \(range.lowerBound) đến \(range.upperBound): \(String(decoding: v.encoded(), as: UTF8.self))"
        }
        return nil
    }

    static func dateProblem(_ v: SimJSON?, _ field: String, required: Bool) -> String? {
        guard let v, v != .null else {
            return required ? "Thiếu trường bắt buộc \(field)" : nil
        }
        guard let s = v.stringValue, isPortalDate(s) else {
            return "Trường \(field) sai định dạng ngày yyyyMMddHHmmss: \(String(decoding: v.encoded(), as: UTF8.self))"
        }
        return nil
    }

    /// `yyyyMMddHHmmss`, fourteen digits naming a real instant (no 31 April, no 25 o'clock).
    static func isPortalDate(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 14, u.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        func n(_ from: Int, _ len: Int) -> Int { u[from..<(from + len)].reduce(0) { $0 * 10 + Int($1 - 48) } }
        let (y, mo, d, h, mi, se) = (n(0, 4), n(4, 2), n(6, 2), n(8, 2), n(10, 2), n(12, 2))
        guard (1900...2999).contains(y), (1...12).contains(mo), (0...23).contains(h), (0...59).contains(mi), (0...59).contains(se) else {
            return false
        }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]
        return (1...days).contains(d)
    }

    /// The instant of a portal date, read in Vietnam time (UTC+7, no daylight saving).
    static func instant(_ s: String) -> Date? {
        guard isPortalDate(s) else { return nil }
        let u = Array(s.utf8)
        func n(_ from: Int, _ len: Int) -> Int { u[from..<(from + len)].reduce(0) { $0 * 10 + Int($1 - 48) } }
        var c = DateComponents(year: n(0, 4), month: n(4, 2), day: n(6, 2), hour: n(8, 2), minute: n(10, 2), second: n(12, 2))
        c.timeZone = vietnam
        return calendar.date(from: c)
    }

    /// Vietnam time as a fixed offset: the portal's clock, independent of the host's tz database.
    static let vietnam = TimeZone(secondsFromGMT: 7 * 3600)!
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = vietnam
        return c
    }()

    /// The portal's status name, for statistics.
    static func statusName(_ code: Int) -> String {
        DossierStatus(rawValue: code)?.vietnameseName ?? "?"
    }
}
