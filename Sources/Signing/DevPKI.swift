// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

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
    /// A PEM file exists but cannot be read as the expected certificate or a P-256 / RSA key.
    case malformed(file: String, reason: String)
    /// A certificate and the key stored next to it do not belong together.
    case keyMismatch(certificate: String, key: String)
    /// One file of a certificate/key pair exists without the other.
    case incompletePair(present: String, missing: String)
    /// ``DevPKI/issue(in:username:fullName:unit:now:algorithm:)`` was called before ``DevPKI/createAuthority(in:name:now:)``.
    case authorityMissing(directory: String)
    /// The username cannot be used as a file name.
    case invalidUsername(String)
    /// ``DevPKI/revoke(in:username:reason:now:)`` was asked to revoke a user without a certificate.
    case noCertificate(username: String)

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
        case .noCertificate(let username):
            return "'\(username)' has no certificate to revoke"
        }
    }
}

/// The kind of key ``DevPKI/issue(in:username:fullName:unit:now:algorithm:)`` generates for a signer.
public enum KeyAlgorithm: String, Sendable, Codable, CaseIterable {
    /// ECDSA on NIST P-256, signatures ecdsa-with-SHA256.
    case p256
    /// RSA with a 2048-bit modulus, signatures sha256WithRSAEncryption (PKCS#1 v1.5): what most
    /// Vietnamese CA-issued tokens still carry, so the demo can show that kind of signature too.
    case rsa2048
}

/// A development PKI kept as PEM files in one directory, so the demo can sign PDFs for real.
///
/// Layout: `ca.cert.pem` / `ca.key.pem` for the certification authority (ECDSA P-256),
/// `<username>.cert.pem` / `<username>.key.pem` per signer (P-256 or RSA-2048), and, once a
/// certificate has been revoked, `revoked.json` (the record) and `ca.crl.pem` (the signed CRL).
/// Keys are PKCS#8 PEM with file mode 0600. Creating and issuing are idempotent: existing valid
/// files are never rewritten.
///
/// This is for development and demonstrations only: keys are unencrypted on disk.
public enum DevPKI {
    /// File name of the CA certificate.
    public static let caCertificateFile = "ca.cert.pem"
    /// File name of the CA private key.
    public static let caKeyFile = "ca.key.pem"
    /// File name of the CA's certificate revocation list (PEM), rewritten by
    /// ``revoke(in:username:reason:now:)`` and ``writeCRL(in:now:)``.
    public static let crlFile = "ca.crl.pem"
    /// File name of the revocation record the CRL is made from (JSON).
    public static let revocationFile = "revoked.json"
    /// How long a dev CRL is current: `nextUpdate` is `thisUpdate` plus this.
    public static let crlValidity: TimeInterval = 7 * 86_400

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

    /// Issues a signing certificate for `username` (2 years, digitalSignature + nonRepudiation
    /// critical, extended key usage documentSigning + emailProtection), signed by the CA in `dir`,
    /// unless a valid one from that CA is already there.
    ///
    /// An existing pair is kept when it parses, matches, was signed by the current CA, is valid
    /// at `now`, has not been revoked with ``revoke(in:username:reason:now:)`` and has a key of
    /// the requested `algorithm`; otherwise (expired, from an earlier CA, revoked, or another key
    /// kind) a new key and certificate replace it.
    ///
    /// - Parameters:
    ///   - dir: the PKI directory holding the CA.
    ///   - username: the account name; also the file name stem.
    ///   - fullName: the subject common name (shown by PDF viewers).
    ///   - unit: the subject organization, e.g. the office the signer works for.
    ///   - now: the start of validity.
    ///   - algorithm: the key kind for a new certificate (ECDSA P-256 unless told otherwise).
    /// - Throws: ``DevPKIError`` for a missing CA, a bad username or malformed files.
    public static func issue(
        in dir: URL, username: String, fullName: String, unit: String?, now: Date, algorithm: KeyAlgorithm = .p256
    ) throws {
        try validate(username: username)
        guard let authority = try loadPair(in: dir, cert: caCertificateFile, key: caKeyFile) else {
            throw DevPKIError.authorityMissing(directory: dir.path)
        }
        let (caCert, caKey) = authority
        if let leaf = try loadPair(in: dir, cert: "\(username).cert.pem", key: "\(username).key.pem")?.0,
            leaf.issuer == caCert.subject,
            caCert.publicKey.isValidSignature(leaf.signature, for: leaf),
            leaf.notValidBefore <= now, now < leaf.notValidAfter,
            keyAlgorithm(of: leaf.publicKey) == algorithm,
            try !revokedSerials(in: dir, authority: caCert).contains(leaf.serialNumber)
        {
            return
        }

        let key = try GeneratedKey(algorithm)
        let publicKey = key.certificateKey.publicKey
        let subject = try DistinguishedName {
            CountryName("VN")
            if let unit, !unit.isEmpty {
                OrganizationName(unit)
            }
            CommonName(fullName)
        }
        let authorityKeyID = try keyIdentifier(of: caCert)
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
            issuer: caCert.subject, subject: subject, signatureAlgorithm: signatureAlgorithm(for: caKey),
            extensions: extensions, issuerPrivateKey: caKey)
        try write(Array(key.pkcs8PEM.utf8) + [0x0A], to: dir.appendingPathComponent("\(username).key.pem"), mode: 0o600)
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

