// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let posixWrite = Glibc.write
#elseif canImport(Musl)
private let posixWrite = Musl.write
#elseif canImport(Darwin)
private let posixWrite = Darwin.write
#endif

/// A signer's certificate chain and private key, ready for ``PDFSigner/sign(pdf:certificateChain:privateKey:signerName:reason:location:at:)``.
public struct SigningIdentity: Sendable {
    /// The signer certificate first, then its issuers (for the dev PKI: `[leaf, CA]`).
    public let chain: [Certificate]
    /// The private key matching `chain[0]`.
    public let privateKey: Certificate.PrivateKey
    /// The signer's display name (the leaf's subject common name).
    public let name: String

    /// Creates an identity from a chain (leaf first), its key and a display name.
    public init(chain: [Certificate], privateKey: Certificate.PrivateKey, name: String) {
        self.chain = chain
        self.privateKey = privateKey
        self.name = name
    }
}

/// Errors from ``DevPKI``; each names the file or input at fault.
public enum DevPKIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A PEM file exists but cannot be read as the expected certificate or P-256 key.
    case malformed(file: String, reason: String)
    /// A certificate and the key stored next to it do not belong together.
    case keyMismatch(certificate: String, key: String)
    /// One file of a certificate/key pair exists without the other.
    case incompletePair(present: String, missing: String)
    /// ``DevPKI/issue(in:username:fullName:unit:now:)`` was called before ``DevPKI/createAuthority(in:name:now:)``.
    case authorityMissing(directory: String)
    /// The username cannot be used as a file name.
    case invalidUsername(String)

    public var description: String {
        switch self {
        case .malformed(let file, let reason):
            return "malformed PKI file \(file): \(reason)"
        case .keyMismatch(let certificate, let key):
            return "the private key in \(key) does not match the certificate in \(certificate)"
        case .incompletePair(let present, let missing):
            return "\(present) exists but \(missing) is missing; remove \(present) or restore \(missing)"
        case .authorityMissing(let directory):
            return "no development CA in \(directory): create it first (ca.cert.pem, ca.key.pem)"
        case .invalidUsername(let name):
            return "invalid username '\(name)': use letters, digits, '.', '_' or '-' (not starting with '.')"
        }
    }
}

/// A development PKI kept as PEM files in one directory, so the demo can sign PDFs for real.
///
/// Layout: `ca.cert.pem` / `ca.key.pem` for the certification authority, and
/// `<username>.cert.pem` / `<username>.key.pem` per signer. All keys are ECDSA P-256 (PKCS#8 PEM,
/// file mode 0600). Every operation is idempotent: existing valid files are never rewritten.
///
/// This is for development and demonstrations only: keys are unencrypted on disk.
public enum DevPKI {
    /// File name of the CA certificate.
    public static let caCertificateFile = "ca.cert.pem"
    /// File name of the CA private key.
    public static let caKeyFile = "ca.key.pem"

