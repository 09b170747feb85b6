// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import PDF

@Suite("Font subsetting")
struct FontSubsetTests {
    /// Text with Vietnamese capitals that DejaVu builds from nested composites
    /// (Ộ = Ocircumflex + dotbelowcomb, Ocircumflex = O + circumflex), and ₫ = dcroat + macron below.
    static let sample = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc: 25.000₫, đồng, ặ ữ ỡ ệ"

    static func glyphs(_ font: TrueTypeFont, _ text: String) throws -> Set<UInt16> {
        var ids = Set<UInt16>()
        for s in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            ids.insert(try #require(font.glyph(for: s), "no glyph for U+\(String(s.value, radix: 16))"))
        }
        return ids
    }

    @Test func subsetParsesBackWithSameGlyphIdsAndMetrics() throws {
        let font = try dejaVu()
        let wanted = try Self.glyphs(font, Self.sample)
        let subset = try font.subset(keeping: wanted)
        let parsed = try TrueTypeFont(data: Data(subset.data))

        #expect(subset.glyphs.isSuperset(of: wanted.union([0])))
        #expect(parsed.numberOfGlyphs == Int(subset.glyphs.max()!) + 1)
        #expect(parsed.unitsPerEm == font.unitsPerEm)
        #expect(parsed.boundingBox == font.boundingBox)
        #expect(parsed.ascent == font.ascent && parsed.descent == font.descent && parsed.capHeight == font.capHeight)
        #expect(parsed.postScriptName == font.postScriptName)
        // Same glyph ids (so /CIDToGIDMap /Identity holds) and same advances (so /W matches hmtx).
        for s in Self.sample.precomposedStringWithCanonicalMapping.unicodeScalars {
            let g = try #require(parsed.glyph(for: s), "subset cmap lacks U+\(String(s.value, radix: 16))")
            #expect(g == font.glyph(for: s))
            #expect(parsed.advance(of: g) == font.advance(of: g))
        }
        #expect(parsed.advance(of: 0) == font.advance(of: 0))
        // Letters outside the sample are gone from the cmap.
        #expect(parsed.glyph(for: "Q") == nil)
        #expect(subset.data.count < font.data.count / 8, "subset is \(subset.data.count) bytes")
    }

    @Test func subsetIsDeterministicAndTaggedByGlyphSet() throws {
        let font = try dejaVu(), bold = try dejaVu(bold: true)
        let wanted = try Self.glyphs(font, Self.sample)
        let a = try font.subset(keeping: wanted), b = try font.subset(keeping: Array(wanted).reversed())
        #expect(a.data == b.data)
        #expect(a.tag == b.tag)
        #expect(a.tag.count == 6 && a.tag.unicodeScalars.allSatisfy { $0.value >= 65 && $0.value <= 90 })
        let other = try font.subset(keeping: wanted.union(try Self.glyphs(font, "Q")))
        #expect(other.tag != a.tag)
        #expect(try bold.subset(keeping: try Self.glyphs(bold, Self.sample)).tag != a.tag)
    }

