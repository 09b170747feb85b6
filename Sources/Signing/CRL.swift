// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation
import SwiftASN1
import X509

/// Why a certificate was revoked: the `CRLReason` codes of RFC 5280 §5.3.1.
public enum RevocationReason: Int, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case unspecified = 0
    case keyCompromise = 1
    case cACompromise = 2
    case affiliationChanged = 3
    case superseded = 4
    case cessationOfOperation = 5
    case certificateHold = 6
    // 7 is not used by RFC 5280.
    case removeFromCRL = 8
    case privilegeWithdrawn = 9
    case aACompromise = 10

    /// The RFC 5280 name, e.g. `keyCompromise` (what OpenSSL and pyHanko print too).
    public var description: String {
        switch self {
        case .unspecified: "unspecified"
        case .keyCompromise: "keyCompromise"
        case .cACompromise: "cACompromise"
        case .affiliationChanged: "affiliationChanged"
        case .superseded: "superseded"
        case .cessationOfOperation: "cessationOfOperation"
        case .certificateHold: "certificateHold"
        case .removeFromCRL: "removeFromCRL"
        case .privilegeWithdrawn: "privilegeWithdrawn"
        case .aACompromise: "aACompromise"
        }
    }
}

/// Errors from reading or writing a CRL.
public enum CRLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a DER (or PEM `X509 CRL`) `CertificateList`.
    case malformed(String)
    /// The CRL carries a critical extension this code does not implement (delta CRLs, issuing
    /// distribution points, indirect CRLs): RFC 5280 §5.2 forbids using such a CRL.
    case unsupportedCriticalExtension(String)
    /// The CRL signature algorithm is not one this code verifies.
    case unsupportedSignatureAlgorithm(String)

    public var description: String {
        switch self {
        case .malformed(let why): "malformed CRL: \(why)"
        case .unsupportedCriticalExtension(let oid): "the CRL has an unsupported critical extension \(oid)"
        case .unsupportedSignatureAlgorithm(let oid): "the CRL signature algorithm \(oid) is not supported"
        }
    }
}

/// An X.509 v2 certificate revocation list (RFC 5280 §5), read or built with swift-asn1.
///
/// swift-certificates has no CRL type, so the structure is handled here. Only complete CRLs are
/// supported: a critical extension other than the ones below makes parsing fail rather than
/// have a partial list read as a complete one.
public struct CertificateRevocationList: Sendable, Hashable {
    /// One revoked certificate.
    public struct Entry: Sendable, Hashable {
        /// The revoked certificate's serial number (certificates are named by issuer + serial).
        public var serialNumber: Certificate.SerialNumber
        /// When the CA says the certificate stopped being valid.
        public var revocationDate: Date
        /// The `reasonCode` entry extension; `nil` when absent, which means unspecified.
        public var reason: RevocationReason?

        /// Creates an entry; dates are kept to whole seconds, as the DER encoding does.
        public init(serialNumber: Certificate.SerialNumber, revocationDate: Date, reason: RevocationReason?) {
            self.serialNumber = serialNumber
            self.revocationDate = CertificateRevocationList.wholeSeconds(revocationDate)
            self.reason = reason
        }
    }

    /// The CA that signed the list.
    public let issuer: DistinguishedName
    /// When the list was issued.
    public let thisUpdate: Date
    /// When the next list will be issued; past it this one is stale.
    public let nextUpdate: Date?
    /// The `cRLNumber` extension when it fits an `Int` (it grows with every list the CA issues).
    public let crlNumber: Int?
    /// The `authorityKeyIdentifier` extension's key identifier, which names the signing key.
    public let authorityKeyIdentifier: [UInt8]?
    /// The revoked certificates, in the order the list gives them.
    public let revokedCertificates: [Entry]
    /// The DER encoding, as read or as built.
    public let derEncoded: [UInt8]

    let tbsBytes: ArraySlice<UInt8>
    let signatureAlgorithm: ASN1ObjectIdentifier
    let signatureBytes: [UInt8]

    // MARK: OIDs (RFC 5280 §5.2, §5.3; RFC 5758; RFC 4055)

