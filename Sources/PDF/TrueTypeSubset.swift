// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A TrueType font program cut down to the glyphs one document uses, for embedding as
/// `FontFile2` (ISO 32000-1 §9.9) under a subset name (§9.6.4).
///
/// Glyph ids are **kept**: unused glyphs become empty slots instead of being renumbered, so
/// content streams keep their 2-byte glyph ids and the `CIDToGIDMap` stays `/Identity`.
/// Empty `glyf` entries cost nothing and the `loca`/`hmtx` runs of repeated values they leave
/// compress to almost nothing.
struct TrueTypeSubset: Sendable {
    /// The complete sfnt file.
    let data: [UInt8]
    /// Six uppercase letters identifying this glyph set, for `TAG+PostScriptName`.
    let tag: String
    /// Glyphs whose outlines were kept: those asked for, `.notdef` and composite components.
    let glyphs: Set<UInt16>
}

extension TrueTypeFont {
    /// Whether the licence lets the font be subset (`fsType` bit 8 clear, "no subsetting").
    var allowsSubsetting: Bool { embeddingFlags & 0x0100 == 0 }

    /// The tables a `CIDFontType2` program may carry and that are copied unchanged. Layout
    /// tables (GSUB, GPOS, kern, …) are dropped: PDF viewers place glyphs from the content
    /// stream and never shape text, and per-glyph device tables (hdmx, LTSH, VDMX) would
    /// describe glyphs that are gone.
    private static let copiedTables: Set<String> = ["OS/2", "cvt ", "fpgm", "prep", "gasp", "name"]

