// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import Documents

/// Rules applied to hand-made measurements: no tools needed.
@Suite("Quality control rules")
struct QualityControlTests {
    static func scanPage(_ page: Int, dpi: Double, components: Int = 3, basis: DpiBasis = .placement, claimed: Double? = nil)
        -> PageImage
    {
        PageImage(page: page, widthPx: Int(8.27 * dpi), heightPx: Int(11.69 * dpi), xDpi: dpi, yDpi: dpi, dpiBasis: basis,
                  claimedXDpi: claimed, claimedYDpi: claimed, pageCoverage: 1, colorSpace: components == 1 ? "gray" : "rgb",
                  colorComponents: components, bitsPerComponent: 8)
    }

    static func inspection(pages: Int = 1, images: [PageImage]? = nil, ink: [Double]? = nil, text: [Int]? = nil,
                           sha: String? = "ab", kind: FileKind = .pdf) -> Inspection
    {
        Inspection(kind: kind, pages: pages, images: images ?? (1...pages).map { scanPage($0, dpi: 300) }, blankPages: [],
                   inkPerPage: ink ?? Array(repeating: 0.03, count: pages), textCharsPerPage: text ?? Array(repeating: 0, count: pages),
                   fileSize: 1000, sha256: sha, pdfVersion: "1.4", encrypted: false, unmeasured: [:])
    }

    static func ocr(_ chars: [Int], ink: [Double]? = nil) -> OCROutcome {
        OCROutcome(text: chars.map { String(repeating: "a", count: $0) }.joined(separator: "\u{0C}"), pages: chars.count,
                   charsPerPage: chars, suggestions: [], inkPerPage: ink, isPDFA: true, seconds: 1, notes: [])
    }

