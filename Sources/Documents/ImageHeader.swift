// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What a raster image's headers say (PNG IHDR/pHYs, JPEG SOFn/JFIF/Exif, TIFF IFDs),
/// read natively without decoding a single pixel.
public struct ImageHeader: Sendable, Equatable, Codable {
    /// One picture in the file: JPEG and PNG have one, a scanned TIFF one per page.
    public struct Frame: Sendable, Equatable, Codable {
        public var widthPx: Int
        public var heightPx: Int
        /// "gray", "rgb", "ycbcr", "cmyk", "ycck", "indexed", "indexed-gray", "lab".
        public var colorSpace: String
        /// 1 grey, 3 colour, 4 CMYK; alpha is not counted. Nil when the header does not say.
        public var colorComponents: Int?
        public var bitsPerComponent: Int?
        public var hasAlpha: Bool
        /// Resolution written in the metadata. It is a claim: cameras write 72, scanners
        /// and editors write whatever they like, so QC never relies on it.
        public var claimedXDpi: Double?
        public var claimedYDpi: Double?
    }

    public var kind: FileKind
    public var frames: [Frame]

    /// Reads the headers of an image file, seeking rather than loading it (a TIFF's
    /// directories may sit at the end of a large file).
    public static func read(file: URL, kind: FileKind) throws -> ImageHeader {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        return try parse(Bytes(handle: handle), kind: kind)
    }

    /// Parses headers from bytes already in memory.
    public static func parse(_ data: [UInt8], kind: FileKind) throws -> ImageHeader {
        try parse(Bytes(array: data), kind: kind)
    }

    static func parse(_ b: Bytes, kind: FileKind) throws -> ImageHeader {
        switch kind {
        case .png: return ImageHeader(kind: kind, frames: [try png(b)])
        case .jpeg: return ImageHeader(kind: kind, frames: [try jpeg(b)])
        case .tiff: return ImageHeader(kind: kind, frames: try tiff(b))
        case .pdf: throw DocumentError.corrupt("a PDF is not a raster image")
        }
    }

    // MARK: PNG

    private static func png(_ b: Bytes) throws -> Frame {
        guard try b.read(0, 8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
            throw DocumentError.corrupt("not a PNG signature")
        }
        var pos = 8
        var frame: Frame?
        var colorType = 0
        for _ in 0..<100_000 {
            let length = Int(try b.u32(pos, bigEndian: true))
            let type = String(decoding: try b.read(pos + 4, 4), as: UTF8.self)
            let body = pos + 8
            switch type {
            case "IHDR":
                let d = try b.read(body, 13)
                let w = Int(be32(d, 0)), h = Int(be32(d, 4))
                let depth = Int(d[8])
                colorType = Int(d[9])
                let (space, comps, alpha): (String, Int?, Bool) =
                    switch colorType {
                    case 0: ("gray", 1, false)
                    case 2: ("rgb", 3, false)
                    case 3: ("indexed", 3, false)
                    case 4: ("gray", 1, true)
                    case 6: ("rgb", 3, true)
                    default: ("unknown", nil, false)
                    }
                guard w > 0, h > 0 else { throw DocumentError.corrupt("PNG with zero width or height") }
                frame = Frame(widthPx: w, heightPx: h, colorSpace: space, colorComponents: comps,
                              bitsPerComponent: depth, hasAlpha: alpha, claimedXDpi: nil, claimedYDpi: nil)
            case "PLTE" where colorType == 3 && frame != nil:
                // A palette whose entries are all R=G=B is a grey scan stored as indexed colour.
                let p = try b.read(body, min(length, 768))
                var grey = true
                var k = 0
                while k + 2 < p.count {
                    if p[k] != p[k + 1] || p[k] != p[k + 2] { grey = false }
                    k += 3
                }
                if grey { frame?.colorSpace = "indexed-gray"; frame?.colorComponents = 1 }
            case "pHYs" where frame != nil:
                let d = try b.read(body, 9)
                if d[8] == 1 {  // unit 1 = pixels per metre; 0 = aspect ratio only
                    let x = Double(be32(d, 0)) * 0.0254, y = Double(be32(d, 4)) * 0.0254
                    if x > 0, y > 0 { frame?.claimedXDpi = x; frame?.claimedYDpi = y }
                }
            case "IDAT", "IEND":
                // pHYs must precede the image data, so nothing we need comes later.
                guard let frame else { throw DocumentError.corrupt("PNG without IHDR") }
                return frame
            default: break
            }
            pos = body + length + 4
        }
        throw DocumentError.corrupt("PNG with too many chunks")
    }

    // MARK: JPEG

