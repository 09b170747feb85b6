// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How a resolution figure was obtained.
public enum DpiBasis: String, Sendable, Codable {
    /// Poppler's x-ppi/y-ppi: pixels divided by the size the image is drawn at on the page.
    case placement
    /// A standalone image treated as a scan of an A4 sheet: long side ÷ 11.69 in, short ÷ 8.27 in.
    case assumedA4
}

/// One raster image: an image embedded in a PDF page, or an image file (or TIFF page) itself.
public struct PageImage: Sendable, Codable, Equatable {
    /// 1-based page number.
    public var page: Int
    public var widthPx: Int
    public var heightPx: Int
    /// Measured horizontal resolution (see `dpiBasis`); nil when it could not be measured.
    public var xDpi: Double?
    /// Measured vertical resolution; nil when it could not be measured.
    public var yDpi: Double?
    public var dpiBasis: DpiBasis
    /// Resolution written in the file's metadata: a claim, reported but never trusted.
    public var claimedXDpi: Double?
    /// Vertical counterpart of `claimedXDpi`.
    public var claimedYDpi: Double?
    /// Share of the page area the image covers (0...1): tells a scan from a logo. Nil if unknown.
    public var pageCoverage: Double?
    /// Colour model as the tool or header names it ("gray", "rgb", "icc", "index", "cmyk", ...).
    public var colorSpace: String
    /// 1 grey, 3 colour, 4 CMYK; nil when not known.
    public var colorComponents: Int?
    /// Bits per colour component (1 for black-and-white, 8 typical).
    public var bitsPerComponent: Int?

    /// The worse of the two measured resolutions, nil when either is unknown.
    public var measuredDpi: Double? {
        guard let x = xDpi, let y = yDpi else { return nil }
        return min(x, y)
    }

    /// True for grey or black-and-white images (one component, not a colour palette).
    public var isGray: Bool { colorComponents == 1 }
}

/// What inspection measured about a file. Anything not measured is absent or empty and its
/// reason is in `unmeasured`: nothing here is guessed.
public struct Inspection: Sendable, Codable, Equatable {
    public var kind: FileKind
    /// Page count (PDF pages, TIFF pages, 1 for JPEG/PNG).
    public var pages: Int
    /// Every content image, with measured resolution and colour.
    public var images: [PageImage]
    /// 1-based pages judged blank with the threshold given to `inspect`; empty when not
    /// measured (then `unmeasured["blankPages"]` says why).
    public var blankPages: [Int]
    /// Per page, the share of the page (margins excluded) darker than the paper: what
    /// `blankPages` is derived from, kept so QC can apply its own threshold.
    public var inkPerPage: [Double]?
    /// Per page, non-whitespace characters already in the file's text layer; nil for images.
    public var textCharsPerPage: [Int]?
    /// Size in bytes.
    public var fileSize: Int
    /// Lower-case hex SHA-256 of the file; nil when no hashing tool was found.
    public var sha256: String?
    /// The PDF header version ("1.4"); nil for images.
    public var pdfVersion: String?
    /// Whether the PDF is encrypted (ocrmypdf refuses such files); nil for images.
    public var encrypted: Bool?
    /// Measurement name → why it is missing ("blankPages", "textCharsPerPage", "sha256", ...).
    public var unmeasured: [String: String]
}

/// Measures files with poppler-utils (PDF) and native header parsing (images).
public enum DocumentInspector {
    /// Default share of dark pixels below which a page counts as blank. A typical text page
    /// measures 2–5 %, a one-line page about 0.3 %; dust specks on an empty page vanish at
    /// the low rendering resolution used.
    public static let defaultBlankInkRatio = 0.001

    /// The longer and shorter sides of A4 in inches, the sheet an image file is assumed to scan.
    public static let a4Inches = (long: 11.69, short: 8.27)

