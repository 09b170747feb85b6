// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Rewrites a PDF with classic cross-reference tables (qpdf), so the signer can append a PAdES
/// incremental update. ocrmypdf and many scanners write compressed object and xref streams,
/// which the signer does not edit; the rewrite happens before any signature, so nothing signed
/// is touched, and the content, the PDF/A identification and the metadata are kept.
public enum PDFRewrite {
    public static func isAvailable() -> Bool { Tool.locate("qpdf") != nil }

    public static func classicXref(input: URL, output: URL) async throws {
        let qpdf = try Tool.require("qpdf", package: "qpdf")
        let out = try await Tool.run(qpdf, ["--object-streams=disable", "--", input.path, output.path], timeout: 120)
        // Exit 3 = written with warnings (e.g. a repaired damaged xref): still a usable file.
        guard out.status == 0 || out.status == 3 else {
            throw DocumentError.toolFailed(tool: "qpdf", status: out.status, stderr: out.stderrTail())
        }
    }
}
