// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Testing

@testable import PDF

private let zbarimgPath = "/usr/bin/zbarimg"
private let pdftoppmPath = "/usr/bin/pdftoppm"

/// Runs a tool, failing the test with the Debian package to install when it is missing.
private func runTool(_ tool: String, package: String, _ args: [String]) async throws -> (status: Int32, stdout: Data) {
    guard FileManager.default.isExecutableFile(atPath: tool) else {
        Issue.record("Missing \(tool): install Debian package \(package) (apt-get install \(package))")
        throw CocoaError(.fileNoSuchFile)
    }
    let r = try await Subprocess.run(tool, args, mergeErrors: false)
    return (r.status, r.output)
}

/// Decodes a QR code image with `zbarimg`; returns the payload text.
private func zbarDecode(_ image: URL) async throws -> String {
    let (status, data) = try await runTool(
        zbarimgPath, package: "zbar-tools", ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", image.path])
    #expect(status == 0, "zbarimg found no QR code in \(image.path)")
    var text = String(decoding: data, as: UTF8.self)
    if text.hasSuffix("\n") { text.removeLast() }
    return text
}

private func scratchDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qrtests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Binary PGM (P5) of the symbol, `scale` pixels per module, 4-module quiet zone.
private func pgm(_ qr: QRCode, scale: Int = 4) -> Data {
    let side = (qr.size + 8) * scale
    var data = Data("P5\n\(side) \(side)\n255\n".utf8)
    var row = [UInt8](repeating: 255, count: side)
    for py in 0..<side {
        let my = py / scale - 4
        for px in 0..<side {
            row[px] = qr.isDark(x: px / scale - 4, y: my) ? 0 : 255
        }
        data.append(contentsOf: row)
    }
    return data
}

private let levels: [QRCode.Level] = [.low, .medium, .quartile, .high]
private let url = "https://motcua.example/tra-cuu/000.20.03.H99-261123-0001"
private let vietnamese = "Hồ sơ đã được tiếp nhận"
/// Exactly 300 UTF-8 bytes, mixing ASCII and Vietnamese.
private let long300: String = {
    var s = "Biên nhận hồ sơ số 000.20.03.H99-261123-0001 / "
    var i = 0
    while s.utf8.count < 300 {
        s += String(i % 10)
        i += 1
    }
    return s
}()

@Suite("QR code structure")
struct QRCodeStructureTests {
    /// The 7×7 finder: dark ring, light ring, 3×3 dark centre; plus its light separator.
    private func expectFinder(_ qr: QRCode, left: Int, top: Int) {
        for dy in 0..<7 {
            for dx in 0..<7 {
                let d = max(abs(dx - 3), abs(dy - 3))
                #expect(qr.isDark(x: left + dx, y: top + dy) == (d != 2), "finder at (\(left),\(top)) +(\(dx),\(dy))")
            }
        }
        for i in -1...7 {
            for (sx, sy) in [(left + i, top - 1), (left + i, top + 7), (left - 1, top + i), (left + 7, top + i)] {
                if sx >= 0, sy >= 0, sx < qr.size, sy < qr.size {
                    #expect(!qr.isDark(x: sx, y: sy), "separator at (\(sx),\(sy))")
                }
            }
        }
    }

    @Test func version1Layout() throws {
        let qr = try QRCode.encode("HELLO", correction: .medium)
        #expect(qr.version == 1)
        #expect(qr.size == 21)
        expectFinder(qr, left: 0, top: 0)
        expectFinder(qr, left: qr.size - 7, top: 0)
        expectFinder(qr, left: 0, top: qr.size - 7)
        for i in 8..<(qr.size - 8) {
            #expect(qr.isDark(x: i, y: 6) == (i % 2 == 0), "horizontal timing at \(i)")
            #expect(qr.isDark(x: 6, y: i) == (i % 2 == 0), "vertical timing at \(i)")
        }
        #expect(qr.isDark(x: 8, y: 4 * qr.version + 9))
        // Outside the symbol is quiet zone.
        #expect(!qr.isDark(x: -1, y: 0))
        #expect(!qr.isDark(x: 0, y: qr.size))
    }

    @Test func formatInformationBothCopiesAgree() throws {
        for level in levels {
            let qr = try QRCode.encode(url, correction: level)
            var first = 0, second = 0
            let n = qr.size
            var firstCoords: [(Int, Int)] = (0...5).map { (8, $0) } + [(8, 7), (8, 8), (7, 8)]
            firstCoords += (9...14).map { (14 - $0, 8) }
            let secondCoords: [(Int, Int)] = (0...7).map { (n - 1 - $0, 8) } + (8...14).map { (8, n - 15 + $0) }
            for (i, (x, y)) in firstCoords.enumerated() where qr.isDark(x: x, y: y) { first |= 1 << i }
            for (i, (x, y)) in secondCoords.enumerated() where qr.isDark(x: x, y: y) { second |= 1 << i }
            #expect(first == second)
            // Unmask and read level + mask back.
            let data = (first ^ 0x5412) >> 10
            #expect(data & 7 == qr.mask)
            let levelBits: [QRCode.Level: Int] = [.low: 1, .medium: 0, .quartile: 3, .high: 2]
            #expect(data >> 3 == levelBits[level])
        }
    }

    @Test func knownFormatAndVersionWords() {
        // ISO/IEC 18004 Annex C/D examples: M + mask 5 → 100000011001110; version 7 → 000111110010010100.
        #expect(QRCode.formatWord(level: .medium, mask: 5) == 0b100000011001110)
        #expect(QRCode.versionWord(7) == 0b000111110010010100)
        #expect(QRCode.versionWord(40) == 0b101000110001101001)
    }

    @Test func capacityTable() {
        // Byte-mode capacities from ISO/IEC 18004 Table 7.
        #expect(QRCode.dataCodewords(version: 1, level: .low) == 19)
        #expect(QRCode.dataCodewords(version: 1, level: .high) == 9)
        #expect(QRCode.dataCodewords(version: 10, level: .medium) == 216)
        #expect(QRCode.dataCodewords(version: 40, level: .low) == 2956)
        #expect(QRCode.totalCodewords(version: 40) == 3706)
        #expect(QRCode.maximumBytes(correction: .low) == 2953)
        #expect(QRCode.maximumBytes(correction: .high) == 1273)
        #expect(QRCode.alignmentPositions(version: 32) == [6, 34, 60, 86, 112, 138])
        #expect(QRCode.alignmentPositions(version: 40) == [6, 30, 58, 86, 114, 142, 170])
        #expect(QRCode.alignmentPositions(version: 14) == [6, 26, 46, 66])
    }

    @Test func reedSolomonKnownVector() {
        // ISO/IEC 18004 Annex I: "01234567" 1-M data codewords and their 10 EC codewords.
        let data: [UInt8] = [16, 32, 12, 86, 97, 128, 236, 17, 236, 17, 236, 17, 236, 17, 236, 17]
        let ec = ReedSolomon.remainder(data, generator: ReedSolomon.generator(degree: 10))
        #expect(ec == [165, 36, 212, 193, 237, 54, 199, 135, 44, 85])
    }

    @Test func version7HasVersionInformation() throws {
        // 7-L holds 154 bytes; 6-L only 134, so 140 bytes need version 7.
        let qr = try QRCode.encode(String(repeating: "a", count: 140), correction: .low)
        #expect(qr.version == 7)
        #expect(qr.size == 45)
        let expected = QRCode.versionWord(7)
        var topRight = 0, bottomLeft = 0
        for i in 0..<18 {
            if qr.isDark(x: qr.size - 11 + i % 3, y: i / 3) { topRight |= 1 << i }
            if qr.isDark(x: i / 3, y: qr.size - 11 + i % 3) { bottomLeft |= 1 << i }
        }
        #expect(topRight == expected)
        #expect(bottomLeft == expected)
        #expect(qr.isDark(x: 8, y: 4 * 7 + 9))
        // Alignment pattern centred at (22, 22).
        #expect(qr.isDark(x: 22, y: 22))
        #expect(!qr.isDark(x: 21, y: 22))
        #expect(qr.isDark(x: 20, y: 22))
    }

    @Test func versionGrowsWithLevel() throws {
        let l = try QRCode.encode(url, correction: .low)
        let h = try QRCode.encode(url, correction: .high)
        #expect(l.version < h.version)
        #expect(l.size == 4 * l.version + 17)
    }

    @Test func tooLongThrows() {
        let text = String(repeating: "x", count: 1274)
        #expect(throws: QRCode.EncodingError.textTooLong(bytes: 1274, maximum: 1273, level: .high)) {
            try QRCode.encode(text, correction: .high)
        }
        #expect(throws: Never.self) { try QRCode.encode(String(repeating: "x", count: 1273), correction: .high) }
    }
}