    /// Inspects a file whose kind was sniffed from its content.
    public static func inspect(file: URL, kind: FileKind, blankInkRatio: Double = defaultBlankInkRatio) async throws
        -> Inspection
    {
        let attrs = try FileManager.default.attributesOfItem(atPath: file.path)
        let size = (attrs[.size] as? NSNumber)?.intValue ?? 0
        var unmeasured: [String: String] = [:]
        let hash = try await sha256(of: file)
        if hash == nil { unmeasured["sha256"] = "neither sha256sum (coreutils) nor shasum is installed" }

        if kind == .pdf {
            return try await inspectPDF(file, size: size, sha256: hash, blankInkRatio: blankInkRatio, unmeasured: unmeasured)
        }
        let header = try ImageHeader.read(file: file, kind: kind)
        let images = header.frames.enumerated().map { i, f in
            let (x, y) = a4Dpi(widthPx: f.widthPx, heightPx: f.heightPx)
            return PageImage(page: i + 1, widthPx: f.widthPx, heightPx: f.heightPx, xDpi: x, yDpi: y,
                             dpiBasis: .assumedA4, claimedXDpi: f.claimedXDpi, claimedYDpi: f.claimedYDpi,
                             pageCoverage: 1, colorSpace: f.colorSpace, colorComponents: f.colorComponents,
                             bitsPerComponent: f.bitsPerComponent)
        }
        // Decoding PNG/JPEG/TIFF pixels in Swift would mean reimplementing inflate and a JPEG
        // decoder; ocrmypdf turns the image into a PDF anyway, and OCR measures blank pages there.
        unmeasured["blankPages"] = "image files are checked for blank pages on the PDF that OCR produces"
        unmeasured["textCharsPerPage"] = "an image has no text layer; OCR measures the text"
        return Inspection(kind: kind, pages: images.count, images: images, blankPages: [], inkPerPage: nil,
                          textCharsPerPage: nil, fileSize: size, sha256: hash, pdfVersion: nil, encrypted: nil,
                          unmeasured: unmeasured)
    }

    /// Resolution of an image taken to be a scan of a whole A4 sheet, in either orientation.
    public static func a4Dpi(widthPx: Int, heightPx: Int) -> (x: Double, y: Double) {
        if heightPx >= widthPx {
            return (Double(widthPx) / a4Inches.short, Double(heightPx) / a4Inches.long)
        }
        return (Double(widthPx) / a4Inches.long, Double(heightPx) / a4Inches.short)
    }

    // MARK: PDF

    private static func inspectPDF(
        _ file: URL, size: Int, sha256: String?, blankInkRatio: Double, unmeasured: [String: String]
    ) async throws -> Inspection {
        let pdfinfo = try Tool.require("pdfinfo", package: "poppler-utils")
        let pdfimages = try Tool.require("pdfimages", package: "poppler-utils")
        let pdftotext = try Tool.require("pdftotext", package: "poppler-utils")
        let pdftoppm = try Tool.require("pdftoppm", package: "poppler-utils")
        let path = file.path

        // -l with a huge last page makes pdfinfo print every page's size in one call.
        let info = try await Tool.run(pdfinfo, ["-f", "1", "-l", "2147483647", path], timeout: 60)
        guard info.status == 0 else { throw DocumentError.corrupt("pdfinfo: \(info.stderrTail(3))") }
        let parsed = parsePdfinfo(info.stdoutText)
        guard let pages = parsed.pages else { throw DocumentError.corrupt("pdfinfo reported no page count") }

        // The three are independent; each is single-threaded, so they share the cores.
        async let list = Tool.run(pdfimages, ["-list", path], timeout: 120)
        async let text = Tool.run(pdftotext, ["-layout", "-enc", "UTF-8", path, "-"], timeout: 300)
        // -scale-to bounds the bitmap whatever the page size (about 30 dpi for A4), so a
        // hostile 200-inch page cannot make this allocate gigabytes. No output name: all
        // pages go to stdout as concatenated PGM images.
        async let render = Tool.run(pdftoppm, ["-scale-to", "351", "-gray", path], timeout: 300)
        let (listOut, textOut, renderOut) = try await (list, text, render)

        guard listOut.status == 0 else { throw DocumentError.corrupt("pdfimages: \(listOut.stderrTail(3))") }
        var images = parsePdfimagesList(listOut.stdoutText)
        for i in images.indices {
            let img = images[i]
            guard let x = img.xDpi, let y = img.yDpi, x > 0, y > 0,
                  let pageSize = parsed.pageSizes[img.page], pageSize.0 > 0, pageSize.1 > 0 else { continue }
            let drawn = (Double(img.widthPx) / x) * (Double(img.heightPx) / y)
            images[i].pageCoverage = min(1, drawn / (pageSize.0 / 72 * pageSize.1 / 72))
        }

        var unmeasured = unmeasured
        var chars: [Int]?
        if textOut.status == 0 {
            chars = charsPerPage(textOut.stdoutText, pages: pages)
        } else {
            unmeasured["textCharsPerPage"] = "pdftotext failed: \(textOut.stderrTail(2))"
        }

        var ink: [Double]?
        var blank: [Int] = []
        if renderOut.status == 0, let rendered = try? PGM.parseAll(renderOut.stdout), rendered.count == pages {
            ink = rendered.map(\.inkRatio)
            blank = ink!.enumerated().filter { $0.element < blankInkRatio }.map { $0.offset + 1 }
        } else {
            unmeasured["blankPages"] = "pdftoppm could not render every page: \(renderOut.stderrTail(2))"
        }

        return Inspection(kind: .pdf, pages: pages, images: images, blankPages: blank, inkPerPage: ink,
                          textCharsPerPage: chars, fileSize: size, sha256: sha256, pdfVersion: parsed.version,
                          encrypted: parsed.encrypted, unmeasured: unmeasured)
    }

