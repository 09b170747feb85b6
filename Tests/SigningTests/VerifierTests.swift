// SPDX-License-Identifier: Apache-2.0
import Foundation
import Signing
import Testing
import X509

/// MotCua's verifier judged against signatures it did not make (pyHanko) and against tampering:
/// a changed byte inside a signed range and an appended revision that rewrites page 1.
@Suite(.serialized)
struct VerifierTests {
    typealias Helpers = PDFSignerTests

    // MARK: - Byte helpers (PDF offsets are byte offsets; Strings would merge CR LF)

    static func find(_ needle: String, in bytes: [UInt8], from: Int = 0) -> Int? {
        let n = Array(needle.utf8)
        var i = from
        while i + n.count <= bytes.count {
            if bytes[i] == n[0], bytes[i..<(i + n.count)].elementsEqual(n) { return i }
            i += 1
        }
        return nil
    }

    static func findLast(_ needle: String, in bytes: [UInt8], before: Int? = nil) -> Int? {
        let n = Array(needle.utf8)
        var i = min(before ?? bytes.count, bytes.count) - n.count
        while i >= 0 {
            if bytes[i] == n[0], bytes[i..<(i + n.count)].elementsEqual(n) { return i }
            i -= 1
        }
        return nil
    }

    /// The integer written right after `needle` (skipping spaces/newlines), searching from `from`.
    static func integer(after needle: String, in bytes: [UInt8], from: Int = 0, last: Bool = false) -> Int? {
        guard let at = last ? findLast(needle, in: bytes) : find(needle, in: bytes, from: from) else { return nil }
        var k = at + needle.utf8.count
        while k < bytes.count, bytes[k] == 32 || bytes[k] == 10 || bytes[k] == 13 { k += 1 }
        let s = k
        while k < bytes.count, bytes[k] >= 48, bytes[k] <= 57 { k += 1 }
        return Int(String(decoding: bytes[s..<k], as: UTF8.self))
    }