    /// Builds a subset keeping `requested` plus `.notdef` (glyph 0) and every glyph a kept
    /// composite glyph refers to. `maxp.numGlyphs` shrinks to the highest kept id + 1; ids
    /// below it stay where they were. Deterministic: the same font and glyph set always give
    /// the same bytes and tag.
    ///
    /// - Throws: ``TrueTypeError`` when `glyf`/`loca` are missing or inconsistent (the
    ///   initialiser does not read them, so a damaged outline table surfaces only here).
    func subset(keeping requested: some Sequence<UInt16>) throws -> TrueTypeSubset {
        let bytes = [UInt8](data)
        let r = ByteReader(bytes: bytes)
        let numTables = Int(try r.u16(4))
        var tables: [String: (offset: Int, length: Int)] = [:]
        for i in 0..<numTables {
            let rec = 12 + i * 16
            let tag = String(decoding: try r.slice(rec, 4), as: UTF8.self)
            tables[tag] = (Int(try r.u32(rec + 8)), Int(try r.u32(rec + 12)))
        }
        func table(_ tag: String, minimum: Int = 0) throws -> (offset: Int, length: Int) {
            guard let t = tables[tag] else { throw TrueTypeError.missingTable(tag) }
            guard t.length >= minimum, t.offset + t.length <= bytes.count else { throw TrueTypeError.truncated("table \(tag)") }
            return t
        }
        let head = try table("head", minimum: 54), hhea = try table("hhea", minimum: 36)
        let maxp = try table("maxp", minimum: 6), hmtx = try table("hmtx")
        let loca = try table("loca"), glyf = try table("glyf")
        let numGlyphs = Int(try r.u16(maxp.offset + 4))
        let shortLoca = try r.i16(head.offset + 50) == 0

        // Glyph g's outline is glyf[offsets[g] ..< offsets[g + 1]].
        var offsets = [Int]()
        offsets.reserveCapacity(numGlyphs + 1)
        for g in 0...numGlyphs {
            let o = shortLoca ? Int(try r.u16(loca.offset + g * 2)) * 2 : Int(try r.u32(loca.offset + g * 4))
            guard o <= glyf.length, o >= (offsets.last ?? 0) else { throw TrueTypeError.truncated("loca entry \(g)") }
            offsets.append(o)
        }

        // Closure over composite glyphs (accented capitals are often base + mark components).
        var kept = Set<UInt16>()
        var pending = [UInt16(0)] + requested.filter { Int($0) < numGlyphs }
        while let g = pending.popLast() {
            guard kept.insert(g).inserted else { continue }
            for component in try Self.components(r, from: glyf.offset + offsets[Int(g)], to: glyf.offset + offsets[Int(g) + 1])
            where Int(component) < numGlyphs && !kept.contains(component) {
                pending.append(component)
            }
        }
        let newNumGlyphs = Int(kept.max() ?? 0) + 1

        // glyf + loca: kept outlines copied, each padded to 4 bytes; dropped ones left empty.
        var newGlyf = [UInt8]()
        var newOffsets = [Int]()
        newOffsets.reserveCapacity(newNumGlyphs + 1)
        for g in 0..<newNumGlyphs {
            newOffsets.append(newGlyf.count)
            guard kept.contains(UInt16(g)) else { continue }
            newGlyf += bytes[(glyf.offset + offsets[g])..<(glyf.offset + offsets[g + 1])]
            while newGlyf.count % 4 != 0 { newGlyf.append(0) }
        }
        newOffsets.append(newGlyf.count)
        // Short offsets store offset / 2 in 16 bits; padding never makes the subset larger
        // than the original in practice, but switch to long offsets if it ever does.
        let useShort = shortLoca && newGlyf.count <= 0x1FFFE
        var newLoca = [UInt8]()
        for o in newOffsets {
            if useShort { newLoca.appendU16(UInt16(o / 2)) } else { newLoca.appendU32(UInt32(o)) }
        }

        // hmtx: metrics of dropped glyphs zeroed (they compress away). The last long entry keeps
        // its advance even when dropped, because glyphs after it inherit that advance.
        let numberOfHMetrics = Int(try r.u16(hhea.offset + 34))
        let newHMetrics = max(1, min(numberOfHMetrics, newNumGlyphs))
        var newHmtx = [UInt8]()
        for g in 0..<newNumGlyphs {
            let isKept = kept.contains(UInt16(g))
            if g < newHMetrics {  // newHMetrics <= numberOfHMetrics, so g has a long entry
                let advance = try r.u16(hmtx.offset + g * 4), lsb = try r.u16(hmtx.offset + g * 4 + 2)
                newHmtx.appendU16(isKept || g == newHMetrics - 1 ? advance : 0)
                newHmtx.appendU16(isKept ? lsb : 0)
            } else {  // only reached when newHMetrics == numberOfHMetrics: the lsb-only tail
                let lsb = try r.u16(hmtx.offset + numberOfHMetrics * 4 + (g - numberOfHMetrics) * 2)
                newHmtx.appendU16(isKept ? lsb : 0)
            }
        }

        var newHead = try r.slice(head.offset, head.length)
        newHead.setU32(0, at: 8)  // checkSumAdjustment, filled in once the file is assembled
        newHead.setU16(useShort ? 0 : 1, at: 50)
        var newHhea = try r.slice(hhea.offset, hhea.length)
        newHhea.setU16(UInt16(newHMetrics), at: 34)
        var newMaxp = try r.slice(maxp.offset, maxp.length)
        newMaxp.setU16(UInt16(newNumGlyphs), at: 4)

        var out: [String: [UInt8]] = [
            "head": newHead, "hhea": newHhea, "maxp": newMaxp, "hmtx": newHmtx, "loca": newLoca, "glyf": newGlyf,
        ]
        // A cmap for just the kept glyphs keeps the subset a usable font file for other tools
        // (and for our own parser, which requires one); PDF viewers ignore it here.
        let mapped = cmap.filter { kept.contains($0.value) }.map { (code: $0.key, glyph: $0.value) }
            .sorted { $0.code < $1.code }
        out["cmap"] = Self.cmapTable(mapped)
        // post format 3 carries the metrics without the glyph names (62 KB in DejaVu Sans).
        if let post = tables["post"], post.length >= 32, post.offset + 32 <= bytes.count {
            var newPost = try r.slice(post.offset, 32)
            newPost.setU32(0x0003_0000, at: 0)
            for i in 16..<32 { newPost[i] = 0 }  // memory-usage hints, optional
            out["post"] = newPost
        }
        for tag in Self.copiedTables {
            guard let t = tables[tag], t.offset + t.length <= bytes.count else { continue }
            out[tag] = try r.slice(t.offset, t.length)
        }

        return TrueTypeSubset(data: Self.assemble(out), tag: Self.subsetTag(name: postScriptName, glyphs: kept), glyphs: kept)
    }