    @Test func bundledRulesLoad() throws {
        let r = try QCRules.bundled()
        #expect(r.format == "motcua-qc/1" && r.minDpi == 200 && r.requirePdf && r.colorSeverity == .warning)
        #expect(r.maxBlankPages == 0 && r.minTextCharsPerPage == 20)
        #expect(throws: QCRulesError.unsupportedFormat("motcua-qc/9")) {
            try QCRules.decode(Data(#"{"format":"motcua-qc/9","minDpi":200}"#.utf8))
        }
    }

    @Test func goodScanWaitsForOCRThenPasses() throws {
        let rules = try QCRules.bundled()
        let i = Self.inspection()
        let before = QualityControl.evaluate(i, kind: .pdf, ocr: nil, expectedSHA256: "ab", rules: rules)
        #expect(before.status == .pending && before.reason("ocr-pending") != nil)
        let after = QualityControl.evaluate(i, kind: .pdf, ocr: Self.ocr([400]), expectedSHA256: "ab", rules: rules)
        #expect(after == QCVerdict(status: .passed, reasons: []))
    }

    @Test func bornDigitalPDFPassesWithoutOCR() throws {
        let i = Self.inspection(images: [], text: [1200])
        #expect(QualityControl.evaluate(i, kind: .pdf, ocr: nil, expectedSHA256: nil, rules: try QCRules.bundled()).status == .passed)
    }

    @Test func lowResolutionFails() throws {
        let i = Self.inspection(pages: 2, images: [Self.scanPage(1, dpi: 72), Self.scanPage(2, dpi: 150)])
        let v = QualityControl.evaluate(i, kind: .pdf, ocr: Self.ocr([300, 300]), expectedSHA256: nil, rules: try QCRules.bundled())
        #expect(v.status == .failed)
        #expect(v.reason("resolution")?.message == "Độ phân giải 72 dpi thấp hơn mức tối thiểu 200 dpi (các trang 1, 2).")
        #expect(v.reason("resolution")?.detail["pages"] == "1,2")
    }

    @Test func toleranceAndLogos() throws {
        // 199 dpi is within the 2 % tolerance; a 72 dpi logo covering 5 % of the page is not a scan.
        var logo = Self.scanPage(1, dpi: 72)
        logo.pageCoverage = 0.05
        let i = Self.inspection(images: [Self.scanPage(1, dpi: 199), logo])
        let v = QualityControl.evaluate(i, kind: .pdf, ocr: Self.ocr([300]), expectedSHA256: nil, rules: try QCRules.bundled())
        #expect(v.status == .passed)
    }

    @Test func falseDpiClaimIsCalledOut() throws {
        let img = Self.scanPage(1, dpi: 72, basis: .assumedA4, claimed: 300)
        let i = Self.inspection(images: [img], kind: .png)
        let v = QualityControl.evaluate(i, kind: .png, ocr: nil, expectedSHA256: nil, rules: try QCRules.bundled())
        let m = try #require(v.reason("resolution")?.message)
        #expect(m.hasPrefix("Độ phân giải 72 dpi thấp hơn mức tối thiểu 200 dpi (trang 1)."))
        #expect(m.contains("coi ảnh là bản quét trang A4") && m.contains("Tệp tự khai báo 300 dpi"))
    }

    @Test func greyScanIsAWarningByDefault() throws {
        var rules = try QCRules.bundled()
        let i = Self.inspection(images: [Self.scanPage(1, dpi: 300, components: 1)])
        let v = QualityControl.evaluate(i, kind: .pdf, ocr: Self.ocr([300]), expectedSHA256: nil, rules: rules)
        #expect(v.status == .passed && v.reason("colour")?.severity == .warning)
        rules.colorSeverity = .error
        #expect(QualityControl.evaluate(i, kind: .pdf, ocr: Self.ocr([300]), expectedSHA256: nil, rules: rules).status == .failed)
        rules.colorSeverity = .off
        #expect(QualityControl.evaluate(i, kind: .pdf, ocr: Self.ocr([300]), expectedSHA256: nil, rules: rules).reasons.isEmpty)
    }

    @Test func unreadableAndBlankAreDistinct() throws {
        // Page 2 is blank (reported once, as blank); page 3 has ink but OCR read 4 characters.
        let i = Self.inspection(pages: 3, ink: [0.03, 0.0, 0.02])
        let v = QualityControl.evaluate(i, kind: .pdf, ocr: Self.ocr([500, 0, 4]), expectedSHA256: nil, rules: try QCRules.bundled())
        #expect(v.status == .failed)
        #expect(v.reason("blank-page")?.detail["pages"] == "2")
        let u = try #require(v.reason("unreadable"))
        #expect(u.detail["pages"] == "3")
        #expect(u.message == "Không đọc được nội dung trang 3: chỉ nhận dạng được 4 ký tự, tối thiểu 20 ký tự mỗi trang.")
    }

    @Test func integrity() throws {
        let rules = try QCRules.bundled()
        let i = Self.inspection(sha: "aa11")
        let bad = QualityControl.evaluate(i, kind: .pdf, ocr: Self.ocr([300]), expectedSHA256: "bb22", rules: rules)
        #expect(bad.status == .failed && bad.reason("integrity")?.severity == .error)
        #expect(bad.reason("integrity")?.detail == ["expected": "bb22", "actual": "aa11"])
        let ok = QualityControl.evaluate(i, kind: .pdf, ocr: Self.ocr([300]), expectedSHA256: "AA11", rules: rules)
        #expect(ok.status == .passed)
    }

    @Test func pageCountEncryptionAndSize() throws {
        var rules = try QCRules.bundled()
        rules.maxPages = 2
        rules.maxFileSizeBytes = 999
        var i = Self.inspection(pages: 3)
        i.encrypted = true
        let v = QualityControl.evaluate(i, kind: .pdf, ocr: nil, expectedSHA256: nil, rules: rules)
        #expect(v.status == .failed)
        #expect(v.reason("page-count")?.message == "Tệp có 3 trang, vượt quá giới hạn 2 trang.")
        #expect(v.reason("encrypted") != nil && v.reason("file-size") != nil)
    }

    @Test func imagesArePendingUntilConvertedAndUseOCRInk() throws {
        let rules = try QCRules.bundled()
        var i = Self.inspection(images: [Self.scanPage(1, dpi: 300, basis: .assumedA4)], kind: .jpeg)
        i.inkPerPage = nil
        i.textCharsPerPage = nil
        let before = QualityControl.evaluate(i, kind: .jpeg, ocr: nil, expectedSHA256: nil, rules: rules)
        #expect(before.status == .pending && before.reason("format")?.severity == .warning)
        let blank = QualityControl.evaluate(i, kind: .jpeg, ocr: Self.ocr([0], ink: [0]), expectedSHA256: nil, rules: rules)
        #expect(blank.status == .failed && blank.reason("blank-page") != nil && blank.reason("unreadable") == nil)
        let fine = QualityControl.evaluate(i, kind: .jpeg, ocr: Self.ocr([300], ink: [0.04]), expectedSHA256: nil, rules: rules)
        #expect(fine.status == .passed)
    }

    @Test func verdictJSONShape() throws {
        let v = QCVerdict(status: .failed, reasons: [.init(code: "resolution", severity: .error, message: "x", detail: ["a": "b"])])
        let json = String(decoding: try JSONEncoder().encode(v), as: UTF8.self)
        #expect(json.contains(#""status":"failed""#) && json.contains(#""severity":"error""#) && json.contains(#""code":"resolution""#))
    }
}

@Suite("Field suggestions")
struct SuggestionTests {
    @Test func idNumbersAndDates() {
        let pages = [
            "Số định danh cá nhân: 001090012345\nSố tài khoản 9704001090012345678\nHà Nội, ngày 15/03/2026",
            "ngày 5 tháng 3 năm 2026; sai: 30/02/2026, 000090012345, 1/2/20261, 12.11.1999",
        ]
        let s = OCR.suggestions(inPages: pages, currentYear: 2026)
        #expect(s.filter { $0.field == .idNumber }.map(\.value) == ["001090012345"])
        #expect(s.first { $0.field == .idNumber }?.page == 1)
        #expect(s.filter { $0.field == .date }.map(\.value) == ["2026-03-15", "2026-03-05", "1999-11-12"])
        #expect(s.first { $0.value == "2026-03-05" }?.raw == "ngày 5 tháng 3 năm 2026")
    }

    @Test func decomposedTextStillMatches() {
        let nfd = "Ngày 1 tháng 6 năm 2025".decomposedStringWithCanonicalMapping
        #expect(OCR.suggestions(inPages: [nfd], currentYear: 2026).map(\.value) == ["2025-06-01"])
    }

    @Test func duplicatesAreKeptOnce() {
        let s = OCR.suggestions(inPages: ["001090012345", "001090012345 15/03/2026 15/03/2026"], currentYear: 2026)
        #expect(s.map(\.value) == ["001090012345", "2026-03-15"])
    }

    @Test func skippedPlaceholders() {
        #expect(OCR.skippedRange("[OCR skipped on page(s) 2-4]") == 2...4)
        #expect(OCR.skippedRange("[OCR skipped on page(s) 1]\n") == 1...1)
        #expect(OCR.skippedRange("Cộng hòa") == nil)
    }
}
