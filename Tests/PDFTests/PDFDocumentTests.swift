// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import PDF

/// Debian `fonts-dejavu-core`: full Vietnamese coverage including ₫.
private let dejaVuPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
private let dejaVuBoldPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

private func loadFont(_ path: String) throws -> TrueTypeFont {
    guard FileManager.default.fileExists(atPath: path) else {
        Issue.record("Missing \(path): install Debian package fonts-dejavu-core")
        throw CocoaError(.fileNoSuchFile)
    }
    return try TrueTypeFont(contentsOf: URL(fileURLWithPath: path))
}

/// Runs a poppler/qpdf command and returns (exit status, stdout + stderr).
private func run(_ tool: String, _ args: [String]) async throws -> (status: Int32, output: String) {
    try await runChecker(tool, package: "poppler-utils", args)
}

@Suite("TrueType parsing")
struct TrueTypeFontTests {
    @Test func basicMetrics() throws {
        let font = try loadFont(dejaVuPath)
        #expect(font.unitsPerEm == 2048)
        #expect(font.numberOfGlyphs > 5000)
        #expect(font.ascent > 0)
        #expect(font.descent < 0)
        #expect(font.postScriptName == "DejaVuSans")
        #expect(font.italicAngle == 0)
        #expect(!font.isEmbeddingRestricted)
    }

    @Test func mapsLatinAndVietnamese() throws {
        let font = try loadFont(dejaVuPath)
        let a = try #require(font.glyph(for: "A"))
        #expect(a != 0)
        #expect(font.advance(of: a) > 0)
        for letter in ["ệ", "ặ", "ữ", "ỡ", "đ", "Đ", "₫", "Ộ", "Ĩ"] {
            let scalar = try #require(letter.unicodeScalars.first)
            let g = try #require(font.glyph(for: scalar), "no glyph for \(letter)")
            #expect(g != a)
            #expect(font.advance(of: g) > 0)
        }
        // Oblique variant reports a slanted italic angle from `post`.
        let oblique = try loadFont("/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf")
        #expect(oblique.italicAngle < 0)
    }

    @Test func rejectsGarbage() {
        #expect(throws: TrueTypeError.self) { try TrueTypeFont(data: Data([0, 1, 2, 3])) }
        #expect(throws: TrueTypeError.self) { try TrueTypeFont(data: Data([0, 1, 0, 0, 0, 1, 0, 0])) }
    }
}

@Suite("PDF writer")
struct PDFDocumentTests {
    static let motto1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    static let motto2 = "Độc lập - Tự do - Hạnh phúc"
    static let title = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
    static let paragraph =
        "Bộ phận tiếp nhận và trả kết quả đã nhận hồ sơ của ông Nguyễn Văn Đặng về việc cấp "
        + "giấy chứng nhận quyền sử dụng đất; lệ phí đã nộp là 25.000₫ (hai mươi lăm nghìn đồng). "
        + "Hồ sơ gồm những giấy tờ được liệt kê dưới đây; người nộp cần giữ lại phiếu này để "
        + "nhận kết quả, tra cứu tiến độ hoặc bổ sung khi được yêu cầu. Chữ có dấu: ặ ữ ỡ ệ đ Đ."
    static let table = [
        ["STT", "Tên giấy tờ", "Số lượng"],
        ["1", "Đơn đề nghị cấp giấy chứng nhận", "01 bản chính"],
        ["2", "Bản sao sổ hộ khẩu", "01 bản sao"],
    ]

