// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A QR Code symbol (ISO/IEC 18004 Model 2), encoded from text in byte mode (UTF-8).
///
/// Written from the specification: Reed–Solomon error correction over GF(256) with the
/// standard generator polynomials, block interleaving per the version/level table, function
/// patterns (finders, separators, timing, alignment), BCH-protected format and version
/// information, and the mask with the lowest penalty score among all eight.
///
/// Modules are addressed with `x` as the column and `y` as the row, both from the top-left
/// corner, `0 ..< size`. The symbol excludes the quiet zone (4 light modules on each side),
/// which renderers must add.
public struct QRCode: Sendable, Equatable {
    /// Error-correction level: the share of codewords that can be restored.
    public enum Level: Sendable, CaseIterable, Equatable {
        /// About 7 % recovery (L).
        case low
        /// About 15 % recovery (M).
        case medium
        /// About 25 % recovery (Q).
        case quartile
        /// About 30 % recovery (H).
        case high

        /// Row index into the error-correction tables.
        fileprivate var tableIndex: Int {
            switch self {
            case .low: 0
            case .medium: 1
            case .quartile: 2
            case .high: 3
            }
        }

        /// The two format-information bits (L = 01, M = 00, Q = 11, H = 10).
        fileprivate var formatBits: Int {
            switch self {
            case .low: 1
            case .medium: 0
            case .quartile: 3
            case .high: 2
            }
        }
    }

    /// Errors raised by ``QRCode/encode(_:correction:)``.
    public enum EncodingError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The UTF-8 text does not fit in a version-40 symbol at this level.
        case textTooLong(bytes: Int, maximum: Int, level: Level)