    static func pad(_ v: Int, _ w: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, w - s.count)) + s
    }

    /// Appends a hand-written incremental update with the given objects (number → body).
    static func appendRevision(to pdf: [UInt8], objects: [(Int, String)]) throws -> [UInt8] {
        let prev = try #require(integer(after: "startxref", in: pdf, last: true))
        let size = try #require(integer(after: "/Size", in: pdf, last: true))
        let trailerAt = try #require(findLast("trailer", in: pdf))
        let rootAt = try #require(find("/Root", in: pdf, from: trailerAt))
        let root = try #require(integer(after: "/Root", in: pdf, from: rootAt))
        var out = pdf
        if out.last != 10 { out.append(10) }
        var xref = "xref\n"
        var offsets: [(Int, Int)] = []
        for (n, body) in objects {
            offsets.append((n, out.count))
            out += Array("\(n) 0 obj\n\(body)\nendobj\n".utf8)
        }
        for (n, off) in offsets.sorted(by: { $0.0 < $1.0 }) {
            xref += "\(n) 1\n\(pad(off, 10)) 00000 n\r\n"
        }
        let newSize = max(size, (objects.map(\.0).max() ?? 0) + 1)
        let xrefAt = out.count
        xref += "trailer\n<</Size \(newSize) /Root \(root) 0 R /Prev \(prev)>>\nstartxref\n\(xrefAt)\n%%EOF\n"
        out += Array(xref.utf8)
        return out
    }

    /// Page 1's object number, its newest dictionary text and its content stream object number.
    static func firstPage(_ pdf: [UInt8]) throws -> (number: Int, dict: String, contents: Int) {
        let pageAt = try #require(find("/Type /Page /Parent", in: pdf))
        let header = try #require(findLast(" 0 obj", in: pdf, before: pageAt))
        var s = header
        while s > 0, pdf[s - 1] >= 48, pdf[s - 1] <= 57 { s -= 1 }
        let number = try #require(Int(String(decoding: pdf[s..<header], as: UTF8.self)))
        // The newest definition (PDFSigner rewrites page 1 to add its widget).
        let newest = try #require(findLast("\n\(number) 0 obj", in: pdf))
        let end = try #require(find("endobj", in: pdf, from: newest))
        let bodyStart = newest + "\n\(number) 0 obj".utf8.count
        let dict = String(decoding: pdf[bodyStart..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let contents = try #require(integer(after: "/Contents", in: Array(dict.utf8)))
        return (number, dict, contents)
    }

    static let forgedStream: String = {
        let content = "BT /F1 24 Tf 72 700 Td (Forged content) Tj ET"
        return "<</Length \(content.utf8.count)>>\nstream\n\(content)\nendstream"
    }()

    // MARK: - Tests

    @Test func pyHankoSignedPDFIsIntactAndTrustedOnlyWithItsCA() throws {
        try Helpers.requireTool("pyhanko", package: "the PyPI packages pyhanko pyhanko-cli")
        let ours = try Helpers.makePKI()
        let theirs = try Helpers.makePKI()  // a separate test CA, unknown to MotCua at first
        defer {
            try? FileManager.default.removeItem(at: ours.dir)
            try? FileManager.default.removeItem(at: theirs.dir)
        }
        try Helpers.samplePDF().write(to: theirs.dir.appendingPathComponent("in.pdf"))
        // Two pyHanko signatures: RSA then ECDSA P-256, each its own incremental update.
        try Helpers.run([
            "pyhanko", "sign", "addsig", "--field", "Sig1", "pemder", "--key", "rsa.key", "--cert", "rsa.pem",
            "--chain", "ca.pem", "--no-pass", "in.pdf", "one.pdf",
        ], in: theirs.dir)
        try Helpers.run([
            "pyhanko", "sign", "addsig", "--field", "Sig2", "pemder", "--key", "ec.key", "--cert", "ec.pem",
            "--chain", "ca.pem", "--no-pass", "one.pdf", "two.pdf",
        ], in: theirs.dir)
        let one = try Data(contentsOf: theirs.dir.appendingPathComponent("one.pdf"))
        let two = try Data(contentsOf: theirs.dir.appendingPathComponent("two.pdf"))

        let untrusted = PDFVerifier.verify(pdf: one, trustAnchors: [ours.ca])
        print(untrusted.reasons)
        #expect(!untrusted.valid)
        let sig = try #require(untrusted.signatures.first)
        #expect(untrusted.signatures.count == 1)
        #expect(sig.intact)
        #expect(!sig.trusted)
        #expect(sig.signerName == "Nguyễn Văn An")
        #expect(sig.fieldName == "Sig1")
        #expect(sig.coversWholeDocumentAtItsRevision)
        #expect(!sig.modifiedAfter)
        #expect(sig.signingTime != nil)
        #expect(untrusted.reasons.contains("signature 1: signer certificate does not chain to a trusted anchor"))

        let trusted = PDFVerifier.verify(pdf: one, trustAnchors: [ours.ca, theirs.ca])
        print(trusted.reasons)
        #expect(trusted.valid)
        #expect(trusted.signatures.first?.trusted == true)
        #expect(trusted.signatures.first?.chain.count == 2)
        #expect(trusted.reasons.isEmpty)

        let both = PDFVerifier.verify(pdf: two, trustAnchors: [theirs.ca])
        print(both.reasons)
        #expect(both.valid)
        #expect(both.signatures.map(\.signerName) == ["Nguyễn Văn An", "Trần Thị Bình"])
        #expect(both.signatures.map(\.fieldName) == ["Sig1", "Sig2"])
        #expect(both.signatures.allSatisfy { $0.intact && $0.trusted })
        #expect(both.signatures.first?.modifiedAfter == true)
        #expect(both.signatures.first?.laterChangesAllowed == true)
    }

    @Test func twoMotCuaSignaturesAreValid() throws {
        let pki = try Helpers.makePKI()
        defer { try? FileManager.default.removeItem(at: pki.dir) }
        let (_, twice) = try Helpers.signTwice(pki)
        let report = PDFVerifier.verify(pdf: twice, trustAnchors: [pki.ca])
        print(String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
        #expect(report.valid)
        #expect(report.reasons.isEmpty)
        #expect(report.signatures.count == 2)
        #expect(report.signatures.map(\.signerName) == ["Nguyễn Văn An", "Trần Thị Bình"])
        #expect(report.signatures.map(\.fieldName) == ["Signature1", "Signature2"])
        #expect(report.signatures.allSatisfy {
            $0.intact && $0.trusted && $0.coversWholeDocumentAtItsRevision && $0.subFilter == "ETSI.CAdES.detached"
        })
        #expect(report.signatures[0].modifiedAfter && report.signatures[0].laterChangesAllowed == true)
        #expect(!report.signatures[1].modifiedAfter && report.signatures[1].laterChangesAllowed == nil)
        // 1_790_000_000 = 2026-09-21T14:13:20Z (signTwice's date).
        #expect(report.signatures[0].signingTime == "2026-09-21T14:13:20+00:00")
        #expect(report.signatures[0].chain.count == 2)

        // The same file judged without its CA: intact, but not trusted.
        let other = try Helpers.makePKI()
        defer { try? FileManager.default.removeItem(at: other.dir) }
        let untrusted = PDFVerifier.verify(pdf: twice, trustAnchors: [other.ca])
        #expect(!untrusted.valid)
        #expect(untrusted.signatures.allSatisfy { $0.intact && !$0.trusted })
        #expect(untrusted.reasons.contains("signature 2: signer certificate does not chain to a trusted anchor"))
        let unsigned = PDFVerifier.verify(pdf: try Helpers.samplePDF(), trustAnchors: [pki.ca])
        #expect(!unsigned.valid && unsigned.reasons == ["the document has no signatures"])
    }

    @Test func aChangedByteInsideASignedRangeIsADigestMismatch() throws {
        let pki = try Helpers.makePKI()
        defer { try? FileManager.default.removeItem(at: pki.dir) }
        let (_, twice) = try Helpers.signTwice(pki)
        var bytes = [UInt8](twice)
        let at = try #require(Self.find("/Producer (MotCua)", in: bytes))
        bytes[at + 11] = UInt8(ascii: "N")
        let report = PDFVerifier.verify(pdf: Data(bytes), trustAnchors: [pki.ca])
        print(report.reasons)
        #expect(!report.valid)
        #expect(report.signatures.count == 2)
        #expect(report.signatures.allSatisfy { !$0.intact })
        #expect(report.reasons.contains("signature 1: the signed bytes were altered (digest mismatch)"))
        #expect(report.reasons.contains("signature 2: the signed bytes were altered (digest mismatch)"))
    }

    @Test func anAppendedRevisionThatRewritesPage1IsAChangeAfterSigning() throws {
        let pki = try Helpers.makePKI()
        defer { try? FileManager.default.removeItem(at: pki.dir) }
        let (_, twice) = try Helpers.signTwice(pki)
        let signed = [UInt8](twice)
        let page = try Self.firstPage(signed)

        // (1) The page's existing content stream object gets a new body.
        let replaced = try Self.appendRevision(to: signed, objects: [(page.contents, Self.forgedStream)])
        // (2) A new content stream object, and page 1 redefined to draw it.
        let size = try #require(Self.integer(after: "/Size", in: signed, last: true))
        let newPage = page.dict.replacingOccurrences(of: "/Contents \(page.contents) 0 R", with: "/Contents \(size) 0 R")
        #expect(newPage != page.dict)
        let redirected = try Self.appendRevision(to: signed, objects: [(size, Self.forgedStream), (page.number, newPage)])

        for tampered in [replaced, redirected] {
            // poppler must still open it, i.e. the update is a well-formed revision (run throws otherwise).
            let file = pki.dir.appendingPathComponent("tampered.pdf")
            try Data(tampered).write(to: file)
            try Helpers.requireTool("pdftotext", package: "the Debian package poppler-utils")
            try Helpers.run(["pdftotext", file.path, "/dev/null"])
            let report = PDFVerifier.verify(pdf: Data(tampered), trustAnchors: [pki.ca])
            print(report.reasons)
            #expect(!report.valid)
            #expect(report.signatures.allSatisfy { $0.intact && $0.trusted && $0.modifiedAfter })
            #expect(report.signatures.allSatisfy { $0.laterChangesAllowed == false })
            #expect(report.reasons.contains("document changed after signing: a revision after signature 2 changes page 1 content"))
        }
    }
}

@Suite("Verifier robustness")
struct VerifierRobustnessTests {
    @Test("deeply nested objects are refused with a reason instead of overflowing the stack")
    func deepNesting() {
        let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let pdf = "%PDF-1.7\n1 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /ByteRange [0 10 20 10] /Contents <00> /X \(nested) >>\nendobj\n%%EOF\n"
        let report = PDFVerifier.verify(pdf: Data(pdf.utf8), trustAnchors: [])
        #expect(report.valid == false)
    }
}