    /// Builds the sample receipt and returns the document plus the wrapped paragraph lines.
    static func buildReceipt() throws -> (PDFDocument, [String]) {
        let regular = try loadFont(dejaVuPath), bold = try loadFont(dejaVuBoldPath)
        var doc = PDFDocument(
            fonts: ["regular": regular, "bold": bold], title: title,
            creationDate: Date(timeIntervalSince1970: 1_800_000_000))
        doc.addPage()
        let w = PDFDocument.a4Width, h = PDFDocument.a4Height, margin = 56.0
        // Motto block top-right as on Mẫu 01, unit name top-left.
        try doc.drawText("UBND XÃ AN BÌNH", x: margin + 90, y: h - 60, font: "bold", size: 10, alignment: .center)
        try doc.drawText(motto1, x: w - margin - 150, y: h - 60, font: "bold", size: 10, alignment: .center)
        try doc.drawText(motto2, x: w - margin - 150, y: h - 75, font: "bold", size: 11, alignment: .center)
        let mottoWidth = try doc.textWidth(motto2, font: "bold", size: 11)
        try doc.drawLine(x1: w - margin - 150 - mottoWidth / 2, y1: h - 79, x2: w - margin - 150 + mottoWidth / 2, y2: h - 79)
        try doc.drawText(title, x: w / 2, y: h - 130, font: "bold", size: 13, alignment: .center)

        let lines = try doc.wrap(paragraph, font: "regular", size: 11, width: w - 2 * margin)
        var y = try doc.drawParagraph(paragraph, x: margin, y: h - 170, width: w - 2 * margin, font: "regular", size: 11)

        // Table: header row shaded, fixed column widths.
        let cols = [40.0, 280.0, w - 2 * margin - 320]
        let rowH = 20.0
        y -= 10
        for (r, row) in table.enumerated() {
            var x = margin
            for (c, cell) in row.enumerated() {
                try doc.drawRect(x: x, y: y - rowH, width: cols[c], height: rowH, lineWidth: 0.5, fillGray: r == 0 ? 0.9 : nil)
                try doc.drawText(cell, x: x + 4, y: y - 14, font: r == 0 ? "bold" : "regular", size: 10)
                x += cols[c]
            }
            y -= rowH
        }
        return (doc, lines)
    }

    @Test func wrapRespectsWidthAndKeepsText() throws {
        let (doc, lines) = try Self.buildReceipt()
        #expect(lines.count > 2)
        let maxWidth = PDFDocument.a4Width - 112
        for line in lines {
            #expect(try doc.textWidth(line, font: "regular", size: 11) <= maxWidth)
        }
        #expect(lines.joined(separator: " ") == Self.paragraph.precomposedStringWithCanonicalMapping)
        // Overlong single words are hard-split instead of overflowing.
        let long = try doc.wrap(String(repeating: "Đ", count: 200), font: "regular", size: 11, width: 100)
        #expect(long.count > 1)
        #expect(long.joined() == String(repeating: "Đ", count: 200))
    }

    @Test func unknownFontAndMissingGlyphThrow() throws {
        var doc = PDFDocument(fonts: ["regular": try loadFont(dejaVuPath)])
        #expect(throws: PDFError.noPage) { try doc.drawText("x", x: 0, y: 0, font: "regular", size: 10) }
        doc.addPage()
        #expect(throws: PDFError.unknownFont("nope")) { try doc.drawText("x", x: 0, y: 0, font: "nope", size: 10) }
        // U+E000 is private use; DejaVu has no glyph there.
        #expect(throws: PDFError.self) { try doc.drawText("\u{E000}", x: 0, y: 0, font: "regular", size: 10) }
    }

    @Test func decomposedInputIsNormalised() async throws {
        var doc = PDFDocument(fonts: ["regular": try loadFont(dejaVuPath)])
        doc.addPage()
        // "ệ" as e + combining dot below + combining circumflex must become one glyph.
        let decomposed = "Vi\u{0065}\u{0323}\u{0302}t"
        try doc.drawText(decomposed, x: 50, y: 50, font: "regular", size: 12)
        let text = try await Self.extract(doc.data())
        #expect(text.contains("Việt"))
    }

    @Test func storedDeflateIsValidZlib() {
        let input = [UInt8]((0..<200_000).map { UInt8($0 % 251) })
        let z = Deflate.zlibStored(input)
        #expect(z.count == input.count + 2 + 4 + 5 * 4)  // header, Adler-32, 4 block headers
        #expect((UInt16(z[0]) << 8 | UInt16(z[1])) % 31 == 0)
        #expect(Deflate.zlibStored([]) == [0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01])
    }

