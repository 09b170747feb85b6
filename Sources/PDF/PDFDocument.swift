// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Errors raised while drawing into a ``PDFDocument``.
public enum PDFError: Error, Equatable, Sendable {
    /// The font name was not registered in ``PDFDocument/init(fonts:title:author:producer:creationDate:)``.
    case unknownFont(String)
    /// The font has no glyph for this character. We refuse rather than print `.notdef`
    /// boxes: a missing letter in a legal document changes its meaning.
    case missingGlyph(Character, font: String)
    /// Drawing was attempted before ``PDFDocument/addPage(width:height:)``.
    case noPage
}

/// Horizontal alignment of a text run relative to its `x` coordinate.
public enum PDFTextAlignment: Sendable {
    /// `x` is the left edge.
    case left
    /// `x` is the centre.
    case center
    /// `x` is the right edge.
    case right
}

/// What standard beyond plain PDF 1.7 a ``PDFDocument`` is written to.
public enum PDFConformance: Sendable, Equatable {
    /// Plain PDF 1.7: no XMP metadata and no output intent.
    case plain
    /// PDF/A-2b (ISO 19005-2, level B: reliable visual reproduction), for archiving. Adds an
    /// XMP metadata stream mirroring `/Info` and an sRGB output intent; everything else the
    /// level needs (embedded fonts, no transparency, JavaScript or encryption, a binary header
    /// comment, a trailer `/ID`) the writer does in any case.
    case pdfA2b
}

/// A small PDF 1.7 writer with embedded Unicode TrueType fonts.
///
/// Coordinates are PDF user space: points (1/72 in), origin at the **bottom-left** corner of
/// the page, y growing upwards. Text positions are baselines.
///
/// Fonts are embedded as `Type0`/`CIDFontType2` with `Identity-H` encoding, so content
/// streams carry 2-byte glyph ids; a `ToUnicode` CMap maps them back to text for extraction
/// and search. Each font is subset to the glyphs the document uses (see ``TrueTypeSubset``),
/// so a one-page form carries a few dozen kilobytes of font instead of the whole file.
/// Streams are `FlateDecode`, compressed by the small fixed-Huffman deflate in ``Deflate``
/// (no zlib dependency).
public struct PDFDocument: Sendable {
    /// A4 width in points.
    public static let a4Width = 595.28
    /// A4 height in points.
    public static let a4Height = 841.89

    /// Document title for `/Info` (shown by viewers in the window title).
    public var title: String?
    /// Author for `/Info`.
    public var author: String?
    /// Producer for `/Info`.
    public var producer: String
    /// Creation date for `/Info` (also its `/ModDate`: a document is written once).
    public var creationDate: Date
    /// The standard the file is written to. PDF/A-2b by default: these documents are records
    /// of administrative acts and are archived, and the extra XMP and colour profile cost
    /// about 4 KB.
    public var conformance: PDFConformance = .pdfA2b

    private let fonts: [String: TrueTypeFont]
    /// Stable resource names (`/F1`, `/F2`, …) assigned by sorted font name, so output is deterministic.
    private let resourceNames: [String: String]
    private var pages: [Page] = []
    /// Per font: glyph id → the text it stands for (for `W` and `ToUnicode`).
    private var usedGlyphs: [String: [UInt16: String]] = [:]

    private struct Page: Sendable {
        var width: Double
        var height: Double
        var content: String = ""
        var fonts: Set<String> = []
    }

    /// Creates an empty document with the given fonts, keyed by the names used when drawing.
    public init(
        fonts: [String: TrueTypeFont], title: String? = nil, author: String? = nil,
        producer: String = "MotCua", creationDate: Date = Date()
    ) {
        self.fonts = fonts
        var names: [String: String] = [:]
        for (i, name) in fonts.keys.sorted().enumerated() { names[name] = "F\(i + 1)" }
        resourceNames = names
        self.title = title
        self.author = author
        self.producer = producer
        self.creationDate = creationDate
    }

    /// Number of pages added so far.
    public var pageCount: Int { pages.count }

    /// Starts a new page (A4 portrait by default); later drawing goes to it.
    public mutating func addPage(width: Double = a4Width, height: Double = a4Height) {
        pages.append(Page(width: width, height: height))
    }

