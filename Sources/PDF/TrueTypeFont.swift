// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Errors raised while reading a TrueType font file.
public enum TrueTypeError: Error, Equatable, Sendable {
    /// The file is not a TrueType (glyf-outline) font; CFF-flavoured OpenType (`OTTO`) and
    /// collections (`ttcf`) are rejected because we embed the file as `FontFile2`.
    case unsupportedFormat(String)
    /// A required table (`head`, `hhea`, `maxp`, `hmtx`, `cmap`) is absent.
    case missingTable(String)
    /// An offset or length points outside the file.
    case truncated(String)
    /// No Unicode `cmap` subtable of format 4 or 12 was found.
    case noUnicodeCmap
}

/// A parsed TrueType font: just enough to lay out text (Unicode → glyph id, advance widths)
/// and to describe the font in a PDF (`FontDescriptor` metrics). The raw bytes are kept so
/// ``PDFDocument`` can cut a subset of the glyphs a document uses out of them.
///
/// Parsing is pure: it reads the bytes given and never touches the file system except in
/// ``init(contentsOf:)``.
public struct TrueTypeFont: Sendable {
    /// Font bounding box in font units (from `head`).
    public struct BoundingBox: Sendable, Equatable {
        public var xMin: Int, yMin: Int, xMax: Int, yMax: Int
    }

    /// The original file bytes, from which each document embeds a subset (or, when the font
    /// forbids subsetting, the whole file) as `FontFile2`.
    public let data: Data

    /// Design units per em (`head.unitsPerEm`), the denominator for all metrics below.
    public let unitsPerEm: Int
    /// Font bounding box (`head`).
    public let boundingBox: BoundingBox
    /// Typographic ascent in font units (OS/2 `sTypoAscender` when present, else `hhea`).
    public let ascent: Int
    /// Typographic descent in font units, negative below the baseline.
    public let descent: Int
    /// Height of capital letters in font units (OS/2 v2+ `sCapHeight`, else the ascent).
    public let capHeight: Int
    /// Italic angle in degrees counter-clockwise from vertical (`post`), 0 for upright fonts.
    public let italicAngle: Double
    /// Whether all glyphs share one advance (`post.isFixedPitch`).
    public let isFixedPitch: Bool
    /// Number of glyphs (`maxp.numGlyphs`).
    public let numberOfGlyphs: Int
    /// PostScript name (`name` id 6), used as the PDF `BaseFont`; a sanitised fallback when absent.
    public let postScriptName: String
    /// OS/2 `fsType` embedding flags (0 when there is no OS/2 table).
    public let embeddingFlags: UInt16

    private let advances: [UInt16]
    /// Unicode scalar → glyph id; internal so the subsetter can write a cmap for the kept glyphs.
    let cmap: [UInt32: UInt16]

    /// Whether the licence flags forbid embedding (`fsType` bit 1, "restricted licence").
    /// Callers producing documents should refuse such fonts.
    public var isEmbeddingRestricted: Bool { embeddingFlags & 0x000F == 0x0002 }

    /// Reads and parses the font at `url`.
    public init(contentsOf url: URL) throws {
        try self.init(data: Data(contentsOf: url))
    }