    /// Round-trips the fixed-Huffman encoder through Python's zlib (a reference inflater).
    @Test func fixedHuffmanDeflateRoundTrips() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return }
        var rng = SystemRandomNumberGenerator()
        let font = try Data(contentsOf: URL(fileURLWithPath: dejaVuPath)).prefix(300_000)
        let samples: [[UInt8]] = [
            [], [42], Array("abcabcabcabcabc".utf8), [UInt8](repeating: 0, count: 100_000),
            (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &rng) },
            (0..<70_000).map { _ in UInt8.random(in: 97...100, using: &rng) },
            [UInt8](font),
        ]
        for sample in samples {
            let z = Deflate.zlib(sample)
            let url = try Self.writeTemp(Data(z))
            defer { try? FileManager.default.removeItem(at: url) }
            let script = "import sys,zlib,hashlib; print(hashlib.sha256(zlib.decompress(open(sys.argv[1],'rb').read())).hexdigest())"
            let (status, out) = try await run("/usr/bin/python3", ["-c", script, url.path])
            #expect(status == 0, "zlib.decompress failed: \(out)")
            let raw = try Self.writeTemp(Data(sample))
            defer { try? FileManager.default.removeItem(at: raw) }
            let (_, want) = try await run("/usr/bin/python3", ["-c", "import sys,hashlib; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())", raw.path])
            #expect(out == want, "round trip mismatch for \(sample.count) bytes")
        }
        // Font programs must actually shrink: they are the bulk of every document.
        #expect(Deflate.zlib([UInt8](font)).count < font.count * 3 / 4)
    }

    @Test func numberFormatting() {
        #expect(PDFDocument.num(0) == "0")
        #expect(PDFDocument.num(595.28) == "595.28")
        #expect(PDFDocument.num(-12.5) == "-12.5")
        #expect(PDFDocument.num(10) == "10")
        #expect(PDFDocument.num(0.0004) == "0")
        #expect(PDFDocument.textString("a(b)") == "(a\\(b\\))")
        #expect(PDFDocument.textString("Đ") == "<FEFF0110>")
    }

    static func writeTemp(_ data: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-pdf-\(UUID().uuidString).pdf")
        try data.write(to: url)
        return url
    }

    static func extract(_ data: Data) async throws -> String {
        let url = try writeTemp(data)
        defer { try? FileManager.default.removeItem(at: url) }
        let (status, out) = try await run("/usr/bin/pdftotext", ["-layout", "-enc", "UTF-8", url.path, "-"])
        #expect(status == 0, "pdftotext failed: \(out)")
        return out.precomposedStringWithCanonicalMapping
    }

    @Test func receiptExtractsAndValidates() async throws {
        let (doc, lines) = try Self.buildReceipt()
        let data = doc.data()
        #expect(data.starts(with: Array("%PDF-1.7".utf8)))
        let url = try Self.writeTemp(data)
        defer { try? FileManager.default.removeItem(at: url) }

        let (infoStatus, info) = try await run("/usr/bin/pdfinfo", [url.path])
        #expect(infoStatus == 0)
        // pdfinfo pads "Key:" to a column; compare the trimmed value.
        var fields: [String: String] = [:]
        for line in info.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        #expect(fields["Pages"] == "1")
        #expect(!info.localizedCaseInsensitiveContains("error"), "pdfinfo complained: \(info)")
        #expect(fields["Title"]?.precomposedStringWithCanonicalMapping == Self.title.precomposedStringWithCanonicalMapping)
        #expect(fields["Producer"] == "MotCua")
        #expect(fields["PDF version"] == "1.7")
        #expect(fields["Page size"]?.hasPrefix("595.28 x 841.89 pts (A4)") == true)

        let (_, fonts) = try await run("/usr/bin/pdffonts", [url.path])
        #expect(fonts.contains("CID TrueType"))
        #expect(fonts.contains("Identity-H"))
        #expect(!fonts.localizedCaseInsensitiveContains("error"), "pdffonts complained: \(fonts)")

        let text = try await Self.extract(data)
        for expected in [Self.motto1, Self.motto2, Self.title, "UBND XÃ AN BÌNH"] + lines + Self.table.flatMap({ $0 }) {
            let nfc = expected.precomposedStringWithCanonicalMapping
            #expect(text.contains(nfc), "pdftotext output lacks \(nfc):\n\(text)")
        }

        // qpdf is optional (not in the base image); when present it checks the xref and streams.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/qpdf") {
            let (status, out) = try await run("/usr/bin/qpdf", ["--check", url.path])
            #expect(status == 0, "qpdf --check: \(out)")
            #expect(out.contains("No syntax or stream encoding errors found"), "qpdf --check: \(out)")
        }

        // Keep a copy for manual inspection when asked (e.g. pdftoppm -png).
        if let keep = ProcessInfo.processInfo.environment["MOTCUA_PDF_SAMPLE"] {
            try data.write(to: URL(fileURLWithPath: keep))
        }
    }
}