    @Test func compositeComponentsAreKept() throws {
        let font = try dejaVu()
        let capitalO = try #require(font.glyph(for: "Ộ"))
        let subset = try font.subset(keeping: [capitalO])
        let bytes = subset.data
        let tables = try sfntTables(bytes)
        let r = ByteReader(bytes: bytes)
        let head = try #require(tables["head"]), loca = try #require(tables["loca"]), glyf = try #require(tables["glyf"])
        let short = try r.i16(head.offset + 50) == 0
        func range(_ g: UInt16) throws -> (Int, Int) {
            let i = Int(g)
            if short { return (Int(try r.u16(loca.offset + i * 2)) * 2, Int(try r.u16(loca.offset + i * 2 + 2)) * 2) }
            return (Int(try r.u32(loca.offset + i * 4)), Int(try r.u32(loca.offset + i * 4 + 4)))
        }
        // Ộ itself plus at least Ocircumflex, dotbelowcomb, O and circumflex, and .notdef.
        #expect(subset.glyphs.count >= 6)
        for g in subset.glyphs {
            let (start, end) = try range(g)
            #expect(end > start, "kept glyph \(g) has no outline")
            for c in try TrueTypeFont.components(r, from: glyf.offset + start, to: glyf.offset + end) {
                #expect(subset.glyphs.contains(c), "component \(c) of glyph \(g) was dropped")
            }
        }
        // Glyphs not kept are empty slots: ids stay, outlines go.
        let (a0, a1) = try range(try #require(font.glyph(for: "A")))
        #expect(a0 == a1)
    }

    @Test func tablesAreChecksummedAlignedAndSorted() throws {
        let font = try dejaVu()
        let bytes = try font.subset(keeping: try Self.glyphs(font, Self.sample)).data
        let tables = try sfntTables(bytes)
        #expect(bytes.count % 4 == 0)
        #expect(Set(tables.keys) == ["OS/2", "cmap", "cvt ", "fpgm", "gasp", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "prep"])
        let r = ByteReader(bytes: bytes)
        var previousTag: [UInt8] = []
        for i in 0..<tables.count {
            let tag = try r.slice(12 + i * 16, 4)
            #expect(previousTag.lexicographicallyPrecedes(tag))
            previousTag = tag
        }
        for (tag, t) in tables {
            #expect(t.offset % 4 == 0, "\(tag) is not 4-byte aligned")
            var body = try r.slice(t.offset, t.length)
            if tag == "head" { body.replaceSubrange(8..<12, with: [0, 0, 0, 0]) }  // checkSumAdjustment
            #expect(TrueTypeFont.checksum(body) == t.checksum, "checksum of \(tag)")
        }
        // checkSumAdjustment makes the whole file sum to the magic number.
        #expect(TrueTypeFont.checksum(bytes) == 0xB1B0_AFBA)
        // post is format 3 (no glyph names).
        #expect(try r.u32(try #require(tables["post"]).offset) == 0x0003_0000)
    }

    @Test func astralCharactersGetAFormat12Cmap() throws {
        let font = try dejaVu()
        let oldItalicA = try #require(Unicode.Scalar(0x10300))
        let g = try #require(font.glyph(for: oldItalicA), "DejaVu Sans maps U+10300")
        let a = try #require(font.glyph(for: "a"))
        let parsed = try TrueTypeFont(data: Data(try font.subset(keeping: [g, a]).data))
        #expect(parsed.glyph(for: oldItalicA) == g)
        #expect(parsed.glyph(for: "a") == a)
        // Both encodings are written: (3,1) format 4 for older readers, (3,10) format 12.
        let table = TrueTypeFont.cmapTable([(0x61, a), (0x10300, g)])
        #expect(table[2...3] == [0, 2])
    }

    @Test func fontForbiddingSubsettingIsEmbeddedWhole() async throws {
        // Set fsType bit 8 ("no subsetting") in a copy of DejaVu Sans.
        var bytes = [UInt8](try dejaVu().data)
        let os2 = try #require(try sfntTables(bytes)["OS/2"])
        bytes[os2.offset + 8] |= 0x01
        let font = try TrueTypeFont(data: Data(bytes))
        #expect(!font.allowsSubsetting)
        var doc = PDFDocument(fonts: ["f": font])
        doc.addPage()
        try doc.drawText("Độc lập", x: 50, y: 50, font: "f", size: 12)
        let pdf = doc.data()
        #expect(pdf.count > 300_000)
        #expect(occurrences(of: "+DejaVuSans", in: [UInt8](pdf)).isEmpty)
        #expect(!occurrences(of: "/FontName /DejaVuSans ", in: [UInt8](pdf)).isEmpty)
        #expect(try await PDFDocumentTests.extract(pdf).contains("Độc lập"))
    }

    /// fontTools is the reference TrueType reader (Debian package python3-fonttools, installed by make test).
    @Test func fontToolsReadsEveryKeptGlyph() async throws {
        try #require((try? await runPython("import fontTools", []))?.status == 0, "install the Debian package python3-fonttools")
        let font = try dejaVu()
        let subset = try font.subset(keeping: try Self.glyphs(font, Self.sample))
        let url = try scratchFile(subset.data, suffix: ".ttf")
        defer { try? FileManager.default.removeItem(at: url) }
        let script = """
            import sys
            from fontTools.ttLib import TTFont
            from fontTools.pens.boundsPen import BoundsPen
            f = TTFont(sys.argv[1], checkChecksums=2)
            gs = f.getGlyphSet()
            drawn = 0
            for name in f.getGlyphOrder():
                pen = BoundsPen(gs); gs[name].draw(pen)
                drawn += pen.bounds is not None
            print(drawn)
            """
        let (status, out) = try await runPython(script, [url.path])
        #expect(status == 0, "fontTools: \(out)")
        // Every kept glyph except the space has an outline.
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == String(subset.glyphs.count - 1))
    }
}