    struct PdfinfoFields {
        var pages: Int?
        var encrypted: Bool?
        var version: String?
        /// Page number → (width, height) in points.
        var pageSizes: [Int: (Double, Double)] = [:]
    }

    static func parsePdfinfo(_ s: String) -> PdfinfoFields {
        var f = PdfinfoFields()
        for line in s.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            switch key {
            case "Pages": f.pages = Int(value)
            case "Encrypted": f.encrypted = value.hasPrefix("yes")
            case "PDF version": f.version = value
            default:
                // "Page    1 size:  595.44 x 841.68 pts (A4)"
                let k = key.split(separator: " ")
                if k.count == 3, k[0] == "Page", k[2] == "size", let n = Int(k[1]) {
                    let v = value.split(separator: " ")
                    if v.count >= 3, v[1] == "x", let w = Double(v[0]), let h = Double(v[2]) { f.pageSizes[n] = (w, h) }
                }
            }
        }
        return f
    }

    /// Parses `pdfimages -list`: one row per image; masks and soft masks are skipped
    /// (they are transparency, not content).
    static func parsePdfimagesList(_ s: String) -> [PageImage] {
        var out: [PageImage] = []
        for line in s.split(whereSeparator: \.isNewline) {
            let t = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
            guard t.count >= 14, let page = Int(t[0]), t[2] == "image",
                  let w = Int(t[3]), let h = Int(t[4]) else { continue }
            let n = t.count
            let xppi = Double(t[n - 4]), yppi = Double(t[n - 3])
            let comp = Int(t[6])
            let space = t[5]
            // An indexed image has one component (the index) but a colour palette.
            let comps: Int? = space == "index" ? nil : comp
            out.append(PageImage(page: page, widthPx: w, heightPx: h,
                                 xDpi: (xppi ?? 0) > 0 ? xppi : nil, yDpi: (yppi ?? 0) > 0 ? yppi : nil,
                                 dpiBasis: .placement, claimedXDpi: nil, claimedYDpi: nil, pageCoverage: nil,
                                 colorSpace: space, colorComponents: comps, bitsPerComponent: Int(t[7])))
        }
        return out
    }

    /// Non-whitespace characters per page of pdftotext output (pages end with a form feed).
    static func charsPerPage(_ text: String, pages: Int) -> [Int] {
        var counts = text.split(separator: "\u{0C}", omittingEmptySubsequences: false).map { page in
            page.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.count
        }
        if counts.count > pages { counts = Array(counts.prefix(pages)) }
        while counts.count < pages { counts.append(0) }
        return counts
    }

    // MARK: Hash

    /// SHA-256 through coreutils (fast, streams any size); nil when no tool is present.
    static func sha256(of file: URL) async throws -> String? {
        let candidates: [(String, [String])] = [("sha256sum", ["-b"]), ("shasum", ["-a", "256", "-b"])]
        for (name, args) in candidates {
            guard let tool = Tool.locate(name) else { continue }
            let out = try await Tool.run(tool, args + ["--", file.path], timeout: 600)
            guard out.status == 0 else { throw DocumentError.toolFailed(tool: name, status: out.status, stderr: out.stderrTail()) }
            let hex = out.stdoutText.prefix(64).lowercased()
            if hex.count == 64, hex.allSatisfy(\.isHexDigit) { return hex }
        }
        return nil
    }
}