        public var description: String {
            switch self {
            case .textTooLong(let bytes, let maximum, let level):
                "QR code text too long: \(bytes) UTF-8 bytes, at most \(maximum) fit at level \(level)"
            }
        }
    }

    /// Version number, 1 … 40.
    public let version: Int
    /// Error-correction level used.
    public let correction: Level
    /// Mask pattern chosen, 0 … 7.
    public let mask: Int
    /// Modules per side: `4 × version + 17` (21 for version 1, 177 for version 40).
    public let size: Int
    /// Row-major modules, `true` = dark.
    private let modules: [Bool]

    /// Whether the module at column `x`, row `y` (from the top-left) is dark.
    /// Coordinates outside the symbol are light (quiet zone).
    public func isDark(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    /// Most UTF-8 bytes a symbol can hold at `level` (version 40, byte mode).
    public static func maximumBytes(correction level: Level) -> Int {
        let bits = dataCodewords(version: 40, level: level) * 8 - 4 - 16
        return bits / 8
    }

    /// Encodes `text` as UTF-8 in byte mode, choosing the smallest version that fits.
    ///
    /// - Throws: ``EncodingError/textTooLong(bytes:maximum:level:)`` when even version 40
    ///   is too small.
    public static func encode(_ text: String, correction: Level = .medium) throws -> QRCode {
        try encode(bytes: Array(text.utf8), correction: correction)
    }

    /// Encodes raw bytes in byte mode, choosing the smallest version that fits.
    public static func encode(bytes: [UInt8], correction: Level = .medium) throws -> QRCode {
        try encode(bytes: bytes, correction: correction, forcedMask: nil)
    }

    /// Encoder entry point; `forcedMask` (tests only) skips the penalty evaluation.
    static func encode(bytes: [UInt8], correction: Level, forcedMask: Int?) throws -> QRCode {
        guard let version = (1...40).first(where: { v in
            4 + countBits(version: v) + bytes.count * 8 <= dataCodewords(version: v, level: correction) * 8
        }) else {
            throw EncodingError.textTooLong(
                bytes: bytes.count, maximum: maximumBytes(correction: correction), level: correction)
        }
        let codewords = buildCodewords(bytes, version: version, level: correction)
        var matrix = Matrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.placeData(codewords)

        // Evaluate all eight masks and keep the lowest penalty (ties: lowest mask number).
        var best: (mask: Int, penalty: Int, modules: [Bool])?
        for mask in forcedMask.map({ [$0] }) ?? Array(0..<8) {
            var candidate = matrix
            candidate.applyMask(mask)
            candidate.drawFormatInfo(level: correction, mask: mask)
            let penalty = candidate.penalty()
            if best == nil || penalty < best!.penalty {
                best = (mask, penalty, candidate.dark)
            }
        }
        let chosen = best!
        return QRCode(
            version: version, correction: correction, mask: chosen.mask, size: matrix.size,
            modules: chosen.modules)
    }

    // MARK: - Capacity tables (ISO/IEC 18004, Table 9)

    /// Error-correction codewords per block, by level (L, M, Q, H) then version − 1.
    private static let ecCodewordsPerBlock: [[Int]] = [
        [7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    /// Number of error-correction blocks, by level (L, M, Q, H) then version − 1.
    private static let blockCount: [[Int]] = [
        [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    /// Alignment-pattern centre coordinates (both axes) for `version`.
    /// Evenly spaced from the far edge back towards 6 with an even step (version 32 is the
    /// one irregular entry in the specification's table).
    static func alignmentPositions(version: Int) -> [Int] {
        guard version >= 2 else { return [] }
        let size = version * 4 + 17
        let count = version / 7 + 2
        var step: Int
        if version == 32 {
            step = 26
        } else {
            step = (size - 13 + count - 2) / (count - 1)  // ceil((size − 13) / (count − 1))
            if step % 2 == 1 { step += 1 }
        }
        var positions = [6]
        var p = size - 7 - step * (count - 2)
        for _ in 0..<(count - 1) {
            positions.append(p)
            p += step
        }
        return positions
    }

    /// Modules available for data and error correction (everything but function patterns,
    /// format and version information).
    static func rawDataModules(version v: Int) -> Int {
        let size = v * 4 + 17
        var n = size * size
        n -= 3 * 64  // finders with separators
        n -= 2 * (size - 16)  // timing patterns, between the separators
        n -= 31  // format information (2 × 15) and the dark module
        let align = alignmentPositions(version: v).count
        if align > 0 {
            n -= (align * align - 3) * 25  // alignment patterns not overlapping finders
            n += 2 * (align - 2) * 5  // their overlap with the timing patterns
        }
        if v >= 7 { n -= 36 }  // version information (2 × 18)
        return n
    }

    static func totalCodewords(version: Int) -> Int { rawDataModules(version: version) / 8 }

    static func dataCodewords(version: Int, level: Level) -> Int {
        let i = level.tableIndex
        return totalCodewords(version: version)
            - ecCodewordsPerBlock[i][version - 1] * blockCount[i][version - 1]
    }

    /// Width of the byte-mode character count indicator.
    private static func countBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// The 15-bit masked format information word for `level` and `mask`.
    static func formatWord(level: Level, mask: Int) -> Int { Matrix.formatBits(level: level, mask: mask) }

    /// The 18-bit version information word (meaningful for versions ≥ 7).
    static func versionWord(_ version: Int) -> Int { Matrix.versionBits(version) }

    // MARK: - Data codewords and error correction

    private static func buildCodewords(_ bytes: [UInt8], version: Int, level: Level) -> [UInt8] {
        let capacityBits = dataCodewords(version: version, level: level) * 8
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)  // byte mode
        bits.append(bytes.count, count: countBits(version: version))
        for b in bytes { bits.append(Int(b), count: 8) }
        bits.append(0, count: min(4, capacityBits - bits.count))  // terminator
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var data = bits.bytes()
        var pad: UInt8 = 0xEC
        while data.count * 8 < capacityBits {
            data.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }

        // Split into blocks: the first ones are one data codeword shorter.
        let i = level.tableIndex
        let blocks = blockCount[i][version - 1]
        let ecLen = ecCodewordsPerBlock[i][version - 1]
        let total = totalCodewords(version: version)
        let shortBlocks = blocks - total % blocks
        let shortDataLen = total / blocks - ecLen
        let generator = ReedSolomon.generator(degree: ecLen)
        var dataBlocks: [[UInt8]] = []
        var ecBlocks: [[UInt8]] = []
        var offset = 0
        for b in 0..<blocks {
            let len = shortDataLen + (b < shortBlocks ? 0 : 1)
            let block = Array(data[offset..<offset + len])
            offset += len
            dataBlocks.append(block)
            ecBlocks.append(ReedSolomon.remainder(block, generator: generator))
        }

        // Interleave: codeword k of every block in turn, data first, then error correction.
        var result: [UInt8] = []
        result.reserveCapacity(total)
        for k in 0...shortDataLen {
            for block in dataBlocks where k < block.count { result.append(block[k]) }
        }
        for k in 0..<ecLen {
            for block in ecBlocks { result.append(block[k]) }
        }
        return result
    }

    private init(version: Int, correction: Level, mask: Int, size: Int, modules: [Bool]) {
        self.version = version
        self.correction = correction
        self.mask = mask
        self.size = size
        self.modules = modules
    }
}

// MARK: - Bits

private struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        guard count > 0 else { return }
        for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
    }

    func bytes() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
        for (i, bit) in bits.enumerated() where bit { out[i / 8] |= 0x80 >> UInt8(i % 8) }
        return out
    }
}

