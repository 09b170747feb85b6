// SPDX-License-Identifier: Apache-2.0
import Foundation
import PDF
import Signing
import Testing
import X509
import _CryptoExtras

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

    // MARK: - RSA identities

    /// pdfsig (through an NSS database trusting `ca`) and pyHanko must both call every one of the
    /// `count` signatures in `file` valid and trusted.
    static func expectToolsAccept(_ file: URL, ca: URL, signatures count: Int) throws {
        try Tools.requireTool("pdfsig", package: "the Debian package poppler-utils")
        try Tools.requireTool("certutil", package: "the Debian package libnss3-tools")
        try Tools.requireTool("pyhanko", package: "the PyPI packages pyhanko pyhanko-certvalidator pyhanko-cli")
        let nss = file.deletingLastPathComponent().appendingPathComponent("nss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: nss, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: nss) }
        try Tools.run(["certutil", "-N", "-d", "sql:" + nss.path, "--empty-password"])
        try Tools.run(["certutil", "-A", "-d", "sql:" + nss.path, "-n", "ca", "-t", "CT,C,C", "-i", ca.path])
        let out = try Tools.run(["pdfsig", "-nssdir", "sql:" + nss.path, file.path]).output
        print(out)
        #expect(Tools.occurrences(of: "Signature is Valid.", in: out) == count)
        #expect(Tools.occurrences(of: "Certificate is Trusted.", in: out) == count)
        let hanko = try Tools.run(["pyhanko", "sign", "validate", "--trust-replace", "--trust", ca.path, file.path], allowFailure: true)
        print(hanko.output)
        #expect(hanko.status == 0)
        let lines = hanko.output.split(separator: "\n").filter { $0.hasPrefix("Signature") }
        #expect(lines.count == count)
        #expect(lines.allSatisfy { $0.contains(":INTACT:TRUSTED") })
    }

    @Test func rsaIdentitiesSignPDFsThatEveryValidatorAccepts() throws {
        try Tools.requireTool("openssl", package: "the Debian package openssl")
        let dir = try Self.makeDevPKI()
        defer { try? FileManager.default.removeItem(at: dir) }
        try DevPKI.issue(in: dir, username: "chi", fullName: "Lê Minh Chí", unit: "UBND Phường Sơn Hà", now: Date(), algorithm: .rsa2048)

        // On disk: an unencrypted PKCS#8 key readable by its owner only, and an RSA certificate
        // that OpenSSL chains to the (P-256) CA.
        let keyPEM = try String(contentsOf: dir.appendingPathComponent("chi.key.pem"), encoding: .utf8)
        #expect(keyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("chi.key.pem").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let verified = try Tools.run(["openssl", "verify", "-CAfile", "ca.cert.pem", "chi.cert.pem"], in: dir).output
        #expect(verified.contains("chi.cert.pem: OK"))
        let text = try Tools.run(["openssl", "x509", "-in", "chi.cert.pem", "-noout", "-text"], in: dir).output
        #expect(text.contains("rsaEncryption"))
        #expect(text.contains("Public-Key: (2048 bit)"))
        #expect(text.contains("ecdsa-with-SHA256"))  // signed by the P-256 CA
        let key = try Tools.run(["openssl", "pkey", "-in", "chi.key.pem", "-noout", "-text"], in: dir).output
        #expect(key.contains("Private-Key: (2048 bit"))

        let chi = try #require(try DevPKI.identity(in: dir, username: "chi"))
        #expect(chi.name == "Lê Minh Chí")
        #expect(_RSA.Signing.PublicKey(chi.chain[0].publicKey)?.keySizeInBits == 2048)
        #expect(chi.privateKey.publicKey == chi.chain[0].publicKey)

        // One RSA and one P-256 signature in the same file.
        let an = try #require(try DevPKI.identity(in: dir, username: "an"))
        let once = try PDFSigner.sign(
            pdf: Tools.samplePDF(), certificateChain: chi.chain, privateKey: chi.privateKey,
            signerName: chi.name, reason: "Tiếp nhận hồ sơ", location: "UBND Phường Sơn Hà", at: Date())
        let twice = try PDFSigner.sign(
            pdf: once, certificateChain: an.chain, privateKey: an.privateKey,
            signerName: an.name, reason: "Phê duyệt kết quả", location: nil, at: Date())
        let report = PDFVerifier.verify(pdf: twice, trustAnchors: try DevPKI.trustAnchors(in: dir))
        print(report.reasons)
        #expect(report.valid)
        #expect(report.signatures.map(\.signerName) == ["Lê Minh Chí", "Nguyễn Văn An"])
        #expect(report.signatures.allSatisfy { $0.intact && $0.trusted })

        let file = dir.appendingPathComponent("signed.pdf")
        try twice.write(to: file)
        try Self.expectToolsAccept(file, ca: dir.appendingPathComponent("ca.cert.pem"), signatures: 2)

        // The CMS itself is sha256WithRSAEncryption, checked by OpenSSL against the CA.
        let (cms, content) = try Tools.lastCMS(once)
        try cms.write(to: dir.appendingPathComponent("sig.der"))
        try content.write(to: dir.appendingPathComponent("content.bin"))
        let cmsCheck = try Tools.run(
            [
                "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der", "-content", "content.bin",
                "-CAfile", "ca.cert.pem", "-purpose", "any", "-out", "/dev/null",
            ], in: dir, allowFailure: true)
        #expect(cmsCheck.output.contains("Verification successful"))
        let dump = try Tools.run(["openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", "sig.der"], in: dir).output
        #expect(dump.contains("sha256WithRSAEncryption"))
    }

    @Test func keyAlgorithmIsDetectedKeptAndHonoured() throws {
        try Tools.requireTool("openssl", package: "the Debian package openssl")
        let dir = try Self.makeDevPKI()
        defer { try? FileManager.default.removeItem(at: dir) }
        let now = Date()
        try DevPKI.issue(in: dir, username: "chi", fullName: "Lê Minh Chí", unit: nil, now: now, algorithm: .rsa2048)
        let rsaFiles = try Self.contents(dir)

        // Asking again for RSA keeps the pair; the P-256 users are untouched by the default.
        try DevPKI.issue(in: dir, username: "chi", fullName: "Lê Minh Chí", unit: nil, now: now, algorithm: .rsa2048)
        try DevPKI.issue(in: dir, username: "an", fullName: "Nguyễn Văn An", unit: "UBND Phường Sơn Hà", now: now)
        #expect(try Self.contents(dir) == rsaFiles)

        // A PKCS#1 ("RSA PRIVATE KEY") file as OpenSSL writes it loads too: the kind comes from the PEM.
        try Tools.run(["openssl", "rsa", "-in", "chi.key.pem", "-traditional", "-out", "chi.pkcs1.pem"], in: dir)
        let pkcs1 = try String(contentsOf: dir.appendingPathComponent("chi.pkcs1.pem"), encoding: .utf8)
        #expect(pkcs1.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("chi.key.pem"))
        try FileManager.default.moveItem(at: dir.appendingPathComponent("chi.pkcs1.pem"), to: dir.appendingPathComponent("chi.key.pem"))
        let chi = try #require(try DevPKI.identity(in: dir, username: "chi"))
        #expect(chi.privateKey.publicKey == chi.chain[0].publicKey)
        #expect(_RSA.Signing.PublicKey(chi.privateKey.publicKey) != nil)

        // Asking for the other kind replaces the pair with a P-256 one.
        try DevPKI.issue(in: dir, username: "chi", fullName: "Lê Minh Chí", unit: nil, now: now, algorithm: .p256)
        let replaced = try #require(try DevPKI.identity(in: dir, username: "chi"))
        #expect(_RSA.Signing.PublicKey(replaced.chain[0].publicKey) == nil)
        #expect(replaced.privateKey.supportedSignatureAlgorithms.contains(.ecdsaWithSHA256))
        #expect(replaced.chain[0].serialNumber != chi.chain[0].serialNumber)

        // A key of a kind the dev PKI does not use is refused with the file named.
        try Tools.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", "binh.key.pem"], in: dir)
        #expect(throws: DevPKIError.self) { try DevPKI.identity(in: dir, username: "binh") }
    }
}
