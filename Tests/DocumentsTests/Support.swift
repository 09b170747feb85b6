// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import Documents

/// Fixture generation and tool checks shared by the Documents tests. Tools are required, not
/// optional: `make test` installs them, so a missing one is a failure that names the package.
enum Fixtures {
    /// scripts/fixtures/make_scan.py, found from this file's real location (the test directory
    /// may be reached through a symlink).
    static let script: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/fixtures/make_scan.py")

    /// A fresh directory for one test's files.
    static func directory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-docs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The interpreter that sees Debian's python3-pil: /usr/bin/python3 first, because a pyenv or
    /// venv python3 earlier on PATH does not see Debian's dist-packages.
    static func python() async throws -> URL {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] + (Tool.locate("python3").map { [$0.path] } ?? []) {
            let url = URL(fileURLWithPath: candidate)
            guard FileManager.default.isExecutableFile(atPath: url.path) else { continue }
            let probe = try await Tool.run(url, ["-c", "import PIL"], timeout: 30)
            if probe.status == 0 { return url }
        }
        throw FixtureError("no python3 with Pillow: install the Debian package python3-pil (and fonts-dejavu-core)")
    }

    /// Runs make_scan.py: `make("good.pdf", "--dpi", "300")`.
    static func make(_ name: String, in dir: URL, _ args: String...) async throws -> URL {
        let out = dir.appendingPathComponent(name)
        let result = try await Tool.run(try await python(), [script.path, out.path] + args, timeout: 120)
        guard result.status == 0 else { throw FixtureError("make_scan.py \(name) \(args) failed: \(result.stderrTail())") }
        return out
    }

    /// Fails the test with the Debian package to install when a tool is absent.
    static func require(_ tool: String, package: String) throws {
        if Tool.locate(tool) == nil { throw FixtureError("\(tool) is missing: install the Debian package \(package)") }
    }

    static func requirePoppler() throws {
        for t in ["pdfinfo", "pdfimages", "pdftotext", "pdftoppm"] { try require(t, package: "poppler-utils") }
    }

    static func requireOCR() throws {
        guard OCR.isAvailable() else { throw FixtureError("OCR is missing: install the Debian packages ocrmypdf and tesseract-ocr-vie") }
    }

    static func rules() throws -> QCRules { try QCRules.bundled() }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Vietnamese search folding as the search issue describes it: case and diacritics removed,
/// and đ/Đ → d, which Unicode decomposition does not do.
func fold(_ s: String) -> String {
    s.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
        .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        .lowercased()
        .split(whereSeparator: \.isWhitespace).joined(separator: " ")
}
