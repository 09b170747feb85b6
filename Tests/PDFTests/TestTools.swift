// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Testing

@testable import PDF

/// Runs an external checker and returns (exit status, stdout + stderr). A missing tool fails
/// the test naming the Debian package to install, rather than silently skipping the check.
func runChecker(_ tool: String, package: String, _ args: [String]) async throws -> (status: Int32, output: String) {
    guard FileManager.default.isExecutableFile(atPath: tool) else {
        Issue.record("Missing \(tool): install Debian package \(package)")
        throw CocoaError(.fileNoSuchFile)
    }
    let r = try await Subprocess.run(tool, args)
    return (r.status, r.text)
}

/// Runs a Python 3 snippet with the system interpreter (Debian's, where python3-pil lives).
func runPython(_ script: String, _ args: [String]) async throws -> (status: Int32, output: String) {
    try await runChecker("/usr/bin/python3", package: "python3", ["-c", script] + args)
}

/// A scratch file holding `bytes`; the caller removes it.
func scratchFile(_ bytes: some Sequence<UInt8>, suffix: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-pdf-\(UUID().uuidString)\(suffix)")
    try Data(bytes).write(to: url)
    return url
}

/// The DejaVu fonts from Debian's fonts-dejavu-core (the same files MotCua ships).
func dejaVu(bold: Bool = false) throws -> TrueTypeFont {
    let path = "/usr/share/fonts/truetype/dejavu/DejaVuSans\(bold ? "-Bold" : "").ttf"
    guard FileManager.default.fileExists(atPath: path) else {
        Issue.record("Missing \(path): install Debian package fonts-dejavu-core")
        throw CocoaError(.fileNoSuchFile)
    }
    return try TrueTypeFont(contentsOf: URL(fileURLWithPath: path))
}

/// Table directory of an sfnt file: tag → (offset, length, stored checksum).
func sfntTables(_ bytes: [UInt8]) throws -> [String: (offset: Int, length: Int, checksum: UInt32)] {
    let r = ByteReader(bytes: bytes)
    var tables: [String: (offset: Int, length: Int, checksum: UInt32)] = [:]
    for i in 0..<Int(try r.u16(4)) {
        let rec = 12 + i * 16
        let tag = String(decoding: try r.slice(rec, 4), as: UTF8.self)
        tables[tag] = (Int(try r.u32(rec + 8)), Int(try r.u32(rec + 12)), try r.u32(rec + 4))
    }
    return tables
}

/// Occurrences of `needle` in `haystack`, as start offsets.
func occurrences(of needle: String, in haystack: [UInt8]) -> [Int] {
    let n = Array(needle.utf8)
    guard !n.isEmpty, haystack.count >= n.count else { return [] }
    var found: [Int] = []
    for i in 0...(haystack.count - n.count) where haystack[i] == n[0] && haystack[i..<(i + n.count)].elementsEqual(n) {
        found.append(i)
    }
    return found
}
