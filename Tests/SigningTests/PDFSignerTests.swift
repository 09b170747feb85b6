// SPDX-License-Identifier: Apache-2.0
import Foundation
import PDF
import Signing
import Testing
import X509

/// End-to-end PAdES tests: certificates from a throw-away CA made with the `openssl` CLI, a PDF
/// from the project's writer, two successive signatures, and independent validators (poppler's
/// `pdfsig` through NSS, and pyHanko) as judges — our own code never grades itself here.
@Suite(.serialized)
struct PDFSignerTests {
    /// A dev PKI in a temporary directory: `ca.pem`, an RSA-2048 and a P-256 leaf, and an NSS
    /// database trusting the CA for pdfsig.
    struct PKI {
        let dir: URL
        let ca: Certificate
        let rsaChain: [Certificate]
        let rsaKey: Certificate.PrivateKey
        let ecChain: [Certificate]
        let ecKey: Certificate.PrivateKey
        var caPEM: String { dir.appendingPathComponent("ca.pem").path }
        var nssDB: String { "sql:" + dir.appendingPathComponent("nss").path }
    }

    // MARK: - Helpers

    struct ToolFailure: Error, CustomStringConvertible {
        let description: String
    }

    @discardableResult
    static func run(_ args: [String], in dir: URL? = nil, allowFailure: Bool = false) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        if let dir { p.currentDirectoryURL = dir }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        if p.terminationStatus != 0 && !allowFailure {
            throw ToolFailure(description: "\(args.joined(separator: " ")) exited \(p.terminationStatus):\n\(output)")
        }
        return (p.terminationStatus, output)
    }

    /// Fails (never skips) with the package that provides a missing tool: these checks are the
    /// acceptance criteria, so a silent skip would hide a broken environment.
    static func requireTool(_ tool: String, package: String) throws {
        guard (try? run(["which", tool]))?.status == 0 else {
            throw ToolFailure(description: "'\(tool)' not found: install \(package)")
        }
    }

    static func makePKI() throws -> PKI {
        try requireTool("openssl", package: "the Debian package openssl")
        try requireTool("certutil", package: "the Debian package libnss3-tools")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("signing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try run([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "30", "-utf8", "-subj", "/C=VN/O=MotCua Test/CN=MotCua Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ], in: dir)
        // Signing certificates: digitalSignature + nonRepudiation, as Vietnamese and EU signing
        // certificates carry; the subject is Vietnamese to exercise UTF-8 names end to end.
        try "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
            .write(to: dir.appendingPathComponent("leaf.ext"), atomically: true, encoding: .utf8)
        for (name, keySpec, cn) in [
            ("rsa", ["-newkey", "rsa:2048"], "Nguyễn Văn An"), ("ec", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"], "Trần Thị Bình"),
        ] {
            try run(["openssl", "req"] + keySpec + [
                "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr", "-utf8", "-subj", "/C=VN/O=UBND Phường Test/CN=\(cn)",
            ], in: dir)
            try run([
                "openssl", "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "30", "-sha256", "-extfile", "leaf.ext", "-out", "\(name).pem",
            ], in: dir)
        }
        func cert(_ f: String) throws -> Certificate {
            try Certificate(pemEncoded: String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8))
        }
        func key(_ f: String) throws -> Certificate.PrivateKey {
            try Certificate.PrivateKey(pemEncoded: String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8))
        }
        let ca = try cert("ca.pem")
        let nss = dir.appendingPathComponent("nss")
        try FileManager.default.createDirectory(at: nss, withIntermediateDirectories: true)
        try run(["certutil", "-N", "-d", "sql:" + nss.path, "--empty-password"])
        try run(["certutil", "-A", "-d", "sql:" + nss.path, "-n", "ca", "-t", "CT,C,C", "-i", dir.appendingPathComponent("ca.pem").path])
        return PKI(
            dir: dir, ca: ca, rsaChain: [try cert("rsa.pem"), ca], rsaKey: try key("rsa.key"),
            ecChain: [try cert("ec.pem"), ca], ecKey: try key("ec.key"))
    }

    static func samplePDF() throws -> Data {
        let font = try TrueTypeFont(contentsOf: URL(fileURLWithPath: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
        var doc = PDFDocument(fonts: ["DejaVuSans": font], title: "Phiếu tiếp nhận")
        doc.addPage()
        try doc.drawText("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", x: 72, y: 760, font: "DejaVuSans", size: 14)
        try doc.drawText("Người nộp: Nguyễn Thị Hồng Nhung", x: 72, y: 730, font: "DejaVuSans", size: 11)
        doc.addPage()
        try doc.drawText("Trang 2", x: 72, y: 760, font: "DejaVuSans", size: 11)
        return doc.data()
    }

    static func signTwice(_ pki: PKI) throws -> (once: Data, twice: Data) {
        let date = Date(timeIntervalSince1970: 1_790_000_000)
        let once = try PDFSigner.sign(
            pdf: samplePDF(), certificateChain: pki.rsaChain, privateKey: pki.rsaKey,
            signerName: "Nguyễn Văn An", reason: "Tiếp nhận hồ sơ", location: "UBND Phường Test", at: date)
        let twice = try PDFSigner.sign(
            pdf: once, certificateChain: pki.ecChain, privateKey: pki.ecKey,
            signerName: "Trần Thị Bình", reason: "Phê duyệt kết quả", location: nil, at: date.addingTimeInterval(60))
        return (once, twice)
    }

    static func occurrences(of needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    // MARK: - Tests

    @Test func pdfsigAcceptsTwoSuccessiveSignatures() throws {
        try Self.requireTool("pdfsig", package: "the Debian package poppler-utils")
        let pki = try Self.makePKI()
        defer { try? FileManager.default.removeItem(at: pki.dir) }
        let (once, twice) = try Self.signTwice(pki)
        // The first revision must survive byte for byte: that is what keeps signature 1 valid.
        #expect(twice.prefix(once.count) == once)
        let file = pki.dir.appendingPathComponent("twice.pdf")
        try twice.write(to: file)
        let out = try Self.run(["pdfsig", "-nssdir", pki.nssDB, file.path]).output
        print(out)
        #expect(out.contains("Signature #2"))
        #expect(Self.occurrences(of: "Signature is Valid.", in: out) == 2)
        #expect(Self.occurrences(of: "Certificate is Trusted.", in: out) == 2)
        #expect(out.contains("ETSI.CAdES.detached"))
        // Only the last signature covers the whole file; nothing was appended after it.
        let sections = out.components(separatedBy: "Signature #")
        #expect(sections.count == 3)
        #expect(sections.dropFirst().first?.contains("Not total document signed") == true)
        #expect(sections.last?.contains("  - Total document signed") == true)

        let textOut = try Self.run(["pdftotext", file.path, "-"]).output
        #expect(textOut.contains("Người nộp: Nguyễn Thị Hồng Nhung"))
    }

    @Test func pyHankoAcceptsTwoSuccessiveSignatures() throws {
        try Self.requireTool("pyhanko", package: "the PyPI packages pyhanko pyhanko-certvalidator pyhanko-cli")
        let pki = try Self.makePKI()
        defer { try? FileManager.default.removeItem(at: pki.dir) }
        let (_, twice) = try Self.signTwice(pki)
        let file = pki.dir.appendingPathComponent("twice.pdf")
        try twice.write(to: file)
        let result = try Self.run(["pyhanko", "sign", "validate", "--trust-replace", "--trust", pki.caPEM, file.path], allowFailure: true)
        print(result.output)
        #expect(result.status == 0)
        // Summary lines look like `Signature1:<sha256>:INTACT:TRUSTED,...`.
        let lines = result.output.split(separator: "\n").filter { $0.hasPrefix("Signature") }
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains(":INTACT:TRUSTED") })
        let pretty = try Self.run(
            ["pyhanko", "sign", "validate", "--pretty-print", "--trust-replace", "--trust", pki.caPEM, file.path], allowFailure: true)
        print(pretty.output)
        #expect(pretty.status == 0)
        #expect(Self.occurrences(of: "The signature is cryptographically sound.", in: pretty.output) == 2)
        #expect(Self.occurrences(of: "judged VALID", in: pretty.output) == 2)
    }

    /// Inputs from another writer (qpdf): a classic-xref rewrite signs three times and stays
    /// valid; the same file with an xref stream is refused with the specific error.
    @Test func foreignClassicPDFThreeSignaturesAndRealXrefStream() throws {
        try Self.requireTool("pdfsig", package: "the Debian package poppler-utils")
        try Self.requireTool("qpdf", package: "the Debian package qpdf")
        try Self.requireTool("pyhanko", package: "the PyPI packages pyhanko pyhanko-certvalidator pyhanko-cli")
        let pki = try Self.makePKI()
        defer { try? FileManager.default.removeItem(at: pki.dir) }
        try Self.samplePDF().write(to: pki.dir.appendingPathComponent("ours.pdf"))
        try Self.run(["qpdf", "--object-streams=disable", "ours.pdf", "classic.pdf"], in: pki.dir)
        try Self.run(["qpdf", "--object-streams=generate", "ours.pdf", "streams.pdf"], in: pki.dir)

        var pdf = try Data(contentsOf: pki.dir.appendingPathComponent("classic.pdf"))
        for (i, (chain, key)) in [(pki.rsaChain, pki.rsaKey), (pki.ecChain, pki.ecKey), (pki.rsaChain, pki.rsaKey)].enumerated() {
            pdf = try PDFSigner.sign(
                pdf: pdf, certificateChain: chain, privateKey: key, signerName: "Người ký \(i + 1)",
                reason: nil, location: nil, at: Date())
        }
        let file = pki.dir.appendingPathComponent("three.pdf")
        try pdf.write(to: file)
        let out = try Self.run(["pdfsig", "-nssdir", pki.nssDB, file.path]).output
        print(out)
        #expect(Self.occurrences(of: "Signature is Valid.", in: out) == 3)
        // pdfsig (poppler 22.12 + NSS) reports "Unknown issue with Certificate" for the second
        // signature by the *same* certificate in one file — pyHanko's own signatures show the
        // same — so certificate trust for the repeated signer is judged by pyHanko instead.
        #expect(Self.occurrences(of: "Certificate is Trusted.", in: out) >= 2)
        let hanko = try Self.run(["pyhanko", "sign", "validate", "--trust-replace", "--trust", pki.caPEM, file.path], allowFailure: true)
        print(hanko.output)
        #expect(hanko.status == 0)
        let lines = hanko.output.split(separator: "\n").filter { $0.hasPrefix("Signature") }
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.contains(":INTACT:TRUSTED") })

        let streams = try Data(contentsOf: pki.dir.appendingPathComponent("streams.pdf"))
        #expect(throws: PDFSignerError.xrefStreamUnsupported) {
            try PDFSigner.sign(
                pdf: streams, certificateChain: pki.rsaChain, privateKey: pki.rsaKey, signerName: "x",
                reason: nil, location: nil, at: Date())
        }
    }

    /// The DER CMS from the last `/Contents` hex string, without the zero padding.
    static func lastCMS(_ pdf: Data) throws -> (cms: Data, signedContent: Data) {
        let bytes = [UInt8](pdf)
        let text = String(decoding: bytes, as: UTF8.self)
        let range = try #require(text.range(of: "/ByteRange [", options: .backwards))
        let numbers = text[range.upperBound...].prefix { $0 != "]" }.split(separator: " ").compactMap { Int($0) }
        try #require(numbers.count == 4)
        let hex = Array(bytes[(numbers[1] + 1)..<(numbers[2] - 1)])
        var der: [UInt8] = []
        var i = 0
        while i + 1 < hex.count {
            der.append(UInt8(String(decoding: hex[i...(i + 1)], as: UTF8.self), radix: 16)!)
            i += 2
        }
        // Trim to the outer SEQUENCE's length: the rest is placeholder padding.
        let lengthBytes = der[1] & 0x80 == 0 ? 0 : Int(der[1] & 0x7F)
        var length = lengthBytes == 0 ? Int(der[1]) : 0
        for k in 0..<lengthBytes { length = length << 8 | Int(der[2 + k]) }
        let cms = Data(der.prefix(2 + lengthBytes + length))
        let content = Data(bytes[numbers[0]..<(numbers[0] + numbers[1])] + bytes[numbers[2]..<(numbers[2] + numbers[3])])
        return (cms, content)
    }

    @Test func opensslVerifiesTheCMSAndSeesPAdESAttributes() throws {
        let pki = try Self.makePKI()
        defer { try? FileManager.default.removeItem(at: pki.dir) }
        let (_, twice) = try Self.signTwice(pki)
        let (cms, content) = try Self.lastCMS(twice)
        try cms.write(to: pki.dir.appendingPathComponent("sig.der"))
        try content.write(to: pki.dir.appendingPathComponent("content.bin"))
        let verify = try Self.run(
            [
                "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der", "-content", "content.bin",
                "-CAfile", "ca.pem", "-purpose", "any", "-out", "/dev/null",
            ], in: pki.dir, allowFailure: true)
        print(verify.output)
        #expect(verify.status == 0)
        #expect(verify.output.contains("Verification successful"))
        let dump = try Self.run(["openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", "sig.der"], in: pki.dir).output
        #expect(dump.contains("id-smime-aa-signingCertificateV2"))
        #expect(dump.contains("pkcs7-data"))
        #expect(dump.contains("messageDigest"))
        // PAdES: the time is in /M, never a signing-time attribute in the CMS.
        #expect(!dump.contains("signingTime"))
    }

    @Test func tamperingInsideASignedRangeIsDetected() throws {
        try Self.requireTool("pdfsig", package: "the Debian package poppler-utils")
        let pki = try Self.makePKI()
        defer { try? FileManager.default.removeItem(at: pki.dir) }
        let (once, _) = try Self.signTwice(pki)
        var bytes = [UInt8](once)
        // Change the page text's producer entry: structure stays parseable, content differs.
        let needle = Array("/Producer (MotCua)".utf8)
        let at = try #require((0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) })
        bytes[at + 11] = UInt8(ascii: "N")
        let file = pki.dir.appendingPathComponent("tampered.pdf")
        try Data(bytes).write(to: file)
        let out = try Self.run(["pdfsig", "-nssdir", pki.nssDB, file.path], allowFailure: true).output
        print(out)
        #expect(!out.contains("Signature is Valid."))
        #expect(out.contains("Digest Mismatch") || out.contains("Invalid"))
    }

    @Test func xrefStreamsAreRejectedClearly() throws {
        // A minimal file whose startxref points at an object (an xref stream), not at `xref`.
        let pdf = Data("%PDF-1.7\n1 0 obj\n<</Type /XRef /Size 2 /Root 2 0 R /W [1 2 1] /Length 0>>\nstream\n\nendstream\nendobj\nstartxref\n9\n%%EOF\n".utf8)
        let pki = try Self.makePKI()
        defer { try? FileManager.default.removeItem(at: pki.dir) }
        #expect(throws: PDFSignerError.xrefStreamUnsupported) {
            try PDFSigner.sign(
                pdf: pdf, certificateChain: pki.rsaChain, privateKey: pki.rsaKey, signerName: "x",
                reason: nil, location: nil, at: Date())
        }
    }

    @Test func aMismatchedKeyIsRefused() throws {
        let pki = try Self.makePKI()
        defer { try? FileManager.default.removeItem(at: pki.dir) }
        #expect(throws: CMSError.keyDoesNotMatchCertificate) {
            try PDFSigner.sign(
                pdf: Self.samplePDF(), certificateChain: pki.rsaChain, privateKey: pki.ecKey, signerName: "x",
                reason: nil, location: nil, at: Date())
        }
    }
}
