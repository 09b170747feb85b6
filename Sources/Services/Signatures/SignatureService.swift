// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Signing
import Storage
import X509

/// Signing with officials' and units' keys (PEM files under `MOTCUA_PKI_DIR`, never in the
/// database), optionally timestamped by a TSA (`MOTCUA_TSA_URL`, PAdES B-T), and verifying any
/// PDF against the trust anchors and revocation lists MotCua is configured with.
public struct SignatureService: Sendable {
    let app: MotCua

    var directory: URL { URL(fileURLWithPath: app.config.pkiDir) }

    /// Creates the development CA (once) and a certificate for every official account and every
    /// unit's seal that has none yet (demo only). Existing certificates, revoked ones included,
    /// are left alone: re-issuing is an explicit `motcua pki issue`.
    @discardableResult
    public func initDevelopmentPKI(authorityName: String) async throws -> Int {
        let now = app.clock.now()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try DevPKI.createAuthority(in: directory, name: authorityName, now: now)
        let units = try await app.catalog.unitsByCode()
        var issued = 0
        func has(_ name: String) -> Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(name).cert.pem").path) }
        for u in try await AccountStore.users(on: app.database) where !u.roles.contains(.citizen) && !has(u.username) {
            try DevPKI.issue(in: directory, username: u.username, fullName: u.fullName, unit: u.unit.flatMap { units[$0]?.name }, now: now)
            issued += 1
        }
        // Each unit's seal (chữ ký số của cơ quan): signs what no single official decided, such
        // as the process control sheet and the tracking book, and copies citizens uploaded.
        for u in units.values where !has(Self.agencySigner(u.code)) {
            try DevPKI.issue(in: directory, username: Self.agencySigner(u.code), fullName: u.name, unit: u.name, now: now)
            issued += 1
        }
        if try DevPKI.crl(in: directory) == nil { try DevPKI.writeCRL(in: directory, now: now) }
        return issued
    }

    /// Issues (or replaces) one official's development certificate, with the key type asked for.
    public func issue(username: String, algorithm: KeyAlgorithm) async throws {
        guard let user = try await AccountStore.user(username, on: app.database) else { throw ServiceError.notFound(what: "account", key: username) }
        let units = try await app.catalog.unitsByCode()
        try DevPKI.issue(in: directory, username: username, fullName: user.fullName, unit: user.unit.flatMap { units[$0]?.name }, now: app.clock.now(), algorithm: algorithm)
    }

    /// Revokes an official's development certificate and republishes the CRL.
    public func revoke(username: String, reason: RevocationReason) throws -> CertificateRevocationList {
        try DevPKI.revoke(in: directory, username: username, reason: reason, now: app.clock.now())
    }

    /// The signing identity name of a unit's seal.
    public static func agencySigner(_ unitCode: String) -> String { "agency.\(unitCode)" }

    /// Signs a PDF as `username`, or returns nil when that official has no signing identity.
    /// With a TSA configured, the signature carries its RFC 3161 timestamp (B-T).
    public func sign(_ pdf: Data, as username: String, reason: String, location: String?) async throws -> Data? {
        guard let identity = try DevPKI.identity(in: directory, username: username) else { return nil }
        if let tsa = app.config.tsaURL.flatMap(URL.init(string:)) {
            return try await PDFSigner.sign(
                pdf: pdf, certificateChain: identity.chain, privateKey: identity.privateKey, signerName: identity.name, reason: reason,
                location: location, at: app.clock.now(), timestampAuthority: TimestampAuthority(url: tsa))
        }
        return try PDFSigner.sign(
            pdf: pdf, certificateChain: identity.chain, privateKey: identity.privateKey, signerName: identity.name, reason: reason,
            location: location, at: app.clock.now())
    }

    /// The certificates MotCua trusts (the agency roots), for anyone to validate its documents.
    public func trustAnchors() throws -> [Certificate] {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("ca.cert.pem").path) else { return [] }
        return try DevPKI.trustAnchors(in: directory)
    }

    /// The trust anchors as PEM text, as `/api/v1/pki/trust-anchors` serves them.
    public func trustAnchorsPEM() throws -> String {
        let pems = try trustAnchors().map { try $0.serializeAsPEM().pemString }
        return pems.isEmpty ? "" : pems.joined(separator: "\n") + "\n"
    }

    /// The revocation lists honoured: the dev CA's own and the configured files.
    public func revocationLists() throws -> [CertificateRevocationList] {
        var lists = [try DevPKI.crl(in: directory)].compactMap { $0 }
        for f in app.config.crlFiles { lists.append(try CertificateRevocationList(contentsOf: URL(fileURLWithPath: f))) }
        return lists
    }

    /// Verifies every signature of a PDF.
    public func verify(_ pdf: Data) throws -> VerificationReport {
        PDFVerifier.verify(pdf: pdf, trustAnchors: try trustAnchors(), at: app.clock.now(), crls: try revocationLists())
    }
}