    private static func jpeg(_ b: Bytes) throws -> Frame {
        guard try b.read(0, 3) == [0xFF, 0xD8, 0xFF] else { throw DocumentError.corrupt("not a JPEG signature") }
        var pos = 2
        var jfif: (Double, Double)?
        var exif: (Double, Double)?
        var adobeTransform: UInt8?
        var sof: (precision: Int, h: Int, w: Int, n: Int)?
        for _ in 0..<100_000 {
            guard try b.read(pos, 1)[0] == 0xFF else { throw DocumentError.corrupt("JPEG marker expected at byte \(pos)") }
            var marker = try b.read(pos + 1, 1)[0]
            pos += 2
            while marker == 0xFF {  // fill bytes
                marker = try b.read(pos, 1)[0]
                pos += 1
            }
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { continue }  // no length field
            if marker == 0xD9 || marker == 0xDA { break }  // EOI, start of scan: headers are over
            let length = Int(try b.u16(pos, bigEndian: true))
            guard length >= 2 else { throw DocumentError.corrupt("JPEG segment with length \(length)") }
            let body = pos + 2
            switch marker {
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                let d = try b.read(body, 6)
                sof = (Int(d[0]), Int(d[1]) << 8 | Int(d[2]), Int(d[3]) << 8 | Int(d[4]), Int(d[5]))
            case 0xE0:
                let d = try b.read(body, min(length - 2, 14))
                if d.count >= 12, d.prefix(5) == [0x4A, 0x46, 0x49, 0x46, 0x00] {  // "JFIF\0"
                    let unit = d[7]
                    let x = Double(Int(d[8]) << 8 | Int(d[9])), y = Double(Int(d[10]) << 8 | Int(d[11]))
                    // Unit 0 means "aspect ratio only": no claim at all.
                    if x > 0, y > 0, unit == 1 { jfif = (x, y) }
                    if x > 0, y > 0, unit == 2 { jfif = (x * 2.54, y * 2.54) }
                }
            case 0xE1:
                let d = try b.read(body, length - 2)
                if d.count > 14, d.prefix(6) == [0x45, 0x78, 0x69, 0x66, 0x00, 0x00] {  // "Exif\0\0"
                    if let ifd = try? tiffDirectories(Bytes(array: Array(d.dropFirst(6))), firstOnly: true).first {
                        exif = ifd.claimedDpi
                    }
                }
            case 0xEE:
                let d = try b.read(body, min(length - 2, 12))
                if d.count >= 12, d.prefix(5) == [0x41, 0x64, 0x6F, 0x62, 0x65] { adobeTransform = d[11] }  // "Adobe"
            default: break
            }
            pos = body + length - 2
        }
        guard let sof else { throw DocumentError.corrupt("JPEG without a frame header (SOF)") }
        guard sof.w > 0, sof.h > 0 else {
            throw DocumentError.corrupt("JPEG whose height is deferred to a DNL marker is not supported")
        }
        let space: String
        switch sof.n {
        case 1: space = "gray"
        case 3: space = adobeTransform == 0 ? "rgb" : "ycbcr"
        case 4: space = adobeTransform == 2 ? "ycck" : "cmyk"
        default: space = "unknown"
        }
        let claim = jfif ?? exif
        return Frame(widthPx: sof.w, heightPx: sof.h, colorSpace: space,
                     colorComponents: [1, 3, 4].contains(sof.n) ? sof.n : nil,
                     bitsPerComponent: sof.precision, hasAlpha: false,
                     claimedXDpi: claim?.0, claimedYDpi: claim?.1)
    }

    // MARK: TIFF

    private struct Directory {
        var tags: [UInt16: [Double]] = [:]
        var claimedDpi: (Double, Double)? {
            guard let x = tags[282]?.first, let y = tags[283]?.first, x > 0, y > 0 else { return nil }
            switch tags[296]?.first ?? 2 {  // ResolutionUnit, default inch
            case 2: return (x, y)
            case 3: return (x * 2.54, y * 2.54)
            default: return nil  // 1 = no absolute unit
            }
        }
    }

    private static func tiff(_ b: Bytes) throws -> [Frame] {
        var frames: [Frame] = []
        for dir in try tiffDirectories(b, firstOnly: false) {
            // Bit 0 of NewSubfileType marks a reduced-resolution copy (a thumbnail), not a page.
            if let sub = dir.tags[254]?.first, Int(sub) & 1 == 1 { continue }
            guard let w = dir.tags[256]?.first, let h = dir.tags[257]?.first, w > 0, h > 0 else {
                throw DocumentError.corrupt("TIFF directory without width and height")
            }
            let spp = Int(dir.tags[277]?.first ?? 1)
            let extra = dir.tags[338]?.count ?? 0
            let (space, comps): (String, Int?) =
                switch dir.tags[262]?.first.map(Int.init) {
                case 0, 1: ("gray", 1)
                case 2: ("rgb", 3)
                case 3: ("indexed", 3)
                case 5: ("cmyk", 4)
                case 6: ("ycbcr", 3)
                case 8: ("lab", 3)
                default: (spp - extra == 1 ? "gray" : "unknown", spp - extra == 1 ? 1 : nil)
                }
            let claim = dir.claimedDpi
            frames.append(Frame(widthPx: Int(w), heightPx: Int(h), colorSpace: space, colorComponents: comps,
                                bitsPerComponent: dir.tags[258]?.first.map(Int.init) ?? 1, hasAlpha: extra > 0,
                                claimedXDpi: claim?.0, claimedYDpi: claim?.1))
        }
        guard !frames.isEmpty else { throw DocumentError.corrupt("TIFF without an image") }
        return frames
    }

