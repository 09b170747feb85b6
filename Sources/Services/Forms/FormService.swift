// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import PDF
import Storage

/// The forms of Circular 03/2025/TT-VPCP generated from a dossier's data and events.
/// Mẫu 01 (receipt and appointment slip) comes first; 02–07, the QR code and signatures follow.
public struct FormService: Sendable {
    let app: MotCua

    /// The fonts shipped with MotCua (DejaVu Sans: full Vietnamese coverage incl. ₫; licence beside them).
    static let fonts: Result<[String: TrueTypeFont], any Error> = Result {
        [
            "regular": try TrueTypeFont(contentsOf: try BundledData.url("DejaVuSans", "ttf", "fonts")),
            "bold": try TrueTypeFont(contentsOf: try BundledData.url("DejaVuSans-Bold", "ttf", "fonts")),
        ]
    }

    /// Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả, as a PDF.
    public func receipt(code: String, by actor: Actor) async throws -> Data {
        let detail = try await app.dossiers.get(code: code, by: actor, purpose: "print-receipt")
        let d = detail.dossier
        guard let received = d.receivedAt else {
            throw ServiceError.conflict(
                message: "dossier \(code) has not been received yet; the receipt is issued at reception", status: d.status,
                allowedActions: detail.allowedActions, currentVersion: d.version)
        }
        let procedure = try await app.catalog.procedure(code: d.procedureCode)
        let version = procedure.version(number: d.procedureVersion)
        let units = try await app.catalog.unitsByCode()
        let unitName = units[d.receivingUnit]?.name ?? d.receivingUnit
        let receiverUsername = detail.events?.first { $0.action == DossierAction.receive.rawValue }?.actor
        let receiver = try await fullName(of: receiverUsername)
        var pdf = PDFDocument(fonts: try Self.fonts.get(), title: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả \(d.code)", creationDate: received)
        pdf.addPage()
        let W = PDFDocument.a4Width
        let H = PDFDocument.a4Height
        let left = 56.0
        let right = W - 56
        func top(_ y: Double) -> Double { H - y }
        // Header: the unit on the left, the national motto on the right.
        let unitLines = try pdf.wrap(unitName.uppercased(), font: "bold", size: 10, width: 200)
        var y = 60.0
        for line in unitLines {
            try pdf.drawText(line, x: 150, y: top(y), font: "bold", size: 10, alignment: .center)
            y += 13
        }
        try pdf.drawText("BỘ PHẬN MỘT CỬA", x: 150, y: top(y), font: "regular", size: 10, alignment: .center)
        try pdf.drawText("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", x: 400, y: top(60), font: "bold", size: 10, alignment: .center)
        try pdf.drawText("Độc lập - Tự do - Hạnh phúc", x: 400, y: top(74), font: "bold", size: 10.5, alignment: .center)
        let mottoWidth = try pdf.textWidth("Độc lập - Tự do - Hạnh phúc", font: "bold", size: 10.5)
        try pdf.drawLine(x1: 400 - mottoWidth / 2, y1: top(77), x2: 400 + mottoWidth / 2, y2: top(77))
        let (day, _) = VietnamTime.local(received)
        try pdf.drawText(
            "Ngày \(Digits.pad(day.day, 2)) tháng \(Digits.pad(day.month, 2)) năm \(day.year)", x: 400, y: top(96), font: "regular", size: 10,
            alignment: .center)
        // Title.
        try pdf.drawText("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", x: W / 2, y: top(135), font: "bold", size: 13, alignment: .center)
        try pdf.drawText("Mã hồ sơ: \(d.code)", x: W / 2, y: top(153), font: "regular", size: 10.5, alignment: .center)
        // Body.
        y = 180
        var textWidth = right - left
        func line(_ text: String, bold: Bool = false) throws {
            let next = try pdf.drawParagraph(text, x: left, y: top(y), width: textWidth, font: bold ? "bold" : "regular", size: 10.5, leading: 15)
            y = H - next
        }
        try line("\(unitName) tiếp nhận hồ sơ của: \(d.applicant.fullName)")
        try line("Số định danh cá nhân: \(d.applicant.idNumber)")
        if let phone = d.applicant.phone { try line("Số điện thoại: \(phone)\(d.applicant.email.map { "    Email: \($0)" } ?? "")") }
        if let address = d.applicant.address { try line("Địa chỉ: \(address)") }
        try line("Nội dung yêu cầu giải quyết: \(procedure.name)")
        y += 4
        try line("1. Thành phần hồ sơ nộp gồm:", bold: true)
        // Components table.
        let cols: [(String, Double)] = [("STT", 32), ("Tên giấy tờ", 300), ("Hình thức", 100), ("Số lượng", right - left - 432)]
        func row(_ cells: [String], header: Bool) throws {
            let wrapped = try cells.enumerated().map { i, c in try pdf.wrap(c, font: header ? "bold" : "regular", size: 9.5, width: cols[i].1 - 8) }
            let height = Double(wrapped.map(\.count).max() ?? 1) * 12 + 6
            var x = left
            for (i, lines) in wrapped.enumerated() {
                try pdf.drawRect(x: x, y: top(y + height), width: cols[i].1, height: height, fillGray: header ? 0.9 : nil)
                for (j, text) in lines.enumerated() {
                    try pdf.drawText(text, x: x + 4, y: top(y + 13 + Double(j) * 12), font: header ? "bold" : "regular", size: 9.5)
                }
                x += cols[i].1
            }
            y += height
        }
        try row(cols.map(\.0), header: true)
        for (i, c) in (version?.components ?? []).enumerated() {
            try row([String(i + 1), c.name, c.form.vietnameseName, Digits.pad(c.count, 2)], header: false)
        }
        y += 16  // the next baseline, below the table's last row
        // The QR (to the public tracking page) sits at the right of items 2–7, which wrap narrower.
        let tracking = "\(app.config.publicURL)/tra-cuu/\(d.code)"
        try pdf.drawQRCode(try QRCode.encode(tracking, correction: .medium), x: right - 92, y: top(y - 8 + 92), size: 92)
        textWidth = right - left - 100
        try line("2. Số lượng hồ sơ: 01 (bộ)")
        let time = d.processingTime
        let unitText = switch time.unit {
        case .workingDays: "ngày làm việc"
        case .workingHours: "giờ làm việc"
        case .calendarDays: "ngày"
        }
        try line("3. Thời gian giải quyết hồ sơ theo quy định: \(time.amount) \(unitText)")
        try line("4. Thời gian nhận hồ sơ: \(FormValues.appointment(received))")
        if let due = d.dueAt { try line("5. Thời gian trả kết quả giải quyết hồ sơ: \(FormValues.appointment(due))") }
        try line("6. Phí, lệ phí: \(d.fee == 0 ? "không thu" : Self.vnd(d.fee))")
        try line("7. Tra cứu tình trạng hồ sơ (hoặc quét mã QR): \(tracking)")
        textWidth = right - left
        // Signature blocks.
        y += 24
        try pdf.drawText("NGƯỜI NỘP HỒ SƠ", x: 150, y: top(y), font: "bold", size: 10, alignment: .center)
        try pdf.drawText("NGƯỜI TIẾP NHẬN HỒ SƠ", x: 420, y: top(y), font: "bold", size: 10, alignment: .center)
        try pdf.drawText("(Ký và ghi rõ họ tên)", x: 150, y: top(y + 13), font: "regular", size: 9, alignment: .center)
        try pdf.drawText("(Ký và ghi rõ họ tên)", x: 420, y: top(y + 13), font: "regular", size: 9, alignment: .center)
        try pdf.drawText(d.applicant.fullName, x: 150, y: top(y + 80), font: "bold", size: 10, alignment: .center)
        try pdf.drawText(receiver, x: 420, y: top(y + 80), font: "bold", size: 10, alignment: .center)
        // The receiving officer signs the slip (PAdES) when they have a signing identity.
        let unsigned = pdf.data()
        guard let username = receiverUsername,
            let signed = try await app.signatures.sign(unsigned, as: username, reason: "Tiếp nhận hồ sơ \(d.code)", location: unitName)
        else { return unsigned }
        return signed
    }

    /// An account's full name, or the username when the account is gone.
    func fullName(of username: String?) async throws -> String {
        guard let username, let user = try await AccountStore.user(username, on: app.database) else { return username ?? "" }
        return user.fullName
    }

    /// "25.000 đồng".
    public static func vnd(_ amount: Int) -> String {
        var digits = Array(String(amount))
        var out = ""
        while digits.count > 3 {
            out = "." + String(digits.suffix(3)) + out
            digits.removeLast(3)
        }
        return String(digits) + out + " đồng"
    }
}