    /// Parses a TrueType font from its bytes.
    public init(data: Data) throws {
        let r = ByteReader(bytes: [UInt8](data))
        let version = try r.u32(0)
        switch version {
        case 0x0001_0000, 0x7472_7565:  // 1.0 or 'true' (old Apple)
            break
        case 0x4F54_544F:
            throw TrueTypeError.unsupportedFormat("CFF-based OpenType (OTTO) cannot be embedded as FontFile2")
        case 0x7474_6366:
            throw TrueTypeError.unsupportedFormat("font collections (ttcf) are not supported")
        default:
            throw TrueTypeError.unsupportedFormat(String(format: "unknown sfnt version 0x%08X", version))
        }
        let numTables = Int(try r.u16(4))
        var tables: [String: (offset: Int, length: Int)] = [:]
        for i in 0..<numTables {
            let rec = 12 + i * 16
            let tag = String(decoding: try r.slice(rec, 4), as: UTF8.self)
            let offset = Int(try r.u32(rec + 8)), length = Int(try r.u32(rec + 12))
            guard offset + length <= r.bytes.count else { throw TrueTypeError.truncated("table \(tag)") }
            tables[tag] = (offset, length)
        }
        func table(_ tag: String) throws -> Int {
            guard let t = tables[tag] else { throw TrueTypeError.missingTable(tag) }
            return t.offset
        }

        let head = try table("head")
        let upem = Int(try r.u16(head + 18))
        unitsPerEm = upem > 0 ? upem : 1000
        boundingBox = BoundingBox(
            xMin: Int(try r.i16(head + 36)), yMin: Int(try r.i16(head + 38)),
            xMax: Int(try r.i16(head + 40)), yMax: Int(try r.i16(head + 42)))

        let hhea = try table("hhea")
        let hheaAscent = Int(try r.i16(hhea + 4)), hheaDescent = Int(try r.i16(hhea + 6))
        let numberOfHMetrics = Int(try r.u16(hhea + 34))

        numberOfGlyphs = Int(try r.u16(try table("maxp") + 4))

        // hmtx holds numberOfHMetrics (advance, lsb) pairs; the remaining glyphs repeat the
        // last advance (monospaced tails), so expand to one entry per glyph for O(1) lookup.
        let hmtx = try table("hmtx")
        var adv = [UInt16]()
        adv.reserveCapacity(numberOfGlyphs)
        for g in 0..<min(numberOfHMetrics, numberOfGlyphs) {
            adv.append(try r.u16(hmtx + g * 4))
        }
        let last = adv.last ?? 0
        while adv.count < numberOfGlyphs { adv.append(last) }
        advances = adv

        cmap = try Self.parseCmap(r, at: try table("cmap"))

        var ascent = hheaAscent, descent = hheaDescent, capHeight = hheaAscent, fsType: UInt16 = 0
        if let os2 = tables["OS/2"], os2.length >= 78 {
            fsType = try r.u16(os2.offset + 8)
            ascent = Int(try r.i16(os2.offset + 68))
            descent = Int(try r.i16(os2.offset + 70))
            capHeight = ascent
            if try r.u16(os2.offset) >= 2, os2.length >= 90 {
                let ch = Int(try r.i16(os2.offset + 88))
                if ch > 0 { capHeight = ch }
            }
        }
        self.ascent = ascent
        self.descent = descent
        self.capHeight = capHeight
        embeddingFlags = fsType

        if let post = tables["post"], post.length >= 16 {
            italicAngle = Double(Int32(bitPattern: try r.u32(post.offset + 4))) / 65536
            isFixedPitch = try r.u32(post.offset + 12) != 0
        } else {
            italicAngle = 0
            isFixedPitch = false
        }

        let rawName = tables["name"].flatMap { try? Self.parsePostScriptName(r, at: $0.offset) }
        postScriptName = Self.sanitize(rawName ?? "EmbeddedFont")
        self.data = data
    }

    /// Glyph id for a Unicode scalar, or `nil` when the font has no glyph for it.
    public func glyph(for scalar: Unicode.Scalar) -> UInt16? {
        guard let g = cmap[scalar.value], g != 0 else { return nil }
        return g
    }

    /// Advance width of a glyph in font units (0 for out-of-range ids).
    public func advance(of glyph: UInt16) -> Int {
        Int(glyph) < advances.count ? Int(advances[Int(glyph)]) : 0
    }

    /// Advance width of a glyph in PDF glyph-space units (1/1000 em), as used in the `W` array.
    public func pdfWidth(of glyph: UInt16) -> Int {
        Int((Double(advance(of: glyph)) * 1000 / Double(unitsPerEm)).rounded())
    }

