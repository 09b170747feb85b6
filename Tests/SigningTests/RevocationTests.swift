// SPDX-License-Identifier: Apache-2.0
import Foundation
import Signing
import Testing
import X509

/// Revocation: the dev CA's CRL must satisfy OpenSSL (signature, v2 fields, reason codes, CRL
/// numbers), and MotCua's verifier must reject signatures by revoked certificates while only
/// reporting, never failing, when the CRL is missing, stale or forged.
@Suite(.serialized)
struct RevocationTests {
    typealias Tools = PDFSignerTests

    /// The report's date format: ISO 8601 in UTC, whole seconds.
    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    static func hex(_ serial: Certificate.SerialNumber) -> String {
        serial.bytes.map { String(format: "%02X", $0) }.joined()
    }

    /// Now, without the fraction of a second CRLs cannot carry (so expected dates compare exactly).
    static func now() -> Date { Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

    /// A dev PKI and a PDF signed by `an` then by `binh`.
    static func signedByAnAndBinh() throws -> (dir: URL, pdf: Data, an: SigningIdentity, binh: SigningIdentity) {
        let dir = try DevPKITests.makeDevPKI()
        let an = try #require(try DevPKI.identity(in: dir, username: "an"))
        let binh = try #require(try DevPKI.identity(in: dir, username: "binh"))
        let once = try PDFSigner.sign(
            pdf: Tools.samplePDF(), certificateChain: an.chain, privateKey: an.privateKey,
            signerName: an.name, reason: "Tiếp nhận hồ sơ", location: nil, at: Date())
        let twice = try PDFSigner.sign(
            pdf: once, certificateChain: binh.chain, privateKey: binh.privateKey,
            signerName: binh.name, reason: "Phê duyệt", location: nil, at: Date())
        return (dir, twice, an, binh)
    }

    // MARK: - The dev CA's CRL, judged by OpenSSL

    @Test func opensslVerifiesTheDevCRLAndItsEntries() throws {
        try Tools.requireTool("openssl", package: "the Debian package openssl")
        let dir = try DevPKITests.makeDevPKI()
        defer { try? FileManager.default.removeItem(at: dir) }
        let an = try #require(try DevPKI.identity(in: dir, username: "an"))
        let binh = try #require(try DevPKI.identity(in: dir, username: "binh"))
        #expect(try DevPKI.crl(in: dir) == nil)

        // Ten minutes ago, so that the later lists (a minute apart) are all current for OpenSSL.
        let t0 = Self.now().addingTimeInterval(-600)
        let first = try DevPKI.revoke(in: dir, username: "an", reason: .keyCompromise, now: t0)
        #expect(first.crlNumber == 1)
        #expect(first.thisUpdate == t0)
        #expect(first.nextUpdate == t0.addingTimeInterval(7 * 86_400))
        #expect(first.revokedCertificates.map(\.serialNumber) == [an.chain[0].serialNumber])
        #expect(first.isSignatureValid(issuer: an.chain[1]))
        #expect(!first.isSignatureValid(issuer: an.chain[0]))
        #expect(try DevPKI.crl(in: dir) == first)

        let text = try Tools.run(["openssl", "crl", "-in", "ca.crl.pem", "-CAfile", "ca.cert.pem", "-noout", "-text"], in: dir).output
        print(text)
        #expect(text.contains("verify OK"))
        #expect(text.contains("Version 2 (0x1)"))
        #expect(text.contains("ecdsa-with-SHA256"))
        #expect(text.contains("Next Update:"))
        #expect(text.contains("X509v3 Authority Key Identifier"))
        #expect(text.contains("X509v3 CRL Number"))
        #expect(text.contains("Serial Number: \(Self.hex(an.chain[0].serialNumber))"))
        #expect(text.contains("Key Compromise"))

        // Each new list gets a larger number and keeps earlier entries; repeating a revocation
        // keeps its first date and reason.
        let second = try DevPKI.revoke(in: dir, username: "binh", reason: .affiliationChanged, now: t0.addingTimeInterval(60))
        let third = try DevPKI.revoke(in: dir, username: "an", reason: .superseded, now: t0.addingTimeInterval(120))
        let fourth = try DevPKI.writeCRL(in: dir, now: t0.addingTimeInterval(180))
        #expect([second, third, fourth].map(\.crlNumber) == [2, 3, 4])
        #expect(fourth.thisUpdate == t0.addingTimeInterval(180))
        #expect(fourth.entry(for: an.chain[0].serialNumber)?.reason == .keyCompromise)
        #expect(fourth.entry(for: an.chain[0].serialNumber)?.revocationDate == t0)
        #expect(fourth.entry(for: binh.chain[0].serialNumber)?.reason == .affiliationChanged)
        #expect(fourth.revokedCertificates.count == 2)
        let record = try String(contentsOf: dir.appendingPathComponent("revoked.json"), encoding: .utf8)
        #expect(record.contains(Self.hex(an.chain[0].serialNumber)) && record.contains(Self.hex(binh.chain[0].serialNumber)))

        let again = try Tools.run(["openssl", "crl", "-in", "ca.crl.pem", "-CAfile", "ca.cert.pem", "-noout", "-text"], in: dir).output
        #expect(again.contains("verify OK"))
        #expect(again.contains("Affiliation Changed"))
        #expect(again.contains("Serial Number: \(Self.hex(binh.chain[0].serialNumber))"))

        // OpenSSL's own path validation with the CRL refuses both certificates...
        for user in ["an", "binh"] {
            let out = try Tools.run(
                ["openssl", "verify", "-crl_check", "-CRLfile", "ca.crl.pem", "-CAfile", "ca.cert.pem", "\(user).cert.pem"],
                in: dir, allowFailure: true)
            #expect(out.status != 0)
            #expect(out.output.contains("certificate revoked"))
        }
        // ...and issuing again replaces the revoked pair with one the CRL does not list.
        try DevPKI.issue(in: dir, username: "an", fullName: "Nguyễn Văn An", unit: nil, now: Date())
        let renewed = try #require(try DevPKI.identity(in: dir, username: "an"))
        #expect(renewed.chain[0].serialNumber != an.chain[0].serialNumber)
        let ok = try Tools.run(
            ["openssl", "verify", "-crl_check", "-CRLfile", "ca.crl.pem", "-CAfile", "ca.cert.pem", "an.cert.pem"], in: dir)
        #expect(ok.output.contains("an.cert.pem: OK"))

        // The loader takes DER as well as PEM.
        try Tools.run(["openssl", "crl", "-in", "ca.crl.pem", "-outform", "DER", "-out", "ca.crl.der"], in: dir)
        let der = try CertificateRevocationList(contentsOf: dir.appendingPathComponent("ca.crl.der"))
        #expect(der == fourth)
        #expect(throws: DevPKIError.noCertificate(username: "nobody")) {
            try DevPKI.revoke(in: dir, username: "nobody", reason: .unspecified, now: Date())
        }
        #expect(throws: CRLError.self) { try CertificateRevocationList(contentsOf: dir.appendingPathComponent("ca.cert.pem")) }
    }