    /// Glyph ids referenced by the composite glyph in `start..<end` (none for a simple glyph).
    static func components(_ r: ByteReader, from start: Int, to end: Int) throws -> [UInt16] {
        guard end - start >= 10, try r.i16(start) < 0 else { return [] }
        var result: [UInt16] = []
        var p = start + 10
        var flags: UInt16
        repeat {
            guard p + 4 <= end else { throw TrueTypeError.truncated("composite glyph at \(start)") }
            flags = try r.u16(p)
            result.append(try r.u16(p + 2))
            p += 4
            p += flags & 0x0001 != 0 ? 4 : 2  // ARG_1_AND_2_ARE_WORDS
            if flags & 0x0008 != 0 {  // WE_HAVE_A_SCALE
                p += 2
            } else if flags & 0x0040 != 0 {  // WE_HAVE_AN_X_AND_Y_SCALE
                p += 4
            } else if flags & 0x0080 != 0 {  // WE_HAVE_A_TWO_BY_TWO
                p += 8
            }
        } while flags & 0x0020 != 0  // MORE_COMPONENTS
        return result
    }

    /// Six letters A–Z from an FNV-1a hash of the font name and the sorted glyph ids, so the
    /// same subset always gets the same tag and different subsets almost never share one.
    static func subsetTag(name: String, glyphs: Set<UInt16>) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        for b in name.utf8 { mix(b) }
        for g in glyphs.sorted() {
            mix(UInt8(g >> 8))
            mix(UInt8(g & 0xFF))
        }
        var tag = ""
        for _ in 0..<6 {
            tag.unicodeScalars.append(Unicode.Scalar(UInt8(ascii: "A") + UInt8(h % 26)))
            h /= 26
        }
        return tag
    }

    /// A cmap with a (3,1) format 4 subtable for the BMP and, when needed, a (3,10) format 12
    /// subtable (astral characters, or more segments than format 4's 16-bit length allows).
    static func cmapTable(_ mapped: [(code: UInt32, glyph: UInt16)]) -> [UInt8] {
        // Runs where code and glyph both advance by one share a segment / group.
        func runs(_ pairs: some Sequence<(code: UInt32, glyph: UInt16)>) -> [(start: UInt32, end: UInt32, glyph: UInt16)] {
            var result: [(start: UInt32, end: UInt32, glyph: UInt16)] = []
            for (code, glyph) in pairs {
                if let last = result.last, code == last.end + 1, Int(glyph) == Int(last.glyph) + Int(code - last.start) {
                    result[result.count - 1].end = code
                } else {
                    result.append((code, code, glyph))
                }
            }
            return result
        }
        var format4: [UInt8]?
        let bmp = runs(mapped.lazy.filter { $0.code < 0xFFFF })
        let segments = bmp + [(start: 0xFFFF, end: 0xFFFF, glyph: 0)]  // required final segment
        let segCount = segments.count
        if 16 + segCount * 8 <= 0xFFFF {
            var t = [UInt8]()
            var pow2 = 1, log2 = 0
            while pow2 * 2 <= segCount {
                pow2 *= 2
                log2 += 1
            }
            t.appendU16(4)
            t.appendU16(UInt16(16 + segCount * 8))
            t.appendU16(0)  // language
            t.appendU16(UInt16(segCount * 2))
            t.appendU16(UInt16(pow2 * 2))
            t.appendU16(UInt16(log2))
            t.appendU16(UInt16(segCount * 2 - pow2 * 2))
            for s in segments { t.appendU16(UInt16(s.end)) }
            t.appendU16(0)  // reservedPad
            for s in segments { t.appendU16(UInt16(s.start)) }
            // idDelta is added modulo 65536; the final segment maps 0xFFFF to glyph 0.
            for s in segments { t.appendU16(s.start == 0xFFFF ? 1 : UInt16(truncatingIfNeeded: Int(s.glyph) - Int(s.start))) }
            for _ in segments { t.appendU16(0) }  // idRangeOffset: none, deltas only
            format4 = t
        }
        var format12: [UInt8]?
        if format4 == nil || mapped.contains(where: { $0.code > 0xFFFF }) {
            let groups = runs(mapped)
            var t = [UInt8]()
            t.appendU16(12)
            t.appendU16(0)
            t.appendU32(UInt32(16 + groups.count * 12))
            t.appendU32(0)  // language
            t.appendU32(UInt32(groups.count))
            for g in groups {
                t.appendU32(g.start)
                t.appendU32(g.end)
                t.appendU32(UInt32(g.glyph))
            }
            format12 = t
        }
        let subtables = [(UInt16(1), format4), (UInt16(10), format12)].compactMap { e, t in t.map { (e, $0) } }
        var out = [UInt8]()
        out.appendU16(0)
        out.appendU16(UInt16(subtables.count))
        var offset = 4 + subtables.count * 8
        for (encoding, t) in subtables {
            out.appendU16(3)  // Windows platform, which is what PDF consumers look for
            out.appendU16(encoding)
            out.appendU32(UInt32(offset))
            offset += t.count
        }
        for (_, t) in subtables { out += t }
        return out
    }

    /// Writes the sfnt: table directory sorted by tag (binary-searchable), each table 4-byte
    /// aligned with its checksum, then `head.checkSumAdjustment` over the whole file.
    static func assemble(_ tables: [String: [UInt8]]) -> [UInt8] {
        let tags = tables.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var pow2 = 1, log2 = 0
        while pow2 * 2 <= tags.count {
            pow2 *= 2
            log2 += 1
        }
        var out = [UInt8]()
        out.appendU32(0x0001_0000)
        out.appendU16(UInt16(tags.count))
        out.appendU16(UInt16(pow2 * 16))
        out.appendU16(UInt16(log2))
        out.appendU16(UInt16(tags.count * 16 - pow2 * 16))
        var offset = 12 + tags.count * 16
        var headOffset: Int?
        for tag in tags {
            let t = tables[tag]!
            out += Array(tag.utf8)
            out.appendU32(checksum(t))
            out.appendU32(UInt32(offset))
            out.appendU32(UInt32(t.count))
            if tag == "head" { headOffset = offset }
            offset += (t.count + 3) & ~3
        }
        for tag in tags {
            out += tables[tag]!
            while out.count % 4 != 0 { out.append(0) }
        }
        if let h = headOffset { out.setU32(0xB1B0_AFBA &- checksum(out), at: h + 8) }
        return out
    }

    /// Sum of big-endian 32-bit words, the last one zero-padded.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var sum: UInt32 = 0
        var i = 0
        while i < bytes.count {
            var word: UInt32 = 0
            for k in 0..<4 { word = word << 8 | UInt32(i + k < bytes.count ? bytes[i + k] : 0) }
            sum &+= word
            i += 4
        }
        return sum
    }
}

extension [UInt8] {
    fileprivate mutating func appendU16(_ v: UInt16) {
        append(UInt8(v >> 8))
        append(UInt8(v & 0xFF))
    }

    fileprivate mutating func appendU32(_ v: UInt32) {
        appendU16(UInt16(v >> 16))
        appendU16(UInt16(v & 0xFFFF))
    }

    fileprivate mutating func setU16(_ v: UInt16, at i: Int) {
        self[i] = UInt8(v >> 8)
        self[i + 1] = UInt8(v & 0xFF)
    }

    fileprivate mutating func setU32(_ v: UInt32, at i: Int) {
        setU16(UInt16(v >> 16), at: i)
        setU16(UInt16(v & 0xFFFF), at: i + 2)
    }
}