    // MARK: - Text

    /// Width of `text` in points when set in `font` at `size`.
    public func textWidth(_ text: String, font: String, size: Double) throws -> Double {
        guard let f = fonts[font] else { throw PDFError.unknownFont(font) }
        return f.width(of: text, size: size)
    }

    /// Draws one line of text with its baseline at `y`. Text is NFC-normalised first, since
    /// fonts map precomposed Vietnamese letters (ệ = U+1EC7) rather than base + combining marks.
    /// Control characters (tab, newline) are skipped: use ``drawParagraph(_:x:y:width:font:size:leading:)``
    /// for line breaks. Throws ``PDFError/missingGlyph(_:font:)`` rather than printing boxes.
    public mutating func drawText(
        _ text: String, x: Double, y: Double, font: String, size: Double,
        alignment: PDFTextAlignment = .left
    ) throws {
        guard let f = fonts[font], let res = resourceNames[font] else { throw PDFError.unknownFont(font) }
        guard !pages.isEmpty else { throw PDFError.noPage }
        let nfc = text.precomposedStringWithCanonicalMapping
        var hex = ""
        var units = 0
        var used = usedGlyphs[font] ?? [:]
        for ch in nfc {
            // Map per Character so a letter with a combining mark the font lacks as one glyph
            // still gets each scalar mapped, and ToUnicode keeps the whole cluster on the first.
            var first = true
            for s in ch.unicodeScalars {
                if s.properties.generalCategory == .control { continue }
                guard let g = f.glyph(for: s) else { throw PDFError.missingGlyph(ch, font: font) }
                hex += Self.hex4(g)
                units += f.advance(of: g)
                if used[g] == nil { used[g] = first ? String(ch) : "" }
                first = false
            }
        }
        usedGlyphs[font] = used
        let width = Double(units) * size / Double(f.unitsPerEm)
        let x0: Double
        switch alignment {
        case .left: x0 = x
        case .center: x0 = x - width / 2
        case .right: x0 = x - width
        }
        let i = pages.count - 1
        pages[i].fonts.insert(font)
        pages[i].content += "BT /\(res) \(Self.num(size)) Tf \(Self.num(x0)) \(Self.num(y)) Td <\(hex)> Tj ET\n"
    }

