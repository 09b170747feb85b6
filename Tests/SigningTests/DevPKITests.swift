// SPDX-License-Identifier: Apache-2.0
import Foundation
import PDF
import Signing
import Testing
import X509

/// The Swift development PKI: its certificates must satisfy `openssl verify`, and PDFs signed
/// with its identities must be judged valid and trusted by `pdfsig` (NSS) and pyHanko.
@Suite(.serialized)
struct DevPKITests {
    typealias Tools = PDFSignerTests

    static let caName = "MotCua Dev CA – Tỉnh Sơn Hà"

    /// A fresh directory with a CA and two identities, `an` and `binh`.
    static func makeDevPKI() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("devpki-\(UUID().uuidString)")
        let now = Date()
        try DevPKI.createAuthority(in: dir, name: caName, now: now)
        try DevPKI.issue(in: dir, username: "an", fullName: "Nguyễn Văn An", unit: "UBND Phường Sơn Hà", now: now)
        try DevPKI.issue(in: dir, username: "binh", fullName: "Trần Thị Bình", unit: nil, now: now)
        return dir
    }

    static func contents(_ dir: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            result[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        return result
    }

    @Test func opensslVerifiesIssuedCertificates() throws {
        try Tools.requireTool("openssl", package: "the Debian package openssl")
        let dir = try Self.makeDevPKI()
        defer { try? FileManager.default.removeItem(at: dir) }
        for user in ["an", "binh"] {
            let out = try Tools.run(["openssl", "verify", "-CAfile", "ca.cert.pem", "\(user).cert.pem"], in: dir).output
            #expect(out.contains("\(user).cert.pem: OK"))
        }
        let ca = try Tools.run(["openssl", "x509", "-in", "ca.cert.pem", "-noout", "-text", "-nameopt", "utf8"], in: dir).output
        #expect(ca.contains("CA:TRUE"))
        #expect(ca.contains("Certificate Sign, CRL Sign"))
        #expect(ca.contains("Subject Key Identifier"))
        #expect(ca.contains("Tỉnh Sơn Hà"))
        let leaf = try Tools.run(["openssl", "x509", "-in", "an.cert.pem", "-noout", "-text", "-nameopt", "utf8"], in: dir).output
        #expect(leaf.contains("Digital Signature, Non Repudiation"))
        #expect(leaf.contains("Authority Key Identifier"))
        #expect(leaf.contains("E-mail Protection"))
        #expect(leaf.contains("1.3.6.1.5.5.7.3.36") || leaf.contains("Document Signing"))
        #expect(leaf.contains("CN=Nguyễn Văn An"))
        #expect(leaf.contains("O=UBND Phường Sơn Hà"))
    }

    @Test func operationsAreIdempotentAndKeysPrivate() throws {
        let dir = try Self.makeDevPKI()
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = try Self.contents(dir)
        #expect(Set(before.keys) == ["ca.cert.pem", "ca.key.pem", "an.cert.pem", "an.key.pem", "binh.cert.pem", "binh.key.pem"])
        let later = Date().addingTimeInterval(86_400)
        try DevPKI.createAuthority(in: dir, name: "Another name", now: later)
        try DevPKI.issue(in: dir, username: "an", fullName: "Someone Else", unit: "Elsewhere", now: later)
        try DevPKI.issue(in: dir, username: "binh", fullName: "Trần Thị Bình", unit: nil, now: later)
        #expect(try Self.contents(dir) == before)

        for name in ["ca.key.pem", "an.key.pem", "binh.key.pem"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(name)")
        }

        // An expired certificate is replaced; a fresh one is kept.
        try DevPKI.issue(in: dir, username: "an", fullName: "Nguyễn Văn An", unit: nil, now: Date().addingTimeInterval(3 * 366 * 86_400))
        #expect(try Data(contentsOf: dir.appendingPathComponent("an.cert.pem")) != before["an.cert.pem"])
        #expect(try Data(contentsOf: dir.appendingPathComponent("ca.cert.pem")) == before["ca.cert.pem"])
    }

    @Test func loadsIdentitiesAndTrustAnchors() throws {
        let dir = try Self.makeDevPKI()
        defer { try? FileManager.default.removeItem(at: dir) }
        let an = try #require(try DevPKI.identity(in: dir, username: "an"))
        #expect(an.name == "Nguyễn Văn An")
        #expect(an.chain.count == 2)
        #expect(an.chain[0].publicKey == an.privateKey.publicKey)
        let anchors = try DevPKI.trustAnchors(in: dir)
        #expect(anchors == [an.chain[1]])
        #expect(an.chain[1].publicKey.isValidSignature(an.chain[0].signature, for: an.chain[0]))
        // Positive and at most 20 octets in DER (RFC 5280 §4.1.2.2): NSS rejects longer serials,
        // which made pdfsig miss the signer certificate about half the time.
        for certificate in an.chain {
            #expect(certificate.serialNumber.bytes.count == 20)
            #expect(certificate.serialNumber.bytes.first! < 0x80)
        }
        #expect(try DevPKI.identity(in: dir, username: "nobody") == nil)
        #expect(try DevPKI.trustAnchors(in: dir.appendingPathComponent("empty")).isEmpty)
        #expect(throws: DevPKIError.self) { try DevPKI.identity(in: dir, username: "../etc") }

        try "garbage".write(to: dir.appendingPathComponent("binh.key.pem"), atomically: true, encoding: .utf8)
        #expect(throws: DevPKIError.self) { try DevPKI.identity(in: dir, username: "binh") }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("binh.key.pem"))
        #expect(throws: DevPKIError.self) { try DevPKI.identity(in: dir, username: "binh") }
        #expect(throws: DevPKIError.self) {
            try DevPKI.issue(in: dir.appendingPathComponent("noca"), username: "x", fullName: "X", unit: nil, now: Date())
        }
    }

    @Test func signaturesFromDevIdentitiesAreValidAndTrusted() throws {
        try Tools.requireTool("pdfsig", package: "the Debian package poppler-utils")
        try Tools.requireTool("certutil", package: "the Debian package libnss3-tools")
        try Tools.requireTool("pyhanko", package: "the PyPI packages pyhanko pyhanko-certvalidator pyhanko-cli")
        let dir = try Self.makeDevPKI()
        defer { try? FileManager.default.removeItem(at: dir) }
        let an = try #require(try DevPKI.identity(in: dir, username: "an"))
        let binh = try #require(try DevPKI.identity(in: dir, username: "binh"))
        let date = Date()
        let once = try PDFSigner.sign(
            pdf: Tools.samplePDF(), certificateChain: an.chain, privateKey: an.privateKey,
            signerName: an.name, reason: "Tiếp nhận hồ sơ", location: "UBND Phường Sơn Hà", at: date)
        let twice = try PDFSigner.sign(
            pdf: once, certificateChain: binh.chain, privateKey: binh.privateKey,
            signerName: binh.name, reason: "Phê duyệt kết quả", location: nil, at: date.addingTimeInterval(1))
        let file = dir.appendingPathComponent("signed.pdf")
        try twice.write(to: file)

        let nss = dir.appendingPathComponent("nss")
        try FileManager.default.createDirectory(at: nss, withIntermediateDirectories: true)
        try Tools.run(["certutil", "-N", "-d", "sql:" + nss.path, "--empty-password"])
        try Tools.run(["certutil", "-A", "-d", "sql:" + nss.path, "-n", "ca", "-t", "CT,C,C", "-i", dir.appendingPathComponent("ca.cert.pem").path])
        let out = try Tools.run(["pdfsig", "-nssdir", "sql:" + nss.path, file.path]).output
        print(out)
        #expect(Tools.occurrences(of: "Signature is Valid.", in: out) == 2)
        #expect(Tools.occurrences(of: "Certificate is Trusted.", in: out) == 2)
        #expect(out.contains("Nguyễn Văn An"))
        #expect(out.contains("Trần Thị Bình"))

        let hanko = try Tools.run(
            ["pyhanko", "sign", "validate", "--trust-replace", "--trust", dir.appendingPathComponent("ca.cert.pem").path, file.path],
            allowFailure: true)
        print(hanko.output)
        #expect(hanko.status == 0)
        let lines = hanko.output.split(separator: "\n").filter { $0.hasPrefix("Signature") }
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains(":INTACT:TRUSTED") })
    }
}
