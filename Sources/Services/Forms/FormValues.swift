// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// The values every form and result template may use (docs/FORMS.md lists them). Each form
/// adds its own (reason, signer, tables). Missing optional data is passed as "" on purpose:
/// the renderer refuses unknown keys, so a typo in a template fails its test instead of
/// printing a blank.
public enum FormValues {
    static func common(
        _ d: Dossier, procedure: Procedure, unit: AdministrativeUnit?, units: [String: AdministrativeUnit], publicURL: String, date: Date
    ) -> [String: String] {
        let (day, _) = VietnamTime.local(date)
        let resultName = procedure.version(number: d.procedureVersion)?.result?.name ?? ""
        return [
            "dossier.code": d.code,
            "dossier.receivedAt": d.receivedAt.map(dateTime) ?? "",
            "dossier.receivedDate": d.receivedAt.map(dateOnly) ?? "",
            "dossier.dueAt": d.dueAt.map(dateTime) ?? "",
            "dossier.dueDate": d.dueAt.map(dateOnly) ?? "",
            "dossier.status": d.status.vietnameseName,
            "procedure.code": procedure.code,
            "procedure.name": procedure.name,
            "result.name": resultName,
            "applicant.fullName": d.applicant.fullName,
            "applicant.idNumber": d.applicant.idNumber,
            "applicant.address": d.applicant.address ?? "",
            "applicant.phone": d.applicant.phone ?? "",
            "applicant.email": d.applicant.email ?? "",
            "unit.name": unit?.name ?? "",
            "unit.parentName": unit?.parentCode.flatMap { units[$0]?.name } ?? "",
            "unit.addressSuffix": unit?.address.map { " (địa chỉ: \($0))" } ?? "",
            "place": place(of: unit, units: units),
            "receivingUnit.name": units[d.receivingUnit]?.name ?? d.receivingUnit,
            "handlingUnit.name": units[d.handlingUnit]?.name ?? d.handlingUnit,
            "date.day": Digits.pad(day.day, 2),
            "date.month": Digits.pad(day.month, 2),
            "date.year": String(day.year),
            "trackingURL": "\(publicURL)/tra-cuu/\(d.code)",
        ]
    }

    /// The place name in the date line ("Sơn Hà, ngày …"): the commune for a commune's documents,
    /// otherwise the province.
    static func place(of unit: AdministrativeUnit?, units: [String: AdministrativeUnit]) -> String {
        var u = unit
        if u?.kind != .commune {
            while let p = u?.parentCode, let parent = units[p] { u = parent }
        }
        guard let name = u?.name else { return "" }
        for prefix in ["UBND thành phố ", "UBND tỉnh ", "UBND phường ", "UBND xã ", "UBND đặc khu ", "Ủy ban nhân dân "] where name.hasPrefix(prefix) {
            return String(name.dropFirst(prefix.count))
        }
        return name
    }

    /// "09:05 23/11/2026" in Vietnam time.
    public static func dateTime(_ date: Date) -> String {
        let (d, m) = VietnamTime.local(date)
        return "\(Digits.pad(m / 60, 2)):\(Digits.pad(m % 60, 2)) \(Digits.pad(d.day, 2))/\(Digits.pad(d.month, 2))/\(d.year)"
    }

    /// "23/11/2026" in Vietnam time.
    static func dateOnly(_ date: Date) -> String {
        let (d, _) = VietnamTime.local(date)
        return "\(Digits.pad(d.day, 2))/\(Digits.pad(d.month, 2))/\(d.year)"
    }

    /// "09 giờ 05 phút, ngày 23/11/2026", as appointments are written.
    static func appointment(_ date: Date) -> String {
        let (d, m) = VietnamTime.local(date)
        return "\(Digits.pad(m / 60, 2)) giờ \(Digits.pad(m % 60, 2)) phút, ngày \(Digits.pad(d.day, 2))/\(Digits.pad(d.month, 2))/\(d.year)"
    }

    /// Whether a hand-over was early, on time or late against the due date in force then.
    static func timeliness(at: Date, due: Date?) -> String {
        guard let due else { return "" }
        if at > due { return "Quá hạn" }
        return VietnamTime.date(of: at) < VietnamTime.date(of: due) ? "Trước hạn" : "Đúng hạn"
    }

    static func stageName(_ d: Dossier) -> String {
        switch (d.status, d.stage) {
        case (.received, _): "Đã tiếp nhận, chưa chuyển cơ quan giải quyết"
        case (_, .queued): "Cơ quan giải quyết đã nhận, chưa phân công"
        case (_, .assigned): "Chuyên viên đang thẩm định, xử lý"
        case (_, .approved): "Lãnh đạo đã phê duyệt kết quả"
        default: d.status.vietnameseName
        }
    }
}