    /// Breaks `text` into lines no wider than `width` points, breaking at spaces and at
    /// explicit newlines; a single word wider than the line is split between characters.
    public func wrap(_ text: String, font: String, size: Double, width: Double) throws -> [String] {
        guard let f = fonts[font] else { throw PDFError.unknownFont(font) }
        var lines: [String] = []
        for paragraph in text.precomposedStringWithCanonicalMapping.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                var word = String(word)
                let candidate = line.isEmpty ? word : line + " " + word
                if f.width(of: candidate, size: size) <= width {
                    line = candidate
                    continue
                }
                if !line.isEmpty { lines.append(line) }
                // Hard-split overlong words (long file numbers, URLs) so nothing overflows.
                while f.width(of: word, size: size) > width, word.count > 1 {
                    var head = ""
                    for ch in word {
                        if f.width(of: head + String(ch), size: size) > width, !head.isEmpty { break }
                        head.append(ch)
                    }
                    lines.append(head)
                    word.removeFirst(head.count)
                }
                line = word
            }
            lines.append(line)
        }
        return lines
    }

    /// Draws `text` wrapped to `width`, first baseline at `y`, lines `leading` points apart
    /// (default 1.3 × size). Returns the baseline y of the line after the last one.
    @discardableResult
    public mutating func drawParagraph(
        _ text: String, x: Double, y: Double, width: Double, font: String, size: Double,
        leading: Double? = nil
    ) throws -> Double {
        let step = leading ?? size * 1.3
        var baseline = y
        for line in try wrap(text, font: font, size: size, width: width) {
            try drawText(line, x: x, y: baseline, font: font, size: size)
            baseline -= step
        }
        return baseline
    }

    // MARK: - Graphics

    /// Strokes a straight line.
    public mutating func drawLine(x1: Double, y1: Double, x2: Double, y2: Double, lineWidth: Double = 0.5) throws {
        guard !pages.isEmpty else { throw PDFError.noPage }
        pages[pages.count - 1].content +=
            "\(Self.num(lineWidth)) w \(Self.num(x1)) \(Self.num(y1)) m \(Self.num(x2)) \(Self.num(y2)) l S\n"
    }

    /// Draws a rectangle with its lower-left corner at (`x`, `y`): stroked when `lineWidth`
    /// is positive, filled with a grey level (0 black … 1 white) when `fillGray` is given.
    public mutating func drawRect(
        x: Double, y: Double, width: Double, height: Double, lineWidth: Double = 0.5, fillGray: Double? = nil
    ) throws {
        guard !pages.isEmpty else { throw PDFError.noPage }
        let rect = "\(Self.num(x)) \(Self.num(y)) \(Self.num(width)) \(Self.num(height)) re"
        var ops = "q "
        if let g = fillGray { ops += "\(Self.num(g)) g " }
        if lineWidth > 0 { ops += "\(Self.num(lineWidth)) w " }
        switch (fillGray != nil, lineWidth > 0) {
        case (true, true): ops += "\(rect) B"
        case (true, false): ops += "\(rect) f"
        case (false, true): ops += "\(rect) S"
        case (false, false): return
        }
        pages[pages.count - 1].content += ops + " Q\n"
    }

    // MARK: - Serialisation

    /// The complete PDF file.
    public func data() -> Data {
        var w = ObjectWriter()
        let catalog = w.reserve(), pagesRoot = w.reserve(), info = w.reserve()

        // Fonts: only those actually drawn with are embedded.
        var fontRefs: [String: Int] = [:]
        for name in fonts.keys.sorted() {
            guard let f = fonts[name], let used = usedGlyphs[name], !used.isEmpty else { continue }
            let type0 = w.reserve(), cid = w.reserve(), descriptor = w.reserve()
            let file = w.reserve(), toUnicode = w.reserve()
            fontRefs[name] = type0
            // A subset is named TAG+Name (ISO 32000-1 §9.6.4). Should the font forbid subsetting
            // or its outline tables turn out damaged, the whole file is embedded instead: the
            // glyphs it maps were already checked, so the document is still correct, only larger.
            let program: [UInt8], base: String
            if f.allowsSubsetting, let subset = try? f.subset(keeping: used.keys) {
                program = subset.data
                base = subset.tag + "+" + f.postScriptName
            } else {
                program = [UInt8](f.data)
                base = f.postScriptName
            }
            w.set(
                type0,
                "<< /Type /Font /Subtype /Type0 /BaseFont /\(base) /Encoding /Identity-H /DescendantFonts [\(cid) 0 R] /ToUnicode \(toUnicode) 0 R >>"
            )
            let widths = used.keys.sorted().map { "\($0) [\(f.pdfWidth(of: $0))]" }.joined(separator: " ")
            w.set(
                cid,
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /\(base) /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor \(descriptor) 0 R /CIDToGIDMap /Identity /DW \(f.pdfWidth(of: 0)) /W [\(widths)] >>"
            )
            func scaled(_ v: Int) -> Int { Int((Double(v) * 1000 / Double(f.unitsPerEm)).rounded()) }
            let bb = f.boundingBox
            // Flags: 32 = nonsymbolic (Latin text), 1 = fixed pitch, 64 = italic.
            var flags = 32
            if f.isFixedPitch { flags |= 1 }
            if f.italicAngle != 0 { flags |= 64 }
            w.set(
                descriptor,
                "<< /Type /FontDescriptor /FontName /\(base) /Flags \(flags) /FontBBox [\(scaled(bb.xMin)) \(scaled(bb.yMin)) \(scaled(bb.xMax)) \(scaled(bb.yMax))] /ItalicAngle \(Self.num(f.italicAngle)) /Ascent \(scaled(f.ascent)) /Descent \(scaled(f.descent)) /CapHeight \(scaled(f.capHeight)) /StemV 80 /FontFile2 \(file) 0 R >>"
            )
            w.setStream(file, extra: "/Length1 \(program.count)", program)
            w.setStream(toUnicode, extra: "", Array(Self.toUnicodeCMap(used).utf8))
        }

        var pageRefs: [Int] = []
        for page in pages {
            let pageObj = w.reserve(), content = w.reserve()
            pageRefs.append(pageObj)
            let fontDict = page.fonts.sorted().compactMap { name -> String? in
                guard let ref = fontRefs[name], let res = resourceNames[name] else { return nil }
                return "/\(res) \(ref) 0 R"
            }.joined(separator: " ")
            w.set(
                pageObj,
                "<< /Type /Page /Parent \(pagesRoot) 0 R /MediaBox [0 0 \(Self.num(page.width)) \(Self.num(page.height))] /Resources << /Font << \(fontDict) >> /ProcSet [/PDF /Text] >> /Contents \(content) 0 R >>"
            )
            w.setStream(content, extra: "", Array(page.content.utf8))
        }

        // PDF/A wants /Info and the XMP to say the same; XML cannot carry most control
        // characters, so in that mode both get the text without them.
        let pdfA = conformance == .pdfA2b
        func clean(_ s: String) -> String {
            pdfA ? String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.properties.generalCategory != .control })) : s
        }
        let title = self.title.map(clean), author = self.author.map(clean), producer = clean(self.producer)

        var catalogDict = "<< /Type /Catalog /Pages \(pagesRoot) 0 R"
        if pdfA {
            let metadata = w.reserve(), intent = w.reserve(), profile = w.reserve()
            w.setUncompressedStream(
                metadata, extra: "/Type /Metadata /Subtype /XML",
                Array(Self.xmp(title: title, author: author, producer: producer, date: creationDate).utf8))
            // GTS_PDFA1 is the output intent subtype for every PDF/A part. The profile describes
            // the DeviceGray/DeviceRGB colours pages use, so no colour space needs its own profile.
            let id = Self.textString(SRGBProfile.description)
            w.set(
                intent,
                "<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier \(id) /RegistryName (http://www.color.org) /Info \(id) /DestOutputProfile \(profile) 0 R >>"
            )
            w.setStream(profile, extra: "/N 3", SRGBProfile.bytes)
            catalogDict += " /Metadata \(metadata) 0 R /OutputIntents [\(intent) 0 R]"
        }
        w.set(catalog, catalogDict + " >>")
        w.set(
            pagesRoot,
            "<< /Type /Pages /Kids [\(pageRefs.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pageRefs.count) >>"
        )
        let date = Self.dateString(creationDate)
        var infoDict = "<< /Producer \(Self.textString(producer)) /CreationDate \(date) /ModDate \(date)"
        if let title { infoDict += " /Title \(Self.textString(title))" }
        if let author { infoDict += " /Author \(Self.textString(author))" }
        w.set(info, infoDict + " >>")
        return w.finish(root: catalog, info: info)
    }

    /// The XMP packet PDF/A requires (ISO 19005-2 §6.6): the PDF/A identification and the
    /// counterparts of the `/Info` entries (title, author, producer, dates), which must agree
    /// with them. No padding: later changes (signatures) are incremental updates that never
    /// rewrite the packet in place.
    static func xmp(title: String?, author: String?, producer: String, date: Date) -> String {
        func esc(_ s: String) -> String {
            var out = ""
            for c in s.precomposedStringWithCanonicalMapping {
                switch c {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                default: out.append(c)
                }
            }
            return out
        }
        let when = xmpDate(date)
        var dc = "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
        dc += "   <dc:format>application/pdf</dc:format>\n"
        if let title {
            dc += "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">\(esc(title))</rdf:li></rdf:Alt></dc:title>\n"
        }
        if let author { dc += "   <dc:creator><rdf:Seq><rdf:li>\(esc(author))</rdf:li></rdf:Seq></dc:creator>\n" }
        dc += "  </rdf:Description>\n"
        // The BOM in begin="" is the XMP spec's marker of the packet's encoding (UTF-8 here).
        return "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
            + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
            + " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
            + "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
            + "   <pdfaid:part>2</pdfaid:part>\n"
            + "   <pdfaid:conformance>B</pdfaid:conformance>\n"
            + "  </rdf:Description>\n"
            + dc
            + "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
            + "   <xmp:CreateDate>\(when)</xmp:CreateDate>\n"
            + "   <xmp:ModifyDate>\(when)</xmp:ModifyDate>\n"
            + "   <xmp:MetadataDate>\(when)</xmp:MetadataDate>\n"
            + "  </rdf:Description>\n"
            + "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
            + "   <pdf:Producer>\(esc(producer))</pdf:Producer>\n"
            + "  </rdf:Description>\n"
            + " </rdf:RDF>\n"
            + "</x:xmpmeta>\n"
            + "<?xpacket end=\"w\"?>"
    }

    // MARK: - Helpers

    private static func hex4(_ v: UInt16) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(v >> 12)], digits[Int(v >> 8 & 0xF)], digits[Int(v >> 4 & 0xF)], digits[Int(v & 0xF)]])
    }

    /// Locale-independent number formatting with at most 3 decimals ("12.5", not "12,500000").
    static func num(_ v: Double) -> String {
        let scaled = (v * 1000).rounded()
        if scaled == 0 { return "0" }
        let neg = scaled < 0
        let a = Int(abs(scaled))
        var s = String(a / 1000)
        var frac = a % 1000
        if frac != 0 {
            var f = String(frac)
            while f.count < 3 { f = "0" + f }
            while f.hasSuffix("0") { f.removeLast(); frac /= 10 }
            s += "." + f
        }
        return neg ? "-" + s : s
    }

    /// A PDF text string: plain literal for printable ASCII, else UTF-16BE with a BOM in hex
    /// (so Vietnamese titles survive without relying on PDFDocEncoding).
    static func textString(_ s: String) -> String {
        let nfc = s.precomposedStringWithCanonicalMapping
        if nfc.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
            var out = "("
            for c in nfc {
                if c == "(" || c == ")" || c == "\\" { out += "\\" }
                out.append(c)
            }
            return out + ")"
        }
        return "<FEFF" + nfc.utf16.map { hex4($0) }.joined() + ">"
    }

    /// `(D:YYYYMMDDHHmmSS+00'00')`: the PDF date format, in UTC so the output does not depend
    /// on the server's zone, with an explicit offset as PDF/A asks of dates mirrored in XMP.
    static func dateString(_ date: Date) -> String {
        let f = utcFields(date)
        return "(D:\(f[0])\(f[1])\(f[2])\(f[3])\(f[4])\(f[5])+00'00')"
    }

    /// The same instant as ``dateString(_:)`` in XMP's ISO 8601 form, `YYYY-MM-DDTHH:mm:SS+00:00`.
    static func xmpDate(_ date: Date) -> String {
        let f = utcFields(date)
        return "\(f[0])-\(f[1])-\(f[2])T\(f[3]):\(f[4]):\(f[5])+00:00"
    }

    /// Zero-padded UTC year, month, day, hour, minute, second (fractions truncated).
    private static func utcFields(_ date: Date) -> [String] {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func p(_ v: Int?, _ n: Int) -> String {
            var s = String(v ?? 0)
            while s.count < n { s = "0" + s }
            return s
        }
        return [p(c.year, 4), p(c.month, 2), p(c.day, 2), p(c.hour, 2), p(c.minute, 2), p(c.second, 2)]
    }

    /// The ToUnicode CMap: each used glyph id → the UTF-16BE text it renders. Glyphs that
    /// only continue a cluster map to nothing (`<>` is not allowed, so they are omitted).
    static func toUnicodeCMap(_ used: [UInt16: String]) -> String {
        let entries = used.keys.sorted().compactMap { g -> String? in
            guard let text = used[g], !text.isEmpty else { return nil }
            return "<\(hex4(g))> <\(text.utf16.map { hex4($0) }.joined())>"
        }
        var out = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        // bfchar sections are limited to 100 entries each.
        var i = 0
        while i < entries.count {
            let chunk = entries[i..<min(i + 100, entries.count)]
            out += "\(chunk.count) beginbfchar\n" + chunk.joined(separator: "\n") + "\nendbfchar\n"
            i += 100
        }
        out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        return out
    }
}