    // MARK: - Revocation

    /// Revokes `username`'s current certificate and rewrites ``crlFile``.
    ///
    /// The serial number goes into ``revocationFile`` with `now` and `reason`; revoking the same
    /// certificate again keeps the first date and reason. The user's files stay (old signatures
    /// still name that certificate); the next ``issue(in:username:fullName:unit:now:algorithm:)``
    /// replaces the revoked pair with a new one.
    ///
    /// - Parameters:
    ///   - dir: the PKI directory holding the CA.
    ///   - username: whose certificate to revoke.
    ///   - reason: the RFC 5280 reason code written to the CRL entry.
    ///   - now: the revocation date, and the new CRL's `thisUpdate`.
    /// - Returns: the CRL just written.
    /// - Throws: ``DevPKIError`` for a missing CA, a bad username, a user without a certificate
    ///   or malformed files.
    @discardableResult
    public static func revoke(in dir: URL, username: String, reason: RevocationReason, now: Date) throws -> CertificateRevocationList {
        try validate(username: username)
        guard let (caCert, _) = try loadPair(in: dir, cert: caCertificateFile, key: caKeyFile) else {
            throw DevPKIError.authorityMissing(directory: dir.path)
        }
        guard let leaf = try loadCertificate(dir.appendingPathComponent("\(username).cert.pem")) else {
            throw DevPKIError.noCertificate(username: username)
        }
        var store = try loadRevocations(in: dir)
        let serial = hex(leaf.serialNumber.bytes)
        let authority = hex(try keyIdentifier(of: caCert))
        if !store.revoked.contains(where: { $0.serial == serial && $0.authorityKeyIdentifier == authority }) {
            store.revoked.append(RevocationRecord(
                serial: serial, username: username, revocationDate: CertificateRevocationList.wholeSeconds(now),
                reason: reason, authorityKeyIdentifier: authority))
        }
        return try writeCRL(in: dir, store: store, now: now)
    }

    /// Issues a fresh CRL (new `thisUpdate`, `nextUpdate` a week later, next CRL number) from
    /// the revocation record, without revoking anything: run it before the last one goes stale.
    ///
    /// - Returns: the CRL just written to ``crlFile``.
    /// - Throws: ``DevPKIError`` for a missing CA or malformed files.
    @discardableResult
    public static func writeCRL(in dir: URL, now: Date) throws -> CertificateRevocationList {
        try writeCRL(in: dir, store: loadRevocations(in: dir), now: now)
    }