    /// id-kp-documentSigning (RFC 9336).
    static let documentSigningOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 36]

    /// Creates a self-signed P-256 CA (10 years, `CA:TRUE` critical, keyCertSign + cRLSign) in
    /// `dir` unless a valid one is already there.
    ///
    /// - Parameters:
    ///   - dir: the PKI directory (created if needed).
    ///   - name: the CA's common name, e.g. `"MotCua Dev CA – Tỉnh Sơn Hà"`.
    ///   - now: the start of validity.
    /// - Throws: ``DevPKIError`` when existing files are malformed, mismatched or half present.
    public static func createAuthority(in dir: URL, name: String, now: Date) throws {
        if try loadPair(in: dir, cert: caCertificateFile, key: caKeyFile) != nil { return }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)

        let key = P256.Signing.PrivateKey()
        let privateKey = Certificate.PrivateKey(key)
        let publicKey = privateKey.publicKey
        let subject = try DistinguishedName {
            CountryName("VN")
            OrganizationName("MotCua (development)")
            CommonName(name)
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: publicKey)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: randomSerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: adding(years: 10, to: now),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: privateKey)
        // Key first: a certificate without its key would block the next run.
        try writeKey(key, to: dir.appendingPathComponent(caKeyFile))
        try writeCertificate(certificate, to: dir.appendingPathComponent(caCertificateFile))
    }

    /// Issues a P-256 signing certificate for `username` (2 years, digitalSignature +
    /// nonRepudiation critical, extended key usage documentSigning + emailProtection), signed by
    /// the CA in `dir`, unless a valid one from that CA is already there.
    ///
    /// An existing pair is kept when it parses, matches, was signed by the current CA and is valid
    /// at `now`; an expired one or one from an earlier CA is replaced.
    ///
    /// - Parameters:
    ///   - dir: the PKI directory holding the CA.
    ///   - username: the account name; also the file name stem.
    ///   - fullName: the subject common name (shown by PDF viewers).
    ///   - unit: the subject organization, e.g. the office the signer works for.
    ///   - now: the start of validity.
    /// - Throws: ``DevPKIError`` for a missing CA, a bad username or malformed files.
    public static func issue(in dir: URL, username: String, fullName: String, unit: String?, now: Date) throws {
        try validate(username: username)
        guard let authority = try loadPair(in: dir, cert: caCertificateFile, key: caKeyFile) else {
            throw DevPKIError.authorityMissing(directory: dir.path)
        }
        let (caCert, caKey) = authority
        if let leaf = try loadPair(in: dir, cert: "\(username).cert.pem", key: "\(username).key.pem")?.0,
            leaf.issuer == caCert.subject,
            caCert.publicKey.isValidSignature(leaf.signature, for: leaf),
            leaf.notValidBefore <= now, now < leaf.notValidAfter
        {
            return
        }

        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PrivateKey(key).publicKey
        let subject = try DistinguishedName {
            CountryName("VN")
            if let unit, !unit.isEmpty {
                OrganizationName(unit)
            }
            CommonName(fullName)
        }
        let authorityKeyID = try caCert.extensions.subjectKeyIdentifier?.keyIdentifier
            ?? SubjectKeyIdentifier(hash: caCert.publicKey).keyIdentifier
        let extensions = try Certificate.Extensions {
            BasicConstraints.notCertificateAuthority
            Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
            try ExtendedKeyUsage([ExtendedKeyUsage.Usage(oid: documentSigningOID), .emailProtection])
            SubjectKeyIdentifier(hash: publicKey)
            AuthorityKeyIdentifier(keyIdentifier: authorityKeyID)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: randomSerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: min(adding(years: 2, to: now), caCert.notValidAfter),
            issuer: caCert.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: caKey)
        try writeKey(key, to: dir.appendingPathComponent("\(username).key.pem"))
        try writeCertificate(certificate, to: dir.appendingPathComponent("\(username).cert.pem"))
    }

    /// Loads `username`'s identity: chain `[leaf, CA]`, its key and the leaf's common name.
    ///
    /// - Returns: `nil` when the user's certificate and key do not exist.
    /// - Throws: ``DevPKIError`` when files are malformed, mismatched or half present, or when
    ///   the user exists but the CA certificate does not.
    public static func identity(in dir: URL, username: String) throws -> SigningIdentity? {
        try validate(username: username)
        guard let pair = try loadPair(in: dir, cert: "\(username).cert.pem", key: "\(username).key.pem") else {
            return nil
        }
        let (leaf, key) = pair
        guard let ca = try loadCertificate(dir.appendingPathComponent(caCertificateFile)) else {
            throw DevPKIError.authorityMissing(directory: dir.path)
        }
        let commonName = leaf.subject.lazy.flatMap { $0 }
            .first { $0.type == .RDNAttributeType.commonName }
            .flatMap { String($0.value) }
        return SigningIdentity(chain: [leaf, ca], privateKey: key, name: commonName ?? username)
    }

    /// The certificates to trust when validating dev signatures: the CA certificate.
    ///
    /// - Returns: an empty array when no CA exists yet.
    /// - Throws: ``DevPKIError/malformed(file:reason:)`` for an unreadable `ca.cert.pem`.
    public static func trustAnchors(in dir: URL) throws -> [Certificate] {
        try loadCertificate(dir.appendingPathComponent(caCertificateFile)).map { [$0] } ?? []
    }

    // MARK: - Files

    static func validate(username: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !username.isEmpty, !username.hasPrefix("."), username != "ca", username.allSatisfy(allowed.contains)
        else { throw DevPKIError.invalidUsername(username) }
    }

    /// The certificate and key, `nil` if neither file exists; throws if only one does, if either
    /// is malformed or if they do not match.
    static func loadPair(in dir: URL, cert: String, key: String) throws -> (Certificate, Certificate.PrivateKey)? {
        let certURL = dir.appendingPathComponent(cert)
        let keyURL = dir.appendingPathComponent(key)
        let fm = FileManager.default
        switch (fm.fileExists(atPath: certURL.path), fm.fileExists(atPath: keyURL.path)) {
        case (false, false): return nil
        case (true, false): throw DevPKIError.incompletePair(present: certURL.path, missing: keyURL.path)
        case (false, true): throw DevPKIError.incompletePair(present: keyURL.path, missing: certURL.path)
        case (true, true): break
        }
        guard let certificate = try loadCertificate(certURL) else {
            throw DevPKIError.incompletePair(present: keyURL.path, missing: certURL.path)
        }
        let privateKey = try loadKey(keyURL)
        guard privateKey.publicKey == certificate.publicKey else {
            throw DevPKIError.keyMismatch(certificate: certURL.path, key: keyURL.path)
        }
        return (certificate, privateKey)
    }

    static func loadCertificate(_ url: URL) throws -> Certificate? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try Certificate(pemEncoded: String(contentsOf: url, encoding: .utf8))
        } catch {
            throw DevPKIError.malformed(file: url.path, reason: "not a PEM certificate (\(error))")
        }
    }

    static func loadKey(_ url: URL) throws -> Certificate.PrivateKey {
        do {
            return Certificate.PrivateKey(try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: url, encoding: .utf8)))
        } catch {
            throw DevPKIError.malformed(file: url.path, reason: "not a PEM P-256 private key (\(error))")
        }
    }

    static func writeCertificate(_ certificate: Certificate, to url: URL) throws {
        try write(Array(certificate.serializeAsPEM().pemString.utf8) + [0x0A], to: url, mode: 0o644)
    }

    static func writeKey(_ key: P256.Signing.PrivateKey, to url: URL) throws {
        try write(Array(key.pemRepresentation.utf8) + [0x0A], to: url, mode: 0o600)
    }

    /// Writes through a temporary file created with `mode` (so a key is never readable by others,
    /// not even briefly) and renames it into place.
    static func write(_ bytes: [UInt8], to url: URL, mode: mode_t) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw posixError(temporary) }
        var written = 0
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let n = posixWrite(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += n
            }
            return fchmod(fd, mode) == 0 && fsync(fd) == 0
        }
        let error = ok ? nil : posixError(temporary)
        close(fd)
        if let error {
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            let error = posixError(url)
            unlink(temporary.path)
            throw error
        }
    }

    static func posixError(_ url: URL) -> any Error {
        let code = errno
        return CocoaError(.fileWriteUnknown, userInfo: [
            NSFilePathErrorKey: url.path,
            NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO),
        ])
    }

    /// 20 random octets with the top bit clear and the next one set: positive, minimal and
    /// exactly 20 octets in DER. (`Certificate.SerialNumber()` may yield 21 encoded octets, which
    /// NSS rejects, making poppler's pdfsig fail to find the signer.)
    static func randomSerialNumber() -> Certificate.SerialNumber {
        var rng = SystemRandomNumberGenerator()
        var bytes = (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }

    static func adding(years: Int, to date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .year, value: years, to: date) ?? date.addingTimeInterval(Double(years) * 365.25 * 86400)
    }
}