// MARK: - Reed–Solomon over GF(2^8), primitive polynomial x^8 + x^4 + x^3 + x^2 + 1

enum ReedSolomon {
    /// exp[i] = α^i (doubled so products need no modulo); log[α^i] = i.
    static let tables: (exp: [UInt8], log: [Int]) = {
        var exp = [UInt8](repeating: 0, count: 512)
        var log = [Int](repeating: 0, count: 256)
        var x = 1
        for i in 0..<255 {
            exp[i] = UInt8(x)
            log[x] = i
            x <<= 1
            if x & 0x100 != 0 { x ^= 0x11D }
        }
        for i in 255..<512 { exp[i] = exp[i - 255] }
        return (exp, log)
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return tables.exp[tables.log[Int(a)] + tables.log[Int(b)]]
    }

    /// Coefficients of (x − α^0)(x − α^1)…(x − α^(degree−1)), highest power first,
    /// leading 1 omitted.
    static func generator(degree: Int) -> [UInt8] {
        var poly: [UInt8] = [1]  // highest power first
        for i in 0..<degree {
            let root = tables.exp[i]
            var next = [UInt8](repeating: 0, count: poly.count + 1)
            for (j, c) in poly.enumerated() {
                next[j] ^= c  // c · x
                next[j + 1] ^= multiply(c, root)  // c · α^i (subtraction = addition)
            }
            poly = next
        }
        return Array(poly.dropFirst())
    }

    /// Remainder of data(x) · x^n divided by the generator (n = generator degree).
    static func remainder(_ data: [UInt8], generator: [UInt8]) -> [UInt8] {
        var rem = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ rem[0]
            rem.removeFirst()
            rem.append(0)
            for j in 0..<generator.count { rem[j] ^= multiply(generator[j], factor) }
        }
        return rem
    }
}

// MARK: - Module matrix