    // MARK: - The verifier

    @Test func aRevokedSignerMakesTheSignatureInvalid() throws {
        let (dir, pdf, an, binh) = try Self.signedByAnAndBinh()
        defer { try? FileManager.default.removeItem(at: dir) }
        let anchors = try DevPKI.trustAnchors(in: dir)
        let issuer = an.chain[0].issuer.description
        let revokedAt = Self.now()
        try DevPKI.revoke(in: dir, username: "an", reason: .keyCompromise, now: revokedAt)
        let crl = try #require(try DevPKI.crl(in: dir))

        let report = PDFVerifier.verify(pdf: pdf, trustAnchors: anchors, at: Date(), crls: [crl])
        print(report.reasons, report.signatures.map(\.revocation))
        #expect(!report.valid)
        #expect(report.reasons == ["signature 1: the signer's certificate was revoked on \(Self.iso(revokedAt)) (keyCompromise)"])
        let checked = "checked against the CRL of \(issuer), next update \(Self.iso(revokedAt.addingTimeInterval(7 * 86_400)))"
        #expect(report.signatures[0].revocation == "\(checked): revoked on \(Self.iso(revokedAt)) (keyCompromise)")
        // Binh's signature, judged against the same list, is fine.
        #expect(report.signatures[1].revocation == "\(checked): not revoked")
        #expect(report.signatures[1].reasons.isEmpty)
        #expect(report.signatures.allSatisfy { $0.intact && $0.trusted })
        #expect(binh.chain[0].issuer == an.chain[0].issuer)

        // The report states it in JSON too, for the public verification endpoint.
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains("\"revocation\""))
    }

    @Test func withoutACRLRevocationIsReportedAsNotChecked() throws {
        let (dir, pdf, an, _) = try Self.signedByAnAndBinh()
        defer { try? FileManager.default.removeItem(at: dir) }
        try DevPKI.revoke(in: dir, username: "an", reason: .keyCompromise, now: Date())
        // A CRL of another CA (different name) says nothing about this issuer.
        let other = try DevPKITests.makeDevPKI()
        defer { try? FileManager.default.removeItem(at: other) }
        let otherCA = try #require(try DevPKI.trustAnchors(in: other).first)
        let otherKey = try Certificate.PrivateKey(pemEncoded: String(contentsOf: other.appendingPathComponent("ca.key.pem"), encoding: .utf8))
        let unrelated = try CertificateRevocationList(
            issuer: try renamed(otherCA, key: otherKey, to: "Some Other CA"), issuerPrivateKey: otherKey, crlNumber: 1,
            thisUpdate: Date(), nextUpdate: Date().addingTimeInterval(86_400), revoked: [])

        for crls in [[], [unrelated]] {
            let report = PDFVerifier.verify(pdf: pdf, trustAnchors: try DevPKI.trustAnchors(in: dir), crls: crls)
            #expect(report.valid)
            #expect(report.signatures.allSatisfy { $0.revocation == "not checked: no CRL for \(an.chain[0].issuer)" })
        }
    }

    /// A copy of `ca` with another subject, signed by `key` (for a CRL from an unrelated issuer).
    func renamed(_ ca: Certificate, key: Certificate.PrivateKey, to name: String) throws -> Certificate {
        let subject = try DistinguishedName { CommonName(name) }
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: ca.publicKey, notValidBefore: ca.notValidBefore,
            notValidAfter: ca.notValidAfter, issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: ca.extensions, issuerPrivateKey: key)
    }

    @Test func aStaleCRLIsReportedAndStillProvesEarlierRevocations() throws {
        let (dir, pdf, an, _) = try Self.signedByAnAndBinh()
        defer { try? FileManager.default.removeItem(at: dir) }
        let anchors = try DevPKI.trustAnchors(in: dir)
        let issuer = an.chain[0].issuer.description
        let issued = Self.now().addingTimeInterval(-8 * 86_400)
        let expiredOn = Self.iso(issued.addingTimeInterval(7 * 86_400))

        // Nobody revoked, but the list is a day past its next update: unknown, not invalid.
        let stale = try DevPKI.writeCRL(in: dir, now: issued)
        let report = PDFVerifier.verify(pdf: pdf, trustAnchors: anchors, crls: [stale])
        print(report.signatures.map(\.revocation))
        #expect(report.valid)
        #expect(report.signatures.allSatisfy { $0.revocation == "not checked: the CRL of \(issuer) expired on \(expiredOn)" })

        // A fresh list wins over the stale one when both are given.
        let fresh = try DevPKI.writeCRL(in: dir, now: Date())
        let both = PDFVerifier.verify(pdf: pdf, trustAnchors: anchors, crls: [stale, fresh])
        #expect(both.valid)
        #expect(both.signatures.allSatisfy { $0.revocation.hasPrefix("checked against the CRL of \(issuer), next update ") })

        // A stale list that already revokes the certificate is still proof of that revocation.
        let revokedAt = issued.addingTimeInterval(-60)
        try DevPKI.revoke(in: dir, username: "an", reason: .keyCompromise, now: revokedAt)
        let staleWithEntry = try DevPKI.writeCRL(in: dir, now: issued)
        let revoked = PDFVerifier.verify(pdf: pdf, trustAnchors: anchors, crls: [staleWithEntry])
        print(revoked.reasons)
        #expect(!revoked.valid)
        #expect(revoked.reasons == ["signature 1: the signer's certificate was revoked on \(Self.iso(revokedAt)) (keyCompromise)"])
        #expect(revoked.signatures[0].revocation.hasPrefix("not checked: the CRL of \(issuer) expired on \(expiredOn)"))
    }

    @Test func aForgedCRLIsIgnoredAndReported() throws {
        let (dir, pdf, an, _) = try Self.signedByAnAndBinh()
        defer { try? FileManager.default.removeItem(at: dir) }
        let anchors = try DevPKI.trustAnchors(in: dir)

        // (1) A CA with the very same name but another key "revokes" an's certificate.
        let impostor = FileManager.default.temporaryDirectory.appendingPathComponent("impostor-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: impostor) }
        try DevPKI.createAuthority(in: impostor, name: DevPKITests.caName, now: Date())
        let impostorCA = try #require(try DevPKI.trustAnchors(in: impostor).first)
        #expect(impostorCA.subject == an.chain[1].subject)
        let impostorKey = try Certificate.PrivateKey(
            pemEncoded: String(contentsOf: impostor.appendingPathComponent("ca.key.pem"), encoding: .utf8))
        let forged = try CertificateRevocationList(
            issuer: impostorCA, issuerPrivateKey: impostorKey, crlNumber: 99, thisUpdate: Date(),
            nextUpdate: Date().addingTimeInterval(86_400),
            revoked: [.init(serialNumber: an.chain[0].serialNumber, revocationDate: Date(), reason: .keyCompromise)])
        #expect(!forged.isSignatureValid(issuer: an.chain[1]))

        // (2) The genuine list with one byte of its signature changed.
        let genuine = try DevPKI.revoke(in: dir, username: "binh", reason: .keyCompromise, now: Date())
        var bytes = genuine.derEncoded
        bytes[bytes.count - 1] ^= 0x01
        let tampered = try CertificateRevocationList(derEncoded: bytes)
        #expect(tampered.revokedCertificates == genuine.revokedCertificates)
        #expect(!tampered.isSignatureValid(issuer: an.chain[1]))

        for crl in [forged, tampered] {
            let report = PDFVerifier.verify(pdf: pdf, trustAnchors: anchors, crls: [crl])
            print(report.reasons, report.signatures.map(\.revocation))
            #expect(report.valid)
            #expect(report.signatures.allSatisfy { $0.revocation == "not checked: the CRL signature is invalid" })
        }
        // With the genuine list next to the forged one, the genuine one is used.
        let report = PDFVerifier.verify(pdf: pdf, trustAnchors: anchors, crls: [forged, genuine])
        #expect(!report.valid)
        #expect(report.signatures[0].revocation.hasSuffix(": not revoked"))
        #expect(report.signatures[1].reasons.count == 1)
    }

    // MARK: - A CRL made by OpenSSL

    @Test func crlsFromOpenSSLAreReadAndApplied() throws {
        let pki = try Tools.makePKI()
        defer { try? FileManager.default.removeItem(at: pki.dir) }
        let (_, twice) = try Tools.signTwice(pki)
        // A minimal `openssl ca` setup around the test CA: revoke the RSA signer, then a CRL.
        try "".write(to: pki.dir.appendingPathComponent("index.txt"), atomically: true, encoding: .utf8)
        try """
            [ ca ]
            default_ca = test
            [ test ]
            database = index.txt
            certificate = ca.pem
            private_key = ca.key
            default_md = sha256
            default_crl_days = 7
            crlnumber = crlnumber
            crl_extensions = crl_ext
            [ crl_ext ]
            authorityKeyIdentifier = keyid:always
            """.write(to: pki.dir.appendingPathComponent("ca.cnf"), atomically: true, encoding: .utf8)
        try "1000\n".write(to: pki.dir.appendingPathComponent("crlnumber"), atomically: true, encoding: .utf8)
        try Tools.run(["openssl", "ca", "-config", "ca.cnf", "-revoke", "rsa.pem", "-crl_reason", "keyCompromise"], in: pki.dir)
        try Tools.run(["openssl", "ca", "-config", "ca.cnf", "-gencrl", "-out", "ca.crl"], in: pki.dir)
        try Tools.run(["openssl", "crl", "-in", "ca.crl", "-outform", "DER", "-out", "ca.crl.der"], in: pki.dir)

        let crl = try CertificateRevocationList(contentsOf: pki.dir.appendingPathComponent("ca.crl.der"))
        #expect(crl.crlNumber == 0x1000)
        #expect(crl.isSignatureValid(issuer: pki.ca))  // sha256WithRSAEncryption
        #expect(crl.entry(for: pki.rsaChain[0].serialNumber)?.reason == .keyCompromise)
        #expect(crl.nextUpdate != nil)

        let report = PDFVerifier.verify(pdf: twice, trustAnchors: [pki.ca], crls: [crl])
        print(report.reasons, report.signatures.map(\.revocation))
        #expect(!report.valid)
        #expect(report.signatures[0].reasons.count == 1)
        #expect(report.signatures[0].reasons[0].hasPrefix("signature 1: the signer's certificate was revoked on "))
        #expect(report.signatures[0].reasons[0].hasSuffix(" (keyCompromise)"))
        #expect(report.signatures[1].revocation.hasSuffix(": not revoked"))
        #expect(report.signatures[1].reasons.isEmpty)
    }
}