    /// Walks the IFD chain, keeping only the numeric tags the inspector needs.
    private static func tiffDirectories(_ b: Bytes, firstOnly: Bool) throws -> [Directory] {
        let order = try b.read(0, 4)
        let big: Bool
        switch order {
        case [0x49, 0x49, 0x2A, 0x00]: big = false
        case [0x4D, 0x4D, 0x00, 0x2A]: big = true
        default: throw DocumentError.corrupt("not a TIFF header")
        }
        let wanted: Set<UInt16> = [254, 256, 257, 258, 262, 277, 282, 283, 296, 338]
        var dirs: [Directory] = []
        var offset = Int(try b.u32(4, bigEndian: big))
        var seen = Set<Int>()
        // Offsets form a chain a hostile file can loop or make endless: stop on repeats and at 10,000.
        while offset != 0, seen.insert(offset).inserted, dirs.count < 10_000 {
            let count = Int(try b.u16(offset, bigEndian: big))
            var dir = Directory()
            for i in 0..<count {
                let e = offset + 2 + i * 12
                let tag = try b.u16(e, bigEndian: big)
                guard wanted.contains(tag) else { continue }
                let type = try b.u16(e + 2, bigEndian: big)
                let n = min(Int(try b.u32(e + 4, bigEndian: big)), 16)
                let size: Int
                switch type {
                case 1, 6: size = 1  // BYTE, SBYTE
                case 3, 8: size = 2  // SHORT, SSHORT
                case 4, 9: size = 4  // LONG, SLONG
                case 5, 10: size = 8  // RATIONAL, SRATIONAL
                default: continue
                }
                let at = n * size <= 4 ? e + 8 : Int(try b.u32(e + 8, bigEndian: big))
                var values: [Double] = []
                for k in 0..<n {
                    let p = at + k * size
                    switch size {
                    case 1: values.append(Double(try b.read(p, 1)[0]))
                    case 2: values.append(Double(try b.u16(p, bigEndian: big)))
                    case 4: values.append(Double(try b.u32(p, bigEndian: big)))
                    default:
                        let num = Double(try b.u32(p, bigEndian: big)), den = Double(try b.u32(p + 4, bigEndian: big))
                        values.append(den == 0 ? 0 : num / den)
                    }
                }
                dir.tags[tag] = values
            }
            dirs.append(dir)
            if firstOnly { break }
            offset = Int(try b.u32(offset + 2 + count * 12, bigEndian: big))
        }
        return dirs
    }

    private static func be32(_ d: [UInt8], _ i: Int) -> UInt32 {
        UInt32(d[i]) << 24 | UInt32(d[i + 1]) << 16 | UInt32(d[i + 2]) << 8 | UInt32(d[i + 3])
    }
}

/// Random access to bytes in memory or in a file; every read is bounds-checked and a short
/// read is a `corrupt` error, so truncated or hostile headers cannot crash the parser.
struct Bytes {
    private let array: [UInt8]?
    private let handle: FileHandle?

    init(array: [UInt8]) { self.array = array; self.handle = nil }
    init(handle: FileHandle) { self.array = nil; self.handle = handle }

    func read(_ offset: Int, _ count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0 else { throw DocumentError.corrupt("negative offset") }
        if count == 0 { return [] }
        let out: [UInt8]
        if let array {
            guard offset <= array.count - count else { throw DocumentError.corrupt("header runs past the end of the file") }
            out = Array(array[offset..<offset + count])
        } else {
            try handle!.seek(toOffset: UInt64(offset))
            out = [UInt8](try handle!.read(upToCount: count) ?? Data())
            guard out.count == count else { throw DocumentError.corrupt("header runs past the end of the file") }
        }
        return out
    }

    func u16(_ offset: Int, bigEndian: Bool) throws -> UInt16 {
        let d = try read(offset, 2)
        return bigEndian ? UInt16(d[0]) << 8 | UInt16(d[1]) : UInt16(d[1]) << 8 | UInt16(d[0])
    }

    func u32(_ offset: Int, bigEndian: Bool) throws -> UInt32 {
        let d = try read(offset, 4)
        let v = d.map(UInt32.init)
        return bigEndian ? v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3] : v[3] << 24 | v[2] << 16 | v[1] << 8 | v[0]
    }
}
