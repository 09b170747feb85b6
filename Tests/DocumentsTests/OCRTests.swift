// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import Documents

/// Real ocrmypdf + Tesseract (vie+eng). About 4–8 s per text page on this machine, so the
/// suite OCRs one text page and one blank page in all.
@Suite("OCR (ocrmypdf, tesseract-ocr-vie)", .serialized)
struct OCRTests {
    @Test func scanBecomesSearchablePDFAndPassesQC() async throws {
        try Fixtures.requireOCR()
        try Fixtures.requirePoppler()
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A 300 dpi A4 scan that claims no dpi: the A4 measurement supplies --image-dpi.
        let png = try await Fixtures.make("scan.png", in: dir, "--dpi", "300", "--embed-dpi", "none")
        let out = dir.appendingPathComponent("scan.ocr.pdf")
        let inspected = try await DocumentInspector.inspect(file: png, kind: .png)
        let rules = try Fixtures.rules()
        #expect(QualityControl.evaluate(inspected, kind: .png, ocr: nil, expectedSHA256: inspected.sha256, rules: rules).status == .pending)

        let o = try await OCR.run(input: png, kind: .png, output: out)
        print("OCR: 1 page in \(String(format: "%.1f", o.seconds)) s")
        #expect(o.pages == 1 && o.isPDFA)
        #expect(o.text.contains("Nguyễn") || fold(o.text).contains("nguyen van duc"))
        #expect(fold(o.text).contains("nguyen van duc"))
        #expect(o.suggestions.contains(FieldSuggestion(field: .idNumber, value: "001090012345", raw: "001090012345", page: 1)))
        #expect(o.suggestions.contains { $0.field == .date && $0.value == "2026-03-15" })
        #expect((o.inkPerPage?.first ?? 0) > 0.01)

        // The output is a real PDF with a text layer poppler can read, placed as an A4 page.
        #expect(try FileKind.sniff(file: out) == .pdf)
        let searchable = try await DocumentInspector.inspect(file: out, kind: .pdf)
        #expect((searchable.textCharsPerPage?.first ?? 0) >= rules.minTextCharsPerPage)
        #expect(searchable.images.count == 1 && Int(searchable.images[0].measuredDpi!.rounded()) == 300)

        let v = QualityControl.evaluate(inspected, kind: .png, ocr: o, expectedSHA256: inspected.sha256, rules: rules)
        #expect(v == QCVerdict(status: .passed, reasons: []), "\(v)")
        // The searchable PDF on its own passes too (born-digital path: text layer present).
        #expect(QualityControl.evaluate(searchable, kind: .pdf, ocr: nil, expectedSHA256: nil, rules: rules).status == .passed)

        // Running OCR again skips the page that has text (--skip-text, no Tesseract run) and
        // takes its text from the output PDF instead of the sidecar's placeholder. That text must
        // survive: Ghostscript 10.00–10.02 garbles it during PDF/A conversion, so on those
        // versions OCR keeps a plain PDF.
        let again = try await OCR.run(input: out, kind: .pdf, output: dir.appendingPathComponent("again.pdf"))
        #expect(again.pages == 1 && !again.text.contains("[OCR skipped"))
        #expect(fold(again.text).contains("nguyen van duc"), "\(again.text) \(again.notes)")
        if let gs = try await OCR.ghostscriptVersion(), gs.lexicographicallyPrecedes([10, 2, 1]), !gs.lexicographicallyPrecedes([10, 0, 0]) {
            #expect(!again.isPDFA && again.notes.count == 1)
        }
        #expect(again.suggestions.contains { $0.field == .idNumber && $0.value == "001090012345" })
    }

    @Test func blankImageIsFlaggedAfterConversion() async throws {
        try Fixtures.requireOCR()
        try Fixtures.requirePoppler()
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let jpg = try await Fixtures.make("blank.jpg", in: dir, "--dpi", "200", "--pages", "blank", "--noise")
        let inspected = try await DocumentInspector.inspect(file: jpg, kind: .jpeg)
        let o = try await OCR.run(input: jpg, kind: .jpeg, output: dir.appendingPathComponent("blank.pdf"))
        #expect(o.pages == 1 && o.inkPerPage == [0])
        let v = QualityControl.evaluate(inspected, kind: .jpeg, ocr: o, expectedSHA256: nil, rules: try Fixtures.rules())
        #expect(v.status == .failed)
        #expect(v.reason("blank-page")?.message == "Trang 1 để trống (không có nội dung).")
        #expect(v.reason("unreadable") == nil)  // a blank page is reported once, as blank
    }

    @Test func missingLanguageIsUnavailable() async throws {
        try Fixtures.requireOCR()
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = dir.appendingPathComponent("x.pdf")
        try Data("%PDF-1.4\n".utf8).write(to: pdf)
        await #expect(throws: OCRError.unavailable("install the Debian packages tesseract-ocr-zzz")) {
            try await OCR.run(input: pdf, kind: .pdf, output: dir.appendingPathComponent("y.pdf"), languages: "vie+zzz")
        }
    }

    @Test func brokenInputReportsTheToolsMessage() async throws {
        try Fixtures.requireOCR()
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = dir.appendingPathComponent("broken.pdf")
        try Data("%PDF-1.4\nthis is not a PDF body\n".utf8).write(to: pdf)
        do {
            _ = try await OCR.run(input: pdf, kind: .pdf, output: dir.appendingPathComponent("out.pdf"))
            Issue.record("ocrmypdf accepted a broken PDF")
        } catch let OCRError.failed(code, stderr) {
            #expect(code != 0 && !stderr.isEmpty)
        }
    }
}