/// Collects numbered objects and writes the file with a byte-exact cross-reference table.
private struct ObjectWriter {
    private var objects: [[UInt8]?] = []

    mutating func reserve() -> Int {
        objects.append(nil)
        return objects.count
    }

    mutating func set(_ num: Int, _ body: String) {
        objects[num - 1] = Array(body.utf8)
    }

    mutating func setStream(_ num: Int, extra: String, _ payload: [UInt8]) {
        let compressed = Deflate.zlib(payload)
        var bytes = Array("<< /Length \(compressed.count) /Filter /FlateDecode \(extra) >>\nstream\n".utf8)
        bytes += compressed
        bytes += Array("\nendstream".utf8)
        objects[num - 1] = bytes
    }

    /// A stream stored as is, for XMP metadata: tools that do not parse PDF find the packet by
    /// scanning for its `<?xpacket` markers, as the XMP specification intends (PDF/A-1 even
    /// forbade filters on it).
    mutating func setUncompressedStream(_ num: Int, extra: String, _ payload: [UInt8]) {
        var bytes = Array("<< /Length \(payload.count) \(extra) >>\nstream\n".utf8)
        bytes += payload
        bytes += Array("\nendstream".utf8)
        objects[num - 1] = bytes
    }

    func finish(root: Int, info: Int) -> Data {
        // The binary comment line tells transfer tools the file is not plain text; PDF/A
        // (ISO 19005-2 §6.1.2) requires it, with at least four bytes above 127.
        var out: [UInt8] = Array("%PDF-1.7\n".utf8) + [0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (i, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(i + 1) 0 obj\n".utf8)
            out += body ?? Array("null".utf8)
            out += Array("\nendobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets {
            var s = String(o)
            while s.count < 10 { s = "0" + s }
            table += "\(s) 00000 n \n"  // each entry is exactly 20 bytes
        }
        // The file identifier only needs to be unique, not secret: FNV-1a over the body.
        let id = Self.fnvHex(out, seed: 0xcbf2_9ce4_8422_2325) + Self.fnvHex(out, seed: 0x8422_2325_cbf2_9ce4)
        table += "trailer\n<< /Size \(objects.count + 1) /Root \(root) 0 R /Info \(info) 0 R /ID [<\(id)> <\(id)>] >>\n"
        table += "startxref\n\(xref)\n%%EOF\n"
        out += Array(table.utf8)
        return Data(out)
    }

    private static func fnvHex(_ bytes: [UInt8], seed: UInt64) -> String {
        var h = seed
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        let s = String(h, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

/// zlib-framed deflate (RFC 1950/1951) written in Swift because Foundation on Linux exposes
/// no compressor. Two encoders: ``zlibStored(_:)`` (stored blocks, trivially correct) and
/// ``zlib(_:)`` (LZ77 with hash chains + the *fixed* Huffman code: no tree building, roughly
/// half of zlib's gains on fonts, and small enough to audit).
enum Deflate {
    /// zlib header: CM=8 (deflate), 32K window, FCHECK so that 0x7801 % 31 == 0.
    private static let header: [UInt8] = [0x78, 0x01]

    static func zlibStored(_ input: [UInt8]) -> [UInt8] {
        var out = header
        var i = 0
        repeat {
            let n = min(65_535, input.count - i)
            let final: UInt8 = i + n >= input.count ? 1 : 0
            out.append(final)
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += input[i..<i + n]
            i += n
        } while i < input.count
        return out + adler32(input)
    }

    /// Compressed zlib stream; falls back to stored blocks when compression would not help
    /// (already-compressed payloads), so the output is never much larger than the input.
    static func zlib(_ input: [UInt8]) -> [UInt8] {
        let compressed = header + fixedHuffman(input) + adler32(input)
        let stored = zlibStored(input)
        return compressed.count < stored.count ? compressed : stored
    }

    static func adler32(_ input: [UInt8]) -> [UInt8] {
        var a: UInt32 = 1, b: UInt32 = 0
        // 5552 is the largest n for which the sums cannot overflow UInt32 before the modulo.
        var i = 0
        while i < input.count {
            let end = min(i + 5552, input.count)
            for j in i..<end {
                a &+= UInt32(input[j])
                b &+= a
            }
            a %= 65_521
            b %= 65_521
            i = end
        }
        let adler = b << 16 | a
        return [UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)]
    }

    private static let lengthBase: [Int] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    private static let lengthExtra: [Int] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distBase: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
        4097, 6145, 8193, 12289, 16385, 24577,
    ]
    private static let distExtra: [Int] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]

    /// Deflate bit order: Huffman codes go most-significant bit first, so they are reversed
    /// before being packed into the least-significant-first bit stream.
    private static func reversed(_ code: Int, _ length: Int) -> Int {
        var r = 0
        for i in 0..<length where code & (1 << i) != 0 { r |= 1 << (length - 1 - i) }
        return r
    }

    /// The fixed literal/length code of RFC 1951 §3.2.6, pre-reversed: (bits, length).
    private static let literalCodes: [(Int, Int)] = (0..<288).map { sym in
        switch sym {
        case 0...143: (reversed(0x30 + sym, 8), 8)
        case 144...255: (reversed(0x190 + sym - 144, 9), 9)
        case 256...279: (reversed(sym - 256, 7), 7)
        default: (reversed(0xC0 + sym - 280, 8), 8)
        }
    }

    private struct BitWriter {
        var out: [UInt8] = []
        var buffer: UInt64 = 0
        var count = 0

        mutating func write(_ bits: Int, _ n: Int) {
            buffer |= UInt64(bits) << UInt64(count)
            count += n
            while count >= 8 {
                out.append(UInt8(buffer & 0xFF))
                buffer >>= 8
                count -= 8
            }
        }

        mutating func flush() -> [UInt8] {
            if count > 0 { out.append(UInt8(buffer & 0xFF)) }
            return out
        }
    }

    private static func fixedHuffman(_ input: [UInt8]) -> [UInt8] {
        var w = BitWriter()
        w.out.reserveCapacity(input.count / 2)
        w.write(1, 1)  // BFINAL: a fixed-code block has no size limit, so one block suffices
        w.write(1, 2)  // BTYPE 01 = fixed Huffman
        let literal = literalCodes
        func emitLiteral(_ b: UInt8) {
            let (c, l) = literal[Int(b)]
            w.write(c, l)
        }

        let window = 32_768, minMatch = 3, maxMatch = 258, maxChain = 48
        let hashBits = 15, hashMask = (1 << 15) - 1
        var head = [Int](repeating: -1, count: 1 << hashBits)
        var prev = [Int](repeating: -1, count: window)
        func hash(_ i: Int) -> Int {
            ((Int(input[i]) << 10) ^ (Int(input[i + 1]) << 5) ^ Int(input[i + 2])) & hashMask
        }
        func insert(_ i: Int) {
            guard i + 2 < input.count else { return }
            let h = hash(i)
            prev[i & (window - 1)] = head[h]
            head[h] = i
        }

        var i = 0
        let n = input.count
        while i < n {
            var bestLen = 0, bestDist = 0
            if i + minMatch <= n {
                var candidate = head[hash(i)]
                var chain = maxChain
                let limit = min(maxMatch, n - i)
                while candidate >= 0, i - candidate <= window, chain > 0 {
                    if input[candidate + bestLen] == input[i + bestLen] || bestLen == 0 {
                        var len = 0
                        while len < limit, input[candidate + len] == input[i + len] { len += 1 }
                        if len > bestLen {
                            bestLen = len
                            bestDist = i - candidate
                            if len == limit { break }
                        }
                    }
                    let next = prev[candidate & (window - 1)]
                    // Chains only point backwards; a stale slot (overwritten) points forwards.
                    if next >= candidate { break }
                    candidate = next
                    chain -= 1
                }
            }
            if bestLen >= minMatch {
                var li = 0
                while li + 1 < lengthBase.count, lengthBase[li + 1] <= bestLen { li += 1 }
                let (c, l) = literal[257 + li]
                w.write(c, l)
                if lengthExtra[li] > 0 { w.write(bestLen - lengthBase[li], lengthExtra[li]) }
                var di = 0
                while di + 1 < distBase.count, distBase[di + 1] <= bestDist { di += 1 }
                w.write(reversed(di, 5), 5)
                if distExtra[di] > 0 { w.write(bestDist - distBase[di], distExtra[di]) }
                for k in i..<i + bestLen { insert(k) }
                i += bestLen
            } else {
                emitLiteral(input[i])
                insert(i)
                i += 1
            }
        }
        let (c, l) = literal[256]  // end of block
        w.write(c, l)
        return w.flush()
    }
}