@Suite("QR code decoding with zbarimg")
struct QRCodeDecodingTests {
    @Test(arguments: [url, vietnamese, long300])
    func decodesAtEveryLevel(_ payload: String) async throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, level) in levels.enumerated() {
            let qr = try QRCode.encode(payload, correction: level)
            let file = dir.appendingPathComponent("qr-\(i).pgm")
            try pgm(qr).write(to: file)
            let decoded = try await zbarDecode(file)
            #expect(decoded == payload, "level \(level), version \(qr.version), mask \(qr.mask)")
        }
    }

    @Test func long300IsExactly300Bytes() {
        #expect(long300.utf8.count == 300)
    }

    @Test func decodesEveryMaskAndManyVersions() async throws {
        // Lengths chosen to walk versions 1 … 25 at level M (and so every mask choice path).
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var versions = Set<Int>(), masks = Set<Int>()
        for length in stride(from: 5, through: 600, by: 25) {
            let payload = String((0..<length).map { Character(UnicodeScalar(UInt8(33 + ($0 * 7) % 90))) })
            let qr = try QRCode.encode(payload, correction: .medium)
            versions.insert(qr.version)
            masks.insert(qr.mask)
            let file = dir.appendingPathComponent("v\(qr.version).pgm")
            try pgm(qr).write(to: file)
            #expect(try await zbarDecode(file) == payload, "version \(qr.version), mask \(qr.mask)")
        }
        #expect(versions.count >= 15)
        #expect(masks.count >= 3, "penalty scoring should not always pick the same mask: \(masks.sorted())")
    }

    @Test func largeVersionsUpTo40() async throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var versions = Set<Int>()
        for length in [700, 1000, 1300, 1600, 1900, 2200, 2500, 2800, 2953] {
            let payload = String((0..<length).map { Character(UnicodeScalar(UInt8(48 + ($0 * 13) % 75))) })
            let qr = try QRCode.encode(payload, correction: .low)
            versions.insert(qr.version)
            let file = dir.appendingPathComponent("v\(qr.version).pgm")
            try pgm(qr).write(to: file)
            #expect(try await zbarDecode(file) == payload, "version \(qr.version), mask \(qr.mask)")
        }
        #expect(versions.contains(40))
    }

    @Test func everyMaskDecodes() async throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for mask in 0..<8 {
            for payload in [url, long300] {
                let qr = try QRCode.encode(bytes: Array(payload.utf8), correction: .quartile, forcedMask: mask)
                #expect(qr.mask == mask)
                let file = dir.appendingPathComponent("m\(mask).pgm")
                try pgm(qr).write(to: file)
                #expect(try await zbarDecode(file) == payload, "forced mask \(mask), version \(qr.version)")
            }
        }
    }

    @Test func pdfPageRenderedByPoppler() async throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var doc = PDFDocument(fonts: [:], title: "QR")
        doc.addPage()
        // Some content under the QR area to prove the quiet zone is painted white.
        try doc.drawRect(x: 380, y: 600, width: 200, height: 200, lineWidth: 0, fillGray: 0.5)
        let qr = try QRCode.encode(url, correction: .medium)
        try doc.drawQRCode(qr, x: 400, y: 620, size: 120)
        let pdf = dir.appendingPathComponent("qr.pdf")
        try doc.data().write(to: pdf)
        let prefix = dir.appendingPathComponent("page").path
        let (status, _) = try await runTool(
            pdftoppmPath, package: "poppler-utils", ["-r", "150", "-png", "-singlefile", pdf.path, prefix])
        #expect(status == 0)
        #expect(try await zbarDecode(URL(fileURLWithPath: prefix + ".png")) == url)
    }

    @Test func drawingWithoutPageThrows() throws {
        var doc = PDFDocument(fonts: [:])
        let qr = try QRCode.encode("x")
        #expect(throws: PDFError.noPage) { try doc.drawQRCode(qr, x: 0, y: 0, size: 100) }
    }
}