    static let idAuthorityKeyIdentifier: ASN1ObjectIdentifier = [2, 5, 29, 35]
    static let idCRLNumber: ASN1ObjectIdentifier = [2, 5, 29, 20]
    static let idReasonCode: ASN1ObjectIdentifier = [2, 5, 29, 21]
    static let idInvalidityDate: ASN1ObjectIdentifier = [2, 5, 29, 24]
    static let algorithms: [ASN1ObjectIdentifier: Certificate.SignatureAlgorithm] = [
        [1, 2, 840, 10045, 4, 3, 2]: .ecdsaWithSHA256,
        [1, 2, 840, 10045, 4, 3, 3]: .ecdsaWithSHA384,
        [1, 2, 840, 10045, 4, 3, 4]: .ecdsaWithSHA512,
        [1, 2, 840, 113549, 1, 1, 11]: .sha256WithRSAEncryption,
        [1, 2, 840, 113549, 1, 1, 12]: .sha384WithRSAEncryption,
        [1, 2, 840, 113549, 1, 1, 13]: .sha512WithRSAEncryption,
    ]

    // MARK: - Reading

    /// Reads a DER `CertificateList`.
    ///
    /// - Throws: ``CRLError`` when it is not a v1/v2 CRL or has an unsupported critical extension.
    public init(derEncoded bytes: [UInt8]) throws {
        let root: ASN1Node
        do {
            root = try DER.parse(bytes)
        } catch {
            throw CRLError.malformed("not DER (\(error))")
        }
        let top = try Self.children(root, "CertificateList")
        guard top.count == 3, top[0].identifier == .sequence else { throw CRLError.malformed("CertificateList is not a SEQUENCE of 3") }
        let outerAlgorithm = try Self.algorithmOID(top[1])
        let signature: ASN1BitString
        do {
            signature = try ASN1BitString(derEncoded: top[2])
        } catch {
            throw CRLError.malformed("signatureValue is not a BIT STRING")
        }
        var fields = try Self.children(top[0], "tbsCertList")[...]
        // version is optional (absent = v1) and, when present, must be v2 (INTEGER 1).
        if let first = fields.first, first.identifier == .integer {
            guard (try? Int(derEncoded: first)) == 1 else { throw CRLError.malformed("unsupported CRL version") }
            fields.removeFirst()
        }
        guard fields.count >= 3 else { throw CRLError.malformed("tbsCertList is too short") }
        // RFC 5280 §5.1.1.2: the inner and outer algorithm identifiers must agree.
        guard try Self.algorithmOID(fields.removeFirst()) == outerAlgorithm else {
            throw CRLError.malformed("the signature algorithms inside and outside tbsCertList differ")
        }
        do {
            issuer = try DistinguishedName(derEncoded: fields.removeFirst())
        } catch {
            throw CRLError.malformed("issuer is not a Name")
        }
        thisUpdate = try Self.time(fields.removeFirst())
        var next: Date?
        if let f = fields.first, f.identifier == .utcTime || f.identifier == .generalizedTime {
            next = try Self.time(f)
            fields.removeFirst()
        }
        nextUpdate = next

        var entries: [Entry] = []
        if let f = fields.first, f.identifier == .sequence {
            fields.removeFirst()
            for entryNode in try Self.children(f, "revokedCertificates") {
                let parts = try Self.children(entryNode, "revoked certificate entry")
                guard parts.count >= 2, let serial = try? ArraySlice<UInt8>(derEncoded: parts[0]) else {
                    throw CRLError.malformed("revoked certificate entry without a serial number")
                }
                let date = try Self.time(parts[1])
                var reason: RevocationReason?
                if parts.count > 2 {
                    for ext in try Self.extensions(parts[2]) {
                        switch ext.oid {
                        case Self.idReasonCode:
                            guard let node = try? DER.parse(ext.value), let code = try? Int(derEncoded: node, withIdentifier: .enumerated),
                                let value = RevocationReason(rawValue: code)
                            else { throw CRLError.malformed("bad reasonCode") }
                            reason = value
                        case Self.idInvalidityDate:
                            break  // informative only
                        default:
                            if ext.critical { throw CRLError.unsupportedCriticalExtension(ext.oid.description) }
                        }
                    }
                }
                entries.append(Entry(serialNumber: Certificate.SerialNumber(bytes: serial), revocationDate: date, reason: reason))
            }
        }
        revokedCertificates = entries

        var number: Int?
        var aki: [UInt8]?
        if let f = fields.first, f.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            fields.removeFirst()
            guard let inner = try Self.children(f, "crlExtensions").first else { throw CRLError.malformed("empty crlExtensions") }
            for ext in try Self.extensions(inner) {
                switch ext.oid {
                case Self.idCRLNumber:
                    guard let node = try? DER.parse(ext.value), let value = try? ArraySlice<UInt8>(derEncoded: node) else {
                        throw CRLError.malformed("bad cRLNumber")
                    }
                    number = value.count <= 8 ? value.reduce(0) { $0 << 8 | Int($1) } : nil
                    if let n = number, n < 0 { number = nil }
                case Self.idAuthorityKeyIdentifier:
                    aki = (try? AuthorityKeyIdentifier(ext))?.keyIdentifier.map(Array.init)
                default:
                    if ext.critical { throw CRLError.unsupportedCriticalExtension(ext.oid.description) }
                }
            }
        }
        guard fields.isEmpty else { throw CRLError.malformed("unexpected fields at the end of tbsCertList") }
        crlNumber = number
        authorityKeyIdentifier = aki
        tbsBytes = top[0].encodedBytes
        signatureAlgorithm = outerAlgorithm
        signatureBytes = Array(signature.bytes)
        derEncoded = bytes
    }

    /// Reads a PEM `X509 CRL` block.
    public init(pemEncoded pem: String) throws {
        let document: PEMDocument
        do {
            document = try PEMDocument(pemString: pem)
        } catch {
            throw CRLError.malformed("not PEM (\(error))")
        }
        guard document.discriminator == "X509 CRL" else {
            throw CRLError.malformed("the PEM block is '\(document.discriminator)', not 'X509 CRL'")
        }
        try self.init(derEncoded: document.derBytes)
    }

    /// Reads a CRL file, PEM or DER: CAs publish DER at their distribution points, while
    /// `openssl ca -gencrl` and the dev PKI write PEM.
    public init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        // A PEM file starts with its armour line (possibly after blank lines); DER starts with 0x30.
        if let first = bytes.first(where: { !PDFParser.isWhitespace($0) }), first == UInt8(ascii: "-") {
            try self.init(pemEncoded: String(decoding: bytes, as: UTF8.self))
        } else {
            try self.init(derEncoded: bytes)
        }
    }

    /// The PEM form (`-----BEGIN X509 CRL-----`).
    public var pemString: String {
        PEMDocument(type: "X509 CRL", derBytes: derEncoded).pemString
    }

    /// The entry for `serialNumber`, if the list revokes it.
    public func entry(for serialNumber: Certificate.SerialNumber) -> Entry? {
        revokedCertificates.first { $0.serialNumber == serialNumber }
    }

    /// Whether `issuer` signed this list: its subject is the list's issuer, the key identifiers
    /// agree when both are present, and its public key verifies the signature.
    public func isSignatureValid(issuer certificate: Certificate) -> Bool {
        guard certificate.subject == issuer, let algorithm = Self.algorithms[signatureAlgorithm] else { return false }
        if let aki = authorityKeyIdentifier, let ski = (try? certificate.extensions.subjectKeyIdentifier)??.keyIdentifier,
            !ski.elementsEqual(aki)
        {
            return false
        }
        return certificate.publicKey.isValidSignature(signatureBytes, for: tbsBytes, signatureAlgorithm: algorithm)
    }

    // MARK: - Building

    /// Builds and signs a v2 CRL with the `authorityKeyIdentifier` and `cRLNumber` extensions
    /// and, per entry, a `reasonCode` (left out for `nil` and `.unspecified`, as RFC 5280 §5.3.1
    /// asks).
    ///
    /// - Parameters:
    ///   - issuer: the CA certificate (its subject becomes the CRL issuer, its key identifier the
    ///     authority key identifier).
    ///   - issuerPrivateKey: the CA's key (P-256 signs ecdsa-with-SHA256, RSA sha256WithRSAEncryption).
    ///   - crlNumber: a number larger than every earlier list's.
    ///   - thisUpdate: the issue time.
    ///   - nextUpdate: the promised time of the next list.
    ///   - revoked: the revoked certificates.
    public init(
        issuer: Certificate, issuerPrivateKey: Certificate.PrivateKey, crlNumber: Int, thisUpdate: Date, nextUpdate: Date,
        revoked: [Entry]
    ) throws {
        let algorithm: Certificate.SignatureAlgorithm
        let algorithmDER: [UInt8]
        let supported = issuerPrivateKey.supportedSignatureAlgorithms
        if supported.contains(.ecdsaWithSHA256) {
            algorithm = .ecdsaWithSHA256
            algorithmDER = try CMSSignedData.algorithmIdentifier(CMSSignedData.ecdsaWithSHA256, nullParameters: false)
        } else if supported.contains(.sha256WithRSAEncryption) {
            algorithm = .sha256WithRSAEncryption
            algorithmDER = try CMSSignedData.algorithmIdentifier(CMSSignedData.sha256WithRSAEncryption, nullParameters: true)
        } else {
            throw CMSError.unsupportedKey(String(describing: issuerPrivateKey))
        }
        let keyIdentifier = try issuer.extensions.subjectKeyIdentifier?.keyIdentifier
            ?? SubjectKeyIdentifier(hash: issuer.publicKey).keyIdentifier
        let akiExtension = try Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: keyIdentifier), critical: false)
        let numberExtension = Certificate.Extension(
            oid: Self.idCRLNumber, critical: false, value: ArraySlice(try CMSSignedData.der { try $0.serialize(crlNumber) }))

        let tbs = try CMSSignedData.der { s in
            try s.appendConstructedNode(identifier: .sequence) { s in
                try s.serialize(1)  // v2: required because the list has extensions
                s.serializeRawBytes(algorithmDER)
                try s.serialize(issuer.subject)
                try Self.serialize(time: thisUpdate, into: &s)
                try Self.serialize(time: nextUpdate, into: &s)
                // RFC 5280 §5.1.2.6: an empty list is left out, not written as an empty SEQUENCE.
                if !revoked.isEmpty {
                    try s.appendConstructedNode(identifier: .sequence) { s in
                        for entry in revoked {
                            try s.appendConstructedNode(identifier: .sequence) { s in
                                try s.serialize(entry.serialNumber.bytes)
                                try Self.serialize(time: entry.revocationDate, into: &s)
                                if let reason = entry.reason, reason != .unspecified {
                                    var value = DER.Serializer()
                                    try reason.rawValue.serialize(into: &value, withIdentifier: .enumerated)
                                    let ext = Certificate.Extension(
                                        oid: Self.idReasonCode, critical: false, value: ArraySlice(value.serializedBytes))
                                    try s.appendConstructedNode(identifier: .sequence) { s in try s.serialize(ext) }
                                }
                            }
                        }
                    }
                }
                try s.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { s in
                    try s.appendConstructedNode(identifier: .sequence) { s in
                        try s.serialize(akiExtension)
                        try s.serialize(numberExtension)
                    }
                }
            }
        }
        let signature = try issuerPrivateKey.sign(bytes: tbs, signatureAlgorithm: algorithm)
        let der = try CMSSignedData.der { s in
            try s.appendConstructedNode(identifier: .sequence) { s in
                s.serializeRawBytes(tbs)
                s.serializeRawBytes(algorithmDER)
                try s.serialize(ASN1BitString(bytes: ArraySlice(signature.rawRepresentation)))
            }
        }
        // Reading back what was written keeps a single source of truth for the properties.
        try self.init(derEncoded: der)
    }

    // MARK: - Helpers

    static func children(_ node: ASN1Node, _ what: String) throws -> [ASN1Node] {
        guard case .constructed(let c) = node.content else { throw CRLError.malformed("\(what) is not constructed") }
        return Array(c)
    }

    static func algorithmOID(_ node: ASN1Node) throws -> ASN1ObjectIdentifier {
        guard node.identifier == .sequence, let first = try children(node, "AlgorithmIdentifier").first,
            let oid = try? ASN1ObjectIdentifier(derEncoded: first)
        else { throw CRLError.malformed("bad AlgorithmIdentifier") }
        return oid
    }

    static func extensions(_ node: ASN1Node) throws -> [Certificate.Extension] {
        try children(node, "Extensions").map { child in
            do {
                return try Certificate.Extension(derEncoded: child)
            } catch {
                throw CRLError.malformed("bad extension (\(error))")
            }
        }
    }

    static func utcCalendar() -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// RFC 5280 `Time`: UTCTime for 1950–2049, GeneralizedTime otherwise.
    static func time(_ node: ASN1Node) throws -> Date {
        var c = DateComponents()
        var fraction = 0.0
        if node.identifier == .utcTime, let t = try? UTCTime(derEncoded: node) {
            (c.year, c.month, c.day, c.hour, c.minute, c.second) = (t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
        } else if node.identifier == .generalizedTime, let t = try? GeneralizedTime(derEncoded: node) {
            (c.year, c.month, c.day, c.hour, c.minute, c.second) = (t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
            fraction = t.fractionalSeconds
        } else {
            throw CRLError.malformed("bad time")
        }
        guard let date = utcCalendar().date(from: c) else { throw CRLError.malformed("bad time") }
        return date.addingTimeInterval(fraction)
    }

    static func serialize(time date: Date, into s: inout DER.Serializer) throws {
        let c = utcCalendar().dateComponents([.year, .month, .day, .hour, .minute, .second], from: wholeSeconds(date))
        let (y, mo, d, h, mi, se) = (c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        if (1950...2049).contains(y) {
            try s.serialize(UTCTime(year: y, month: mo, day: d, hours: h, minutes: mi, seconds: se))
        } else {
            try s.serialize(GeneralizedTime(year: y, month: mo, day: d, hours: h, minutes: mi, seconds: se, fractionalSeconds: 0))
        }
    }
}