/// Binary greymaps (PGM P5) as pdftoppm -gray writes them.
struct PGM {
    let width: Int
    let height: Int
    let maxValue: Int
    /// One value per pixel, row-major.
    let pixels: [UInt16]

    /// Splits concatenated P5 images.
    static func parseAll(_ data: Data) throws -> [PGM] {
        let bytes = [UInt8](data)
        var out: [PGM] = []
        var pos = 0
        while pos < bytes.count {
            let (img, next) = try parse(bytes, at: pos)
            out.append(img)
            pos = next
        }
        return out
    }

    static func parse(_ b: [UInt8], at start: Int) throws -> (PGM, Int) {
        var pos = start
        func token() throws -> Int {
            // Skip whitespace and # comments, then read a decimal number.
            while pos < b.count {
                if b[pos] == UInt8(ascii: "#") {
                    while pos < b.count, b[pos] != 0x0A { pos += 1 }
                } else if [0x20, 0x09, 0x0A, 0x0D].contains(b[pos]) {
                    pos += 1
                } else { break }
            }
            var v = 0, digits = 0
            while pos < b.count, (48...57).contains(b[pos]), digits < 9 {
                v = v * 10 + Int(b[pos] - 48); pos += 1; digits += 1
            }
            guard digits > 0 else { throw DocumentError.corrupt("bad PGM header") }
            return v
        }
        guard b.count >= pos + 2, b[pos] == UInt8(ascii: "P"), b[pos + 1] == UInt8(ascii: "5") else {
            throw DocumentError.corrupt("not a binary PGM")
        }
        pos += 2
        let w = try token(), h = try token(), maxv = try token()
        pos += 1  // the single whitespace byte before the raster
        let bpp = maxv > 255 ? 2 : 1
        let n = w * h
        guard w > 0, h > 0, maxv > 0, pos + n * bpp <= b.count else { throw DocumentError.corrupt("truncated PGM") }
        var px = [UInt16](repeating: 0, count: n)
        for i in 0..<n {
            px[i] = bpp == 1 ? UInt16(b[pos + i]) : UInt16(b[pos + 2 * i]) << 8 | UInt16(b[pos + 2 * i + 1])
        }
        return (PGM(width: w, height: h, maxValue: maxv, pixels: px), pos + n * bpp)
    }

    /// Share of pixels clearly darker than the paper, inside a 5 % margin (scanner edges, punch
    /// holes and lid shadows live there). The paper is the 90th-percentile brightness, so
    /// tinted or recycled paper does not read as ink; "clearly" is 20 % of full scale.
    var inkRatio: Double {
        let mx = width / 20, my = height / 20
        guard width - 2 * mx > 0, height - 2 * my > 0 else { return 0 }
        var histogram = [Int](repeating: 0, count: maxValue + 1)
        var total = 0
        for y in my..<(height - my) {
            let row = y * width
            for x in mx..<(width - mx) {
                histogram[Int(min(pixels[row + x], UInt16(maxValue)))] += 1
                total += 1
            }
        }
        var seen = 0
        var paper = maxValue
        for v in 0...maxValue {
            seen += histogram[v]
            if seen * 10 >= total * 9 { paper = v; break }
        }
        let cutoff = paper - maxValue / 5
        guard cutoff > 0 else { return 0 }
        let dark = histogram[0..<cutoff].reduce(0, +)
        return Double(dark) / Double(total)
    }
}