    /// The CA's current CRL from ``crlFile``, `nil` when none has been written yet.
    ///
    /// - Throws: ``DevPKIError/malformed(file:reason:)`` for an unreadable file.
    public static func crl(in dir: URL) throws -> CertificateRevocationList? {
        let url = dir.appendingPathComponent(crlFile)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try CertificateRevocationList(contentsOf: url)
        } catch {
            throw DevPKIError.malformed(file: url.path, reason: "not a CRL (\(error))")
        }
    }

    /// One revoked certificate in ``revocationFile``. The authority key identifier ties it to the
    /// CA that issued it, so a CA created again in the same directory starts with an empty CRL.
    struct RevocationRecord: Codable, Equatable {
        var serial: String
        var username: String
        var revocationDate: Date
        var reason: RevocationReason
        var authorityKeyIdentifier: String
    }

    struct RevocationStore: Codable, Equatable {
        /// The number of the last CRL written; the next one gets a larger number (RFC 5280 §5.2.3).
        var crlNumber: Int = 0
        var revoked: [RevocationRecord] = []
    }

    static func loadRevocations(in dir: URL) throws -> RevocationStore {
        let url = dir.appendingPathComponent(revocationFile)
        guard FileManager.default.fileExists(atPath: url.path) else { return RevocationStore() }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(RevocationStore.self, from: Data(contentsOf: url))
        } catch {
            throw DevPKIError.malformed(file: url.path, reason: "not a revocation record (\(error))")
        }
    }

    /// Serials revoked by the CA `authority` according to ``revocationFile``.
    static func revokedSerials(in dir: URL, authority: Certificate) throws -> Set<Certificate.SerialNumber> {
        let id = hex(try keyIdentifier(of: authority))
        return Set(try loadRevocations(in: dir).revoked.filter { $0.authorityKeyIdentifier == id }.compactMap {
            unhex($0.serial).map { Certificate.SerialNumber(bytes: $0) }
        })
    }

    static func writeCRL(in dir: URL, store: RevocationStore, now: Date) throws -> CertificateRevocationList {
        guard let (caCert, caKey) = try loadPair(in: dir, cert: caCertificateFile, key: caKeyFile) else {
            throw DevPKIError.authorityMissing(directory: dir.path)
        }
        var store = store
        store.crlNumber += 1
        let authority = hex(try keyIdentifier(of: caCert))
        let entries = store.revoked.filter { $0.authorityKeyIdentifier == authority }.compactMap { record in
            unhex(record.serial).map {
                CertificateRevocationList.Entry(
                    serialNumber: Certificate.SerialNumber(bytes: $0), revocationDate: record.revocationDate, reason: record.reason)
            }
        }
        let crl = try CertificateRevocationList(
            issuer: caCert, issuerPrivateKey: caKey, crlNumber: store.crlNumber, thisUpdate: now,
            nextUpdate: now.addingTimeInterval(crlValidity), revoked: entries)
        // Record first: if the CRL write fails, the next CRL still gets a fresh, larger number.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try write(Array(try encoder.encode(store)) + [0x0A], to: dir.appendingPathComponent(revocationFile), mode: 0o644)
        try write(Array(crl.pemString.utf8) + [0x0A], to: dir.appendingPathComponent(crlFile), mode: 0o644)
        return crl
    }

    static func keyIdentifier(of ca: Certificate) throws -> ArraySlice<UInt8> {
        try ca.extensions.subjectKeyIdentifier?.keyIdentifier ?? SubjectKeyIdentifier(hash: ca.publicKey).keyIdentifier
    }

    static func hex<C: Collection<UInt8>>(_ bytes: C) -> String {
        bytes.map { String(format: "%02X", $0) }.joined()
    }

    static func unhex(_ s: String) -> [UInt8]? {
        let digits = Array(s.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < digits.count {
            guard let byte = UInt8(String(decoding: digits[i...(i + 1)], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
            i += 2
        }
        return out
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

    /// Reads a P-256 or RSA (2048 bits or more) private key. The kind is taken from the key itself
    /// (the PKCS#8 algorithm, or the PEM label of SEC 1 / PKCS#1 files someone put there by hand),
    /// so files written by OpenSSL work as well as ours.
    static func loadKey(_ url: URL) throws -> Certificate.PrivateKey {
        let key: Certificate.PrivateKey
        do {
            key = try Certificate.PrivateKey(pemEncoded: String(contentsOf: url, encoding: .utf8))
        } catch {
            throw DevPKIError.malformed(file: url.path, reason: "not a PEM P-256 or RSA private key (\(error))")
        }
        guard keyAlgorithm(of: key.publicKey) != nil else {
            throw DevPKIError.malformed(file: url.path, reason: "unsupported key type (use ECDSA P-256 or RSA-2048+)")
        }
        return key
    }

    /// How a CA key signs: ours is P-256, but a hand-placed RSA CA key must still work.
    static func signatureAlgorithm(for key: Certificate.PrivateKey) -> Certificate.SignatureAlgorithm {
        keyAlgorithm(of: key.publicKey) == .rsa2048 ? .sha256WithRSAEncryption : .ecdsaWithSHA256
    }

    /// The dev PKI's name for a public key's kind; `nil` for kinds it does not issue (P-384,
    /// Ed25519, …). RSA keys larger than 2048 bits count as `.rsa2048`: the loader accepts them.
    static func keyAlgorithm(of key: Certificate.PublicKey) -> KeyAlgorithm? {
        if P256.Signing.PublicKey(key) != nil { return .p256 }
        if let rsa = _RSA.Signing.PublicKey(key), rsa.keySizeInBits >= 2048 { return .rsa2048 }
        return nil
    }

    /// A freshly generated signer key with its PKCS#8 PEM form.
    struct GeneratedKey {
        let certificateKey: Certificate.PrivateKey
        let pkcs8PEM: String

        init(_ algorithm: KeyAlgorithm) throws {
            switch algorithm {
            case .p256:
                let key = P256.Signing.PrivateKey()
                certificateKey = Certificate.PrivateKey(key)
                pkcs8PEM = key.pemRepresentation  // swift-crypto writes P-256 keys as PKCS#8 already
            case .rsa2048:
                let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
                certificateKey = Certificate.PrivateKey(key)
                // `pemRepresentation` would be PKCS#1 ("RSA PRIVATE KEY"); keep one format on disk.
                pkcs8PEM = key.pkcs8PEMRepresentation
            }
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
