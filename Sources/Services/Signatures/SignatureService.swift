// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Signing
import Storage
import X509

/// Signing with officials' keys (PEM files under `MOTCUA_PKI_DIR`, never in the database) and
/// verifying any PDF against the trust anchors MotCua is configured with.
public struct SignatureService: Sendable {
    let app: MotCua

    var directory: URL { URL(fileURLWithPath: app.config.pkiDir) }

    /// Creates the development CA (once) and a certificate for every account (demo only).
    @discardableResult
    public func initDevelopmentPKI(authorityName: String) async throws -> Int {
        let now = app.clock.now()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try DevPKI.createAuthority(in: directory, name: authorityName, now: now)
        let units = try await app.catalog.unitsByCode()
        var issued = 0
        for u in try await AccountStore.users(on: app.database) where !u.roles.contains(.citizen) {
            try DevPKI.issue(in: directory, username: u.username, fullName: u.fullName, unit: u.unit.flatMap { units[$0]?.name }, now: now)
            issued += 1
        }
        return issued
    }

    /// Signs a PDF as `username`, or returns nil when that official has no signing identity.
    public func sign(_ pdf: Data, as username: String, reason: String, location: String?) throws -> Data? {
        guard let identity = try DevPKI.identity(in: directory, username: username) else { return nil }
        return try PDFSigner.sign(
            pdf: pdf, certificateChain: identity.chain, privateKey: identity.privateKey, signerName: identity.name, reason: reason,
            location: location, at: app.clock.now())
    }

    /// The certificates MotCua trusts (the agency roots), for anyone to validate its documents.
    public func trustAnchors() throws -> [Certificate] {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("ca.cert.pem").path) else { return [] }
        return try DevPKI.trustAnchors(in: directory)
    }

    /// Verifies every signature of a PDF.
    public func verify(_ pdf: Data) throws -> VerificationReport {
        PDFVerifier.verify(pdf: pdf, trustAnchors: try trustAnchors(), at: app.clock.now())
    }
}