fileprivate struct Matrix {
    let version: Int
    let size: Int
    var dark: [Bool]
    /// Function-pattern modules (never masked, never carrying data).
    var reserved: [Bool]

    init(version: Int) {
        self.version = version
        size = version * 4 + 17
        dark = [Bool](repeating: false, count: size * size)
        reserved = dark
    }

    mutating func set(_ x: Int, _ y: Int, _ value: Bool) {
        dark[y * size + x] = value
        reserved[y * size + x] = true
    }

    mutating func drawFunctionPatterns() {
        // Timing patterns (row 6 and column 6), drawn first so finders overwrite their ends.
        for i in 0..<size {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        drawFinder(3, 3)
        drawFinder(size - 4, 3)
        drawFinder(3, size - 4)

        let positions = QRCode.alignmentPositions(version: version)
        let last = positions.count - 1
        for (i, cx) in positions.enumerated() {
            for (j, cy) in positions.enumerated() {
                // Skip the three corners occupied by finder patterns.
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                for dy in -2...2 {
                    for dx in -2...2 { set(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }

        // Reserve format areas (filled per mask later) and the dark module.
        drawFormatInfo(level: .medium, mask: 0)
        drawVersionInfo()
    }

    /// Finder pattern (7×7) centred at (cx, cy) plus its light separator ring.
    private mutating func drawFinder(_ cx: Int, _ cy: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = cx + dx, y = cy + dy
                guard x >= 0, y >= 0, x < size, y < size else { continue }
                let d = max(abs(dx), abs(dy))
                set(x, y, d != 2 && d != 4)
            }
        }
    }

    /// 15-bit format information: level and mask, BCH(15, 5), XOR 101010000010010.
    static func formatBits(level: QRCode.Level, mask: Int) -> Int {
        let data = level.formatBits << 3 | mask
        var rem = data << 10
        for i in stride(from: 14, through: 10, by: -1) where (rem >> i) & 1 == 1 {
            rem ^= 0x537 << (i - 10)
        }
        return (data << 10 | rem) ^ 0x5412
    }

    mutating func drawFormatInfo(level: QRCode.Level, mask: Int) {
        let bits = Matrix.formatBits(level: level, mask: mask)
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        // Copy around the top-left finder: down column 8, then leftwards along row 8.
        for i in 0...5 { set(8, i, bit(i)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for i in 9...14 { set(14 - i, 8, bit(i)) }
        // Second copy: row 8 under the top-right finder, column 8 beside the bottom-left one.
        for i in 0...7 { set(size - 1 - i, 8, bit(i)) }
        for i in 8...14 { set(8, size - 15 + i, bit(i)) }
        set(8, size - 8, true)  // the dark module at (8, 4V + 9)
    }

    /// 18-bit version information (versions ≥ 7): version, BCH(18, 6) with 0x1F25.
    static func versionBits(_ version: Int) -> Int {
        var rem = version << 12
        for i in stride(from: 17, through: 12, by: -1) where (rem >> i) & 1 == 1 {
            rem ^= 0x1F25 << (i - 12)
        }
        return version << 12 | rem
    }

    private mutating func drawVersionInfo() {
        guard version >= 7 else { return }
        let bits = Matrix.versionBits(version)
        for i in 0..<18 {
            let b = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3, c = i / 3
            set(a, c, b)  // top-right block: 3 columns × 6 rows
            set(c, a, b)  // bottom-left block: 6 columns × 3 rows
        }
    }

    /// Places the codeword bits in the zig-zag order: two-column strips from the right,
    /// alternately upwards and downwards, skipping the vertical timing column.
    mutating func placeData(_ codewords: [UInt8]) {
        let totalBits = codewords.count * 8
        var index = 0
        var right = size - 1
        var upward = true
        while right >= 1 {
            if right == 6 { right = 5 }
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !reserved[y * size + x] {
                    if index < totalBits {
                        dark[y * size + x] = (codewords[index >> 3] >> (7 - UInt8(index & 7))) & 1 == 1
                        index += 1
                    }  // remainder bits stay light
                }
            }
            upward.toggle()
            right -= 2
        }
    }

    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !reserved[y * size + x] {
                let flip: Bool
                switch mask {
                case 0: flip = (y + x) % 2 == 0
                case 1: flip = y % 2 == 0
                case 2: flip = x % 3 == 0
                case 3: flip = (y + x) % 3 == 0
                case 4: flip = (y / 2 + x / 3) % 2 == 0
                case 5: flip = (y * x) % 2 + (y * x) % 3 == 0
                case 6: flip = ((y * x) % 2 + (y * x) % 3) % 2 == 0
                default: flip = ((y + x) % 2 + (y * x) % 3) % 2 == 0
                }
                if flip { dark[y * size + x].toggle() }
            }
        }
    }

    /// Penalty score per ISO/IEC 18004 §7.8.3 (rules N1 = 3, N2 = 3, N3 = 40, N4 = 10).
    func penalty() -> Int {
        var score = 0
        func at(_ x: Int, _ y: Int) -> Bool { dark[y * size + x] }

        // N1: runs of five or more same-coloured modules in a row or column.
        // N3: 1:1:3:1:1 finder-like pattern with four light modules on either side.
        let finderA: [Bool] = [true, false, true, true, true, false, true, false, false, false, false]
        let finderB: [Bool] = finderA.reversed()
        for horizontal in [true, false] {
            for line in 0..<size {
                var run = 1
                var previous = horizontal ? at(0, line) : at(line, 0)
                var values = [Bool]()
                values.reserveCapacity(size)
                values.append(previous)
                for i in 1..<size {
                    let v = horizontal ? at(i, line) : at(line, i)
                    values.append(v)
                    if v == previous {
                        run += 1
                    } else {
                        if run >= 5 { score += 3 + run - 5 }
                        run = 1
                        previous = v
                    }
                }
                if run >= 5 { score += 3 + run - 5 }
                if size >= 11 {
                    for start in 0...(size - 11) {
                        var matchA = true, matchB = true
                        for k in 0..<11 {
                            let v = values[start + k]
                            if v != finderA[k] { matchA = false }
                            if v != finderB[k] { matchB = false }
                            if !matchA && !matchB { break }
                        }
                        if matchA { score += 40 }
                        if matchB { score += 40 }
                    }
                }
            }
        }

        // N2: 2×2 blocks of one colour.
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = at(x, y)
                if c == at(x + 1, y) && c == at(x, y + 1) && c == at(x + 1, y + 1) { score += 3 }
            }
        }

        // N4: 10 points per full 5 % the dark share deviates from 50 %.
        let darkCount = dark.reduce(0) { $0 + ($1 ? 1 : 0) }
        let total = size * size
        let deviation = abs(darkCount * 20 - total * 10)  // = |dark/total − ½| × 20 × total
        score += (deviation / total) * 10
        return score
    }
}