    /// Width of `text` in points at `size`, after NFC normalisation. Unmapped scalars count
    /// as the `.notdef` glyph so the measurement still reflects something visible.
    public func width(of text: String, size: Double) -> Double {
        var units = 0
        for s in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            units += advance(of: glyph(for: s) ?? 0)
        }
        return Double(units) * size / Double(unitsPerEm)
    }

    /// Every Unicode scalar the font maps (for coverage checks).
    public var mappedScalars: Set<UInt32> { Set(cmap.keys) }

    // MARK: - cmap

    private static func parseCmap(_ r: ByteReader, at base: Int) throws -> [UInt32: UInt16] {
        let count = Int(try r.u16(base + 2))
        var format4: Int?, format12: Int?
        for i in 0..<count {
            let rec = base + 4 + i * 8
            let platform = try r.u16(rec), encoding = try r.u16(rec + 2)
            let sub = base + Int(try r.u32(rec + 4))
            let format = try r.u16(sub)
            // Unicode platform (0) or Windows Unicode BMP (3,1) / full repertoire (3,10).
            let isUnicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10))
            guard isUnicode else { continue }
            if format == 12, format12 == nil { format12 = sub }
            if format == 4, format4 == nil { format4 = sub }
        }
        // Format 12 is a superset (covers astral planes), so prefer it when present.
        if let sub = format12 { return try parseFormat12(r, at: sub) }
        if let sub = format4 { return try parseFormat4(r, at: sub) }
        throw TrueTypeError.noUnicodeCmap
    }

    private static func parseFormat4(_ r: ByteReader, at sub: Int) throws -> [UInt32: UInt16] {
        let segCount = Int(try r.u16(sub + 6)) / 2
        let endCodes = sub + 14
        let startCodes = endCodes + segCount * 2 + 2  // +2 skips reservedPad
        let idDeltas = startCodes + segCount * 2
        let idRangeOffsets = idDeltas + segCount * 2
        var map: [UInt32: UInt16] = [:]
        for i in 0..<segCount {
            let end = Int(try r.u16(endCodes + i * 2)), start = Int(try r.u16(startCodes + i * 2))
            let delta = Int(try r.u16(idDeltas + i * 2))
            let rangeOffsetPos = idRangeOffsets + i * 2
            let rangeOffset = Int(try r.u16(rangeOffsetPos))
            guard start <= end else { continue }
            for c in start...end where c != 0xFFFF {
                var g: Int
                if rangeOffset == 0 {
                    g = (c + delta) & 0xFFFF
                } else {
                    // idRangeOffset is relative to its own position in the file (spec quirk).
                    g = Int(try r.u16(rangeOffsetPos + rangeOffset + (c - start) * 2))
                    if g != 0 { g = (g + delta) & 0xFFFF }
                }
                if g != 0 { map[UInt32(c)] = UInt16(g) }
            }
        }
        return map
    }

    private static func parseFormat12(_ r: ByteReader, at sub: Int) throws -> [UInt32: UInt16] {
        let groups = Int(try r.u32(sub + 12))
        var map: [UInt32: UInt16] = [:]
        for i in 0..<groups {
            let rec = sub + 16 + i * 12
            let start = try r.u32(rec), end = try r.u32(rec + 4), startGlyph = try r.u32(rec + 8)
            guard start <= end, end <= 0x10FFFF else { continue }
            for c in start...end {
                let g = startGlyph + (c - start)
                if g != 0, g <= 0xFFFF { map[c] = UInt16(g) }
            }
        }
        return map
    }

    // MARK: - name

    private static func parsePostScriptName(_ r: ByteReader, at base: Int) throws -> String? {
        let count = Int(try r.u16(base + 2))
        let storage = base + Int(try r.u16(base + 4))
        var mac: String?
        for i in 0..<count {
            let rec = base + 6 + i * 12
            guard try r.u16(rec + 6) == 6 else { continue }
            let platform = try r.u16(rec)
            let length = Int(try r.u16(rec + 8)), offset = Int(try r.u16(rec + 10))
            let bytes = try r.slice(storage + offset, length)
            if platform == 3 || platform == 0 {
                // Windows/Unicode names are UTF-16BE.
                var units = [UInt16]()
                var j = 0
                while j + 1 < bytes.count {
                    units.append(UInt16(bytes[j]) << 8 | UInt16(bytes[j + 1]))
                    j += 2
                }
                return String(decoding: units, as: UTF16.self)
            } else if platform == 1, mac == nil {
                mac = String(decoding: bytes, as: UTF8.self)
            }
        }
        return mac
    }

    /// PDF names may not contain delimiters or whitespace; PostScript names normally comply,
    /// but a damaged `name` table must not break the document syntax.
    private static func sanitize(_ name: String) -> String {
        let allowed = name.unicodeScalars.filter {
            $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && !"()<>[]{}/%#".unicodeScalars.contains($0)
        }
        let s = String(String.UnicodeScalarView(allowed))
        return s.isEmpty ? "EmbeddedFont" : s
    }
}

/// Big-endian reads with bounds checks, so a corrupt file throws instead of trapping.
struct ByteReader {
    let bytes: [UInt8]

    /// Returns a zero-based copy, so callers can index from 0.
    func slice(_ offset: Int, _ length: Int) throws -> [UInt8] {
        guard offset >= 0, length >= 0, offset + length <= bytes.count else {
            throw TrueTypeError.truncated("read of \(length) bytes at \(offset)")
        }
        return Array(bytes[offset..<offset + length])
    }

    func u16(_ o: Int) throws -> UInt16 {
        guard o >= 0, o + 2 <= bytes.count else { throw TrueTypeError.truncated("u16 at \(o)") }
        return UInt16(bytes[o]) << 8 | UInt16(bytes[o + 1])
    }

    func i16(_ o: Int) throws -> Int16 { Int16(bitPattern: try u16(o)) }

    func u32(_ o: Int) throws -> UInt32 {
        guard o >= 0, o + 4 <= bytes.count else { throw TrueTypeError.truncated("u32 at \(o)") }
        return UInt32(bytes[o]) << 24 | UInt32(bytes[o + 1]) << 16 | UInt32(bytes[o + 2]) << 8 | UInt32(bytes[o + 3])
    }
}
