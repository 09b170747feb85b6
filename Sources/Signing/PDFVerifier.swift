// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation
import SwiftASN1
import X509

/// The verdict on one PDF: every signature found and an overall answer with reasons.
public struct VerificationReport: Codable, Sendable {
    /// True when the file has at least one signature, every signature is intact and trusted, and
    /// no revision after a signature changes what was signed in a disallowed way.
    public let valid: Bool
    /// One entry per signature dictionary, in signing order (by the end of its `/ByteRange`).
    public let signatures: [SignatureReport]
    /// Why `valid` is false (empty when valid), short English sentences.
    public let reasons: [String]

    /// Creates a report.
    public init(valid: Bool, signatures: [SignatureReport], reasons: [String]) {
        self.valid = valid
        self.signatures = signatures
        self.reasons = reasons
    }
}

/// What was found about one signature.
public struct SignatureReport: Codable, Sendable {
    /// The signature field's fully qualified name (`/T`, joined with parents by dots), if a field refers to it.
    public let fieldName: String?
    /// The signer certificate's common name (CN).
    public let signerName: String?
    /// The signer certificate's subject (RFC 4514 style).
    public let signerCertificateSubject: String?
    /// The signer certificate's issuer.
    public let issuer: String?
    /// Subjects from the signer certificate up to the trust anchor (or as far as it could be built).
    public let chain: [String]
    /// The chain reaches one of the configured trust anchors with valid signatures and dates.
    public let trusted: Bool
    /// The claimed signing time from the signature dictionary's `/M`, as ISO 8601 when it parses.
    public let signingTime: String?
    /// The signature dictionary's `/SubFilter`, e.g. `ETSI.CAdES.detached`.
    public let subFilter: String?
    /// The `/ByteRange` digest equals the CMS message-digest and the CMS signature verifies with
    /// the signer certificate's key.
    public let intact: Bool
    /// The `/ByteRange` is well formed: it starts at 0, skips exactly the `/Contents` hex string,
    /// and ends at the end of a revision (an `%%EOF`).
    public let coversWholeDocumentAtItsRevision: Bool
    /// Later revisions follow this signature's `/ByteRange`.
    public let modifiedAfter: Bool
    /// When `modifiedAfter`: whether those later revisions only add signatures, annotations and
    /// form updates (true), change signed content (false), or could not be inspected (nil).
    public let laterChangesAllowed: Bool?
    /// What was checked about the signer certificate's revocation, one English sentence, e.g.
    /// "checked against the CRL of CN=…, next update 2026-11-28T10:00:00Z: not revoked" or
    /// "not checked: no CRL for CN=…". A revoked certificate also adds a reason; a missing,
    /// stale or forged CRL does not (revocation is then simply unknown).
    public let revocation: String
    /// The RFC 3161 signature timestamp (PAdES B-T) in the CMS, if any. A token that does not
    /// match the signature or whose signature fails adds a reason; an untrusted TSA is only
    /// reported here (the signature is then as good as one without a timestamp).
    public let timestamp: TimestampReport?
    /// Problems with this signature, short English sentences.
    public let reasons: [String]
}

/// Verifies the signatures of a PDF (PAdES / `adbe.pkcs7.detached`) without trusting its own signer.
///
/// What is checked: the `/ByteRange` shape, the SHA-2 digest against the CMS message-digest
/// attribute, the CMS signature over the signed attributes (RSA PKCS#1 v1.5 and ECDSA with
/// SHA-256/384/512), the certificate chain to the given anchors (issuer name match, each
/// certificate's signature, validity dates at `now`, CA basic constraints on issuers — a simple
/// path check, not the full RFC 5280 policy of swift-certificates' `Verifier`, which is async),
/// the signer certificate against the CRLs given (when one from its issuer is there), an RFC 3161
/// signature timestamp when present (imprint, token signature, TSA chain to the same anchors),
/// and the objects changed by revisions after each signature.
/// Not checked: OCSP, CRLs embedded in the PDF (DSS) or fetched from distribution points,
/// revocation of intermediate CA certificates, document timestamps and LTV data, key-usage and
/// certificate policies, DocMDP/FieldMDP permission levels, objects inside compressed object streams.
public enum PDFVerifier {
    /// Verifies every signature in `pdf`.
    ///
    /// - Parameters:
    ///   - pdf: the file bytes.
    ///   - trustAnchors: root (or other) certificates to trust.
    ///   - now: the time at which certificate validity and CRL freshness are judged.
    ///   - crls: revocation lists to check signer certificates against; the one(s) whose issuer
    ///     is the signer certificate's issuer are used. Without one, revocation is reported as not
    ///     checked and does not affect `valid`.
    /// - Returns: the report; this never throws — unreadable input yields `valid == false` with a reason.
    public static func verify(
        pdf: Data, trustAnchors: [Certificate], at now: Date = Date(), crls: [CertificateRevocationList] = []
    ) -> VerificationReport {
        let bytes = [UInt8](pdf)
        guard bytes.count > 8, bytes.starts(with: Array("%PDF-".utf8)) else {
            return VerificationReport(valid: false, signatures: [], reasons: ["not a PDF file"])
        }
        let file = ScannedFile(bytes)
        let sigDefs = file.signatureDefinitions()
        if sigDefs.isEmpty {
            return VerificationReport(valid: false, signatures: [], reasons: ["the document has no signatures"])
        }
        var reports: [SignatureReport] = []
        var reasons: [String] = []
        for (index, def) in sigDefs.enumerated() {
            let report = verifySignature(def, number: index + 1, file: file, trustAnchors: trustAnchors, crls: crls, now: now)
            reports.append(report)
            reasons += report.reasons
        }
        return VerificationReport(valid: reasons.isEmpty, signatures: reports, reasons: reasons)
    }

    // MARK: - One signature

    static func verifySignature(
        _ def: ScannedFile.Definition, number i: Int, file: ScannedFile, trustAnchors: [Certificate],
        crls: [CertificateRevocationList], now: Date
    ) -> SignatureReport {
        let bytes = file.bytes
        let dict = def.object
        var reasons: [String] = []
        let label = "signature \(i)"
        let fieldName = file.fieldName(forSignature: def.number)
        let subFilter: String? = if case .name(let n)? = dict["SubFilter"] { n } else { nil }
        var signingTime: String?
        if case .string(let s)? = dict["M"] { signingTime = pdfDateToISO(decodeTextString(s)) }

        // /ByteRange shape.
        var wellFormed = false
        var rangeEnd = 0
        var signedContent: [UInt8]?
        let br: [Int]? = if case .array(let items)? = dict["ByteRange"] { items.compactMap(\.intValue) } else { nil }
        // Bounding each value by the file size first keeps the sums below from overflowing.
        if let br, br.count == 4, br.allSatisfy({ $0 >= 0 && $0 <= bytes.count }), br[0] + br[1] <= br[2], br[2] + br[3] <= bytes.count {
            rangeEnd = br[2] + br[3]
            signedContent = Array(bytes[br[0]..<(br[0] + br[1])]) + Array(bytes[br[2]..<rangeEnd])
            let gapIsContents = br[1] + 2 <= br[2] && bytes[br[1]] == UInt8(ascii: "<") && bytes[br[2] - 1] == UInt8(ascii: ">")
                && bytes[(br[1] + 1)..<(br[2] - 1)].allSatisfy { isHexDigit($0) || PDFParser.isWhitespace($0) }
                && def.offset < br[2] && br[1] > def.offset
            let contentsMatches: Bool = {
                guard case .string(let s)? = dict["Contents"] else { return false }
                return s.elementsEqual(bytes[br[1]..<br[2]])
            }()
            if br[0] != 0 {
                reasons.append("\(label): the byte range does not start at the beginning of the file")
            } else if !gapIsContents || !contentsMatches {
                reasons.append("\(label): the byte range gap is not exactly the signature's /Contents")
            } else if !file.revisionEnds.contains(rangeEnd) {
                reasons.append("\(label): the byte range does not end at the end of a revision (%%EOF)")
            } else {
                wellFormed = true
            }
        } else {
            reasons.append("\(label): /ByteRange is missing or malformed")
        }

        // CMS.
        var intact = false
        var signer: Certificate?
        var cmsCertificates: [Certificate] = []
        var timestamp: TimestampReport?
        if subFilter == "ETSI.RFC3161" {
            reasons.append("\(label): document timestamps are not verified")
        } else if case .string(let hex)? = dict["Contents"], let content = signedContent {
            do {
                let cms = try ParsedCMS(der: hexDecode(hex))
                cmsCertificates = cms.certificates
                signer = cms.signerCertificate
                if let problem = cms.verify(content: content) {
                    reasons.append("\(label): \(problem)")
                } else {
                    intact = true
                }
                if let token = cms.timestampTokens.first {
                    let report = verifyTimestamp(token, signatureValue: cms.signature, anchors: trustAnchors, now: now)
                    timestamp = report
                    if !report.imprintMatches || !report.signatureValid {
                        reasons.append("\(label): the signature timestamp is invalid (\(report.problems.joined(separator: "; ")))")
                    }
                }
            } catch let e as VerifyProblem {
                reasons.append("\(label): \(e.text)")
            } catch {
                reasons.append("\(label): the CMS signature cannot be parsed (\(error))")
            }
        } else if signedContent != nil {
            reasons.append("\(label): /Contents is missing")
        }

        // Chain.
        var chain: [String] = []
        var trusted = false
        var revocation = "not checked: no signer certificate"
        if let signer {
            let result = buildChain(leaf: signer, pool: cmsCertificates, anchors: trustAnchors, now: now)
            chain = result.chain.map { $0.subject.description }
            trusted = result.problem == nil
            if let p = result.problem { reasons.append("\(label): \(p)") }

            // The issuer that verified the leaf's signature in the chain, or else any known
            // certificate that did (so a CRL can be judged even when the chain stops short).
            let issuerCertificate = result.chain.count > 1 ? result.chain[1] : (trustAnchors + cmsCertificates).first {
                $0.subject == signer.issuer && $0.publicKey.isValidSignature(signer.signature, for: signer)
            }
            let check = checkRevocation(of: signer, issuer: issuerCertificate, crls: crls, now: now)
            revocation = check.summary
            if let p = check.problem { reasons.append("\(label): \(p)") }
        } else if intact {
            reasons.append("\(label): no signer certificate")
        }

        // Later revisions.
        let modifiedAfter = rangeEnd > 0 && bytes[rangeEnd...].contains { !PDFParser.isWhitespace($0) }
        var laterAllowed: Bool?
        if modifiedAfter {
            let changes = file.changes(after: rangeEnd)
            if changes.uninspectable.isEmpty == false {
                laterAllowed = nil
                reasons.append("document changed after signing: a revision after \(label) \(changes.uninspectable[0])")
            } else if let first = changes.disallowed.first {
                laterAllowed = false
                reasons.append("document changed after signing: a revision after \(label) \(first)")
            } else {
                laterAllowed = true
            }
        }

        return SignatureReport(
            fieldName: fieldName, signerName: signer.flatMap(commonName), signerCertificateSubject: signer?.subject.description,
            issuer: signer?.issuer.description, chain: chain, trusted: trusted, signingTime: signingTime, subFilter: subFilter,
            intact: intact, coversWholeDocumentAtItsRevision: wellFormed, modifiedAfter: modifiedAfter,
            laterChangesAllowed: laterAllowed, revocation: revocation, timestamp: timestamp, reasons: reasons)
    }

    /// Judges `certificate` against the CRLs of its issuer.
    ///
    /// Among the lists naming the issuer, the newest one whose signature the issuer's key verifies
    /// is used. A forged, stale or missing list leaves revocation unknown (summary only, no
    /// problem), except that an authentic but stale list that already revokes the certificate
    /// still counts: revocation is permanent (RFC 5280 §3.3), a hold aside.
    ///
    /// - Returns: the sentence for ``SignatureReport/revocation`` and, when revoked, the reason
    ///   that makes the signature invalid.
    static func checkRevocation(
        of certificate: Certificate, issuer: Certificate?, crls: [CertificateRevocationList], now: Date
    ) -> (summary: String, problem: String?) {
        let issuerName = certificate.issuer.description
        if certificate.subject == certificate.issuer, issuer == certificate || issuer == nil {
            return ("not checked: the signer's certificate is self-signed", nil)
        }
        let candidates = crls.filter { $0.issuer == certificate.issuer }
        if candidates.isEmpty { return ("not checked: no CRL for \(issuerName)", nil) }
        guard let issuer else { return ("not checked: the certificate of \(issuerName) is unknown, so its CRL cannot be verified", nil) }
        let authentic = candidates.filter { $0.isSignatureValid(issuer: issuer) }
        guard let crl = authentic.max(by: { ($0.thisUpdate, $0.crlNumber ?? -1) < ($1.thisUpdate, $1.crlNumber ?? -1) }) else {
            return ("not checked: the CRL signature is invalid", nil)
        }
        let entry = crl.entry(for: certificate.serialNumber)
        let revoked = entry.map { e in
            "the signer's certificate was revoked on \(iso(e.revocationDate)) (\(e.reason ?? .unspecified))"
        }
        if now < crl.thisUpdate {
            // A list from after `now` (clock skew, or judging at a past date) still proves a
            // revocation that had happened by then.
            if let revoked, let e = entry, e.revocationDate <= now, e.reason != .certificateHold {
                return ("not checked: the CRL of \(issuerName) is not valid until \(iso(crl.thisUpdate)); it already lists the certificate as revoked", revoked)
            }
            return ("not checked: the CRL of \(issuerName) is not valid until \(iso(crl.thisUpdate))", nil)
        }
        if let next = crl.nextUpdate, now > next {
            if let revoked, entry?.reason != .certificateHold {
                return ("not checked: the CRL of \(issuerName) expired on \(iso(next)); it already lists the certificate as revoked", revoked)
            }
            return ("not checked: the CRL of \(issuerName) expired on \(iso(next))", nil)
        }
        let checked = "checked against the CRL of \(issuerName), next update \(crl.nextUpdate.map(iso) ?? "not given")"
        if let revoked, let e = entry {
            return ("\(checked): revoked on \(iso(e.revocationDate)) (\(e.reason ?? .unspecified))", revoked)
        }
        return ("\(checked): not revoked", nil)
    }

    /// `2026-11-21T10:00:00Z`: UTC, whole seconds, as in the rest of the report.
    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    static func commonName(_ cert: Certificate) -> String? {
        for rdn in cert.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return String(describing: attribute.value)
            }
        }
        return nil
    }

    /// A simple path check: from the leaf, follow issuers (from the CMS certificates) until a
    /// certificate is issued by (or is) a trust anchor; every link's signature and dates are checked.
    static func buildChain(leaf: Certificate, pool: [Certificate], anchors: [Certificate], now: Date)
        -> (chain: [Certificate], problem: String?)
    {
        var chain = [leaf]
        var current = leaf
        func dated(_ c: Certificate) -> String? {
            if now < c.notValidBefore { return "certificate \(c.subject) is not yet valid" }
            if now > c.notValidAfter { return "certificate \(c.subject) expired" }
            return nil
        }
        func isCA(_ c: Certificate) -> Bool {
            if case .isCertificateAuthority? = (try? c.extensions.basicConstraints) ?? nil { return true }
            return false
        }
        for _ in 0..<10 {
            if let p = dated(current) { return (chain, p) }
            if anchors.contains(current) { return (chain, nil) }
            if let anchor = anchors.first(where: {
                $0.subject == current.issuer && $0.publicKey.isValidSignature(current.signature, for: current)
            }) {
                chain.append(anchor)
                if let p = dated(anchor) { return (chain, p) }
                return (chain, nil)
            }
            guard current.subject != current.issuer,
                let next = pool.first(where: {
                    $0 != current && $0.subject == current.issuer && isCA($0)
                        && $0.publicKey.isValidSignature(current.signature, for: current)
                }), !chain.contains(next)
            else { break }
            chain.append(next)
            current = next
        }
        return (chain, "signer certificate does not chain to a trusted anchor")
    }

    // MARK: - Small helpers

    static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
    }

    /// Decodes a `<…>` hex string token (delimiters included) to bytes.
    static func hexDecode(_ token: [UInt8]) -> [UInt8] {
        var digits: [UInt8] = []
        for c in token where isHexDigit(c) {
            digits.append(c <= 57 ? c - 48 : (c | 0x20) - 87)
        }
        if digits.count % 2 == 1 { digits.append(0) }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var k = 0
        while k < digits.count {
            out.append(digits[k] << 4 | digits[k + 1])
            k += 2
        }
        return out
    }

    /// Decodes a PDF text string token (literal with escapes, or hex; UTF-16BE with BOM or
    /// PDFDocEncoding approximated by Latin-1).
    static func decodeTextString(_ token: [UInt8]) -> String {
        var raw: [UInt8] = []
        if token.first == UInt8(ascii: "<") {
            raw = hexDecode(token)
        } else {
            var k = 1
            let end = token.count - 1
            while k < end {
                let c = token[k]
                if c == UInt8(ascii: "\\"), k + 1 < end {
                    k += 1
                    let e = token[k]
                    switch e {
                    case UInt8(ascii: "n"): raw.append(10)
                    case UInt8(ascii: "r"): raw.append(13)
                    case UInt8(ascii: "t"): raw.append(9)
                    case UInt8(ascii: "b"): raw.append(8)
                    case UInt8(ascii: "f"): raw.append(12)
                    case 48...55:
                        var v = 0
                        var n = 0
                        while n < 3, k < end, (48...55).contains(token[k]) {
                            v = v * 8 + Int(token[k] - 48)
                            k += 1
                            n += 1
                        }
                        raw.append(UInt8(v & 0xFF))
                        continue
                    case 10, 13:
                        if e == 13, k + 1 < end, token[k + 1] == 10 { k += 1 }
                    default: raw.append(e)
                    }
                    k += 1
                    continue
                }
                raw.append(c)
                k += 1
            }
        }
        if raw.count >= 2, raw[0] == 0xFE, raw[1] == 0xFF {
            var units: [UInt16] = []
            var k = 2
            while k + 1 < raw.count {
                units.append(UInt16(raw[k]) << 8 | UInt16(raw[k + 1]))
                k += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        if raw.count >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF {
            return String(decoding: raw.dropFirst(3), as: UTF8.self)
        }
        return String(raw.map { Character(Unicode.Scalar($0)) })
    }

    /// `D:YYYYMMDDHHmmSSOHH'mm'` → ISO 8601; the input unchanged if it does not parse.
    static func pdfDateToISO(_ s: String) -> String {
        var t = Substring(s)
        if t.hasPrefix("D:") { t = t.dropFirst(2) }
        let digits = t.prefix { $0.isNumber }
        guard digits.count >= 4 else { return s }
        func part(_ from: Int, _ len: Int, _ def: String) -> String {
            let a = digits.dropFirst(from).prefix(len)
            return a.count == len ? String(a) : def
        }
        var iso = "\(part(0, 4, "0000"))-\(part(4, 2, "01"))-\(part(6, 2, "01"))T\(part(8, 2, "00")):\(part(10, 2, "00")):\(part(12, 2, "00"))"
        let rest = t.dropFirst(digits.count)
        if let sign = rest.first, sign == "+" || sign == "-" {
            let tz = rest.dropFirst().filter { $0.isNumber }
            let hh = tz.prefix(2), mm = tz.dropFirst(2).prefix(2)
            iso += "\(sign)\(hh.count == 2 ? String(hh) : "00"):\(mm.count == 2 ? String(mm) : "00")"
        } else {
            iso += "Z"
        }
        return iso
    }
}

/// A problem found while reading the CMS, worded for the report.
struct VerifyProblem: Error {
    let text: String
}

// MARK: - CMS SignedData (RFC 5652), read with swift-asn1

/// The parts of a detached CMS `SignedData` that verification needs.
struct ParsedCMS {
    var certificates: [Certificate] = []
    var signerCertificate: Certificate?
    var digestAlgorithm: ASN1ObjectIdentifier = CMSSignedData.idSHA256
    /// The signed attributes re-encoded as a universal SET (what the signature covers).
    var signedAttributesForSigning: [UInt8]?
    var messageDigest: [UInt8]?
    var signatureAlgorithm: ASN1ObjectIdentifier = CMSSignedData.sha256WithRSAEncryption
    var signature: [UInt8] = []
    /// `encapContentInfo`: the content type, and the content when not detached (a timestamp
    /// token carries its TSTInfo there).
    var encapsulatedContentType: ASN1ObjectIdentifier?
    var encapsulatedContent: [UInt8]?
    /// The signed content-type attribute, when present (RFC 5652 §11.1 requires it to match).
    var contentTypeAttribute: ASN1ObjectIdentifier?
    /// Values of the id-aa-signatureTimeStampToken unsigned attribute (DER `ContentInfo`s).
    var timestampTokens: [[UInt8]] = []

    static let sha384: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 2]
    static let sha512: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 3]
    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 1]
    static let rsaPSS: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 10]
    static let ecPublicKey: ASN1ObjectIdentifier = [1, 2, 840, 10045, 2, 1]

    init(der padded: [UInt8]) throws {
        // /Contents is zero-padded after the DER: keep only the outer TLV.
        guard padded.count > 2, padded[0] == 0x30 else { throw VerifyProblem(text: "/Contents is not a CMS structure") }
        var length = 0
        var header = 2
        if padded[1] & 0x80 == 0 {
            length = Int(padded[1])
        } else if padded[1] == 0x80 {
            length = padded.count - 2  // BER indefinite length: let the BER parser find the end
        } else {
            let n = Int(padded[1] & 0x7F)
            guard n <= 4, padded.count > 2 + n else { throw VerifyProblem(text: "/Contents is not a CMS structure") }
            for k in 0..<n { length = length << 8 | Int(padded[2 + k]) }
            header += n
        }
        guard header + length <= padded.count else { throw VerifyProblem(text: "the CMS structure is truncated") }
        let der = Array(padded.prefix(header + length))
        let root: ASN1Node
        if let r = try? DER.parse(der) { root = r } else { root = try BER.parse(der) }

        func children(_ node: ASN1Node) throws -> [ASN1Node] {
            guard case .constructed(let c) = node.content else { throw VerifyProblem(text: "unexpected CMS structure") }
            return Array(c)
        }
        func firstChild(_ node: ASN1Node) throws -> ASN1Node {
            guard let first = try children(node).first else { throw VerifyProblem(text: "unexpected CMS structure") }
            return first
        }
        let contentInfo = try children(root)
        guard contentInfo.count >= 2, try ASN1ObjectIdentifier(derEncoded: contentInfo[0]) == CMSSignedData.idSignedData else {
            throw VerifyProblem(text: "/Contents is not CMS SignedData")
        }
        let wrapped = try children(contentInfo[1])
        guard let signedDataNode = wrapped.first else { throw VerifyProblem(text: "empty SignedData") }
        let signedData = try children(signedDataNode)
        if signedData.count > 2, signedData[2].identifier == .sequence {
            let encap = try children(signedData[2])
            if let type = encap.first { encapsulatedContentType = try? ASN1ObjectIdentifier(derEncoded: type) }
            if encap.count > 1, encap[1].identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific),
                let octets = try children(encap[1]).first
            {
                switch octets.content {
                case .primitive(let bytes): encapsulatedContent = Array(bytes)
                case .constructed(let pieces):
                    // BER constructed OCTET STRING: the content is its pieces concatenated.
                    encapsulatedContent = try pieces.flatMap { piece -> [UInt8] in
                        guard case .primitive(let b) = piece.content else { throw VerifyProblem(text: "unexpected CMS content encoding") }
                        return Array(b)
                    }
                }
            }
        }
        var signerInfosNode: ASN1Node?
        for node in signedData.dropFirst(3) {
            if node.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                for c in try children(node) where c.identifier == .sequence {
                    if let cert = try? Certificate(derEncoded: c) { certificates.append(cert) }
                }
            } else if node.identifier == .set {
                signerInfosNode = node
            }
        }
        guard let signerInfosNode, let signerInfoNode = try children(signerInfosNode).first else {
            throw VerifyProblem(text: "the CMS has no signer")
        }
        var fields = try children(signerInfoNode)[...]
        guard fields.count >= 5 else { throw VerifyProblem(text: "malformed CMS SignerInfo") }
        _ = fields.removeFirst()  // version
        let sid = fields.removeFirst()
        if sid.identifier == .sequence {
            let parts = try children(sid)
            guard parts.count == 2 else { throw VerifyProblem(text: "malformed signer identifier") }
            let issuer = try DistinguishedName(derEncoded: parts[0])
            let serial = try ArraySlice<UInt8>(derEncoded: parts[1])
            signerCertificate = certificates.first {
                $0.issuer == issuer && $0.serialNumber == Certificate.SerialNumber(bytes: serial)
            }
        } else if case .primitive(let ski) = sid.content {
            signerCertificate = certificates.first { (try? $0.extensions.subjectKeyIdentifier)??.keyIdentifier == ski }
        }
        digestAlgorithm = try ASN1ObjectIdentifier(derEncoded: try firstChild(fields.removeFirst()))
        if let attrs = fields.first, attrs.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            fields.removeFirst()
            var set = Array(attrs.encodedBytes)
            set[0] = 0x31  // RFC 5652 §5.4: signed as a universal SET OF
            signedAttributesForSigning = set
            for attribute in try children(attrs) {
                let parts = try children(attribute)
                if parts.count == 2, try ASN1ObjectIdentifier(derEncoded: parts[0]) == CMSSignedData.idMessageDigest,
                    let value = try children(parts[1]).first
                {
                    messageDigest = Array(try ASN1OctetString(derEncoded: value).bytes)
                }
                if parts.count == 2, try ASN1ObjectIdentifier(derEncoded: parts[0]) == CMSSignedData.idContentType,
                    let value = try children(parts[1]).first
                {
                    contentTypeAttribute = try ASN1ObjectIdentifier(derEncoded: value)
                }
            }
        }
        guard fields.count >= 2 else { throw VerifyProblem(text: "malformed CMS SignerInfo") }
        signatureAlgorithm = try ASN1ObjectIdentifier(derEncoded: try firstChild(fields.removeFirst()))
        signature = Array(try ASN1OctetString(derEncoded: fields.removeFirst()).bytes)
        if let unsigned = fields.first, unsigned.identifier == ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific) {
            for attribute in try children(unsigned) {
                let parts = try children(attribute)
                if parts.count == 2, try ASN1ObjectIdentifier(derEncoded: parts[0]) == CMSSignedData.idSignatureTimeStampToken {
                    timestampTokens += try children(parts[1]).map { Array($0.encodedBytes) }
                }
            }
        }
    }

    /// Nil when the content digest and the signature check out; otherwise the problem.
    func verify(content: [UInt8]) -> String? {
        let digest: [UInt8]
        let hashName: String
        switch digestAlgorithm {
        case CMSSignedData.idSHA256: digest = Array(SHA256.hash(data: content)); hashName = "256"
        case Self.sha384: digest = Array(SHA384.hash(data: content)); hashName = "384"
        case Self.sha512: digest = Array(SHA512.hash(data: content)); hashName = "512"
        default: return "unsupported digest algorithm \(digestAlgorithm)"
        }
        guard let signer = signerCertificate else { return "the signer certificate is not in the CMS" }
        let algorithm: Certificate.SignatureAlgorithm
        switch (signatureAlgorithm, hashName) {
        case (CMSSignedData.sha256WithRSAEncryption, _), (Self.rsaEncryption, "256"): algorithm = .sha256WithRSAEncryption
        case ([1, 2, 840, 113549, 1, 1, 12], _), (Self.rsaEncryption, "384"): algorithm = .sha384WithRSAEncryption
        case ([1, 2, 840, 113549, 1, 1, 13], _), (Self.rsaEncryption, "512"): algorithm = .sha512WithRSAEncryption
        case (CMSSignedData.ecdsaWithSHA256, _), (Self.ecPublicKey, "256"): algorithm = .ecdsaWithSHA256
        case ([1, 2, 840, 10045, 4, 3, 3], _), (Self.ecPublicKey, "384"): algorithm = .ecdsaWithSHA384
        case ([1, 2, 840, 10045, 4, 3, 4], _), (Self.ecPublicKey, "512"): algorithm = .ecdsaWithSHA512
        case (Self.rsaPSS, _): return "RSASSA-PSS signatures are not supported"
        default: return "unsupported signature algorithm \(signatureAlgorithm)"
        }
        let signedBytes: [UInt8]
        if let attributes = signedAttributesForSigning {
            guard let messageDigest else { return "the CMS has no message-digest attribute" }
            guard messageDigest == digest else { return "the signed bytes were altered (digest mismatch)" }
            signedBytes = attributes
        } else {
            signedBytes = content
        }
        guard signer.publicKey.isValidSignature(signature, for: signedBytes, signatureAlgorithm: algorithm) else {
            return signedAttributesForSigning == nil
                ? "the signed bytes were altered (signature does not verify)"
                : "the CMS signature does not verify with the signer certificate"
        }
        return nil
    }
}

// MARK: - Object scan over all revisions

/// Every `N G obj … endobj` in the file with its offset, found by a linear scan (so older
/// revisions and objects no xref mentions are seen too), and the revision boundaries.
struct ScannedFile {
    struct Definition {
        let number: Int
        let generation: Int
        let offset: Int
        let object: PDFObject
    }

    let bytes: [UInt8]
    /// Offsets just after each `%%EOF` (and after its end-of-line, both accepted).
    let revisionEnds: Set<Int>
    /// The offset just after each `%%EOF` line, ascending.
    let revisionBoundaries: [Int]
    let definitions: [Definition]
    /// Object number → indices into `definitions`, in file order.
    let byNumber: [Int: [Int]]
    /// Objects whose bodies sit in compressed object streams, per defining offset.
    let objectStreamOffsets: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var ends = Set<Int>()
        var boundaries: [Int] = []
        let eof = Array("%%EOF".utf8)
        var defs: [Definition] = []
        var objStms: [Int] = []
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c == UInt8(ascii: "%"), i + 5 <= n, bytes[i..<(i + 5)].elementsEqual(eof) {
                var e = i + 5
                ends.insert(e)
                if e < n, bytes[e] == 13 { e += 1; ends.insert(e) }
                if e < n, bytes[e] == 10 { e += 1; ends.insert(e) }
                boundaries.append(e)
                i = e
                continue
            }
            // An object header starts with a digit at the start of a token.
            if c >= 48, c <= 57, i == 0 || PDFParser.isWhitespace(bytes[i - 1]) || PDFParser.isDelimiter(bytes[i - 1]),
                let (num, gen, bodyStart) = Self.objectHeader(bytes, at: i)
            {
                var p = PDFParser(bytes, at: bodyStart)
                if let object = try? p.object() {
                    defs.append(Definition(number: num, generation: gen, offset: i, object: object))
                    if case .name("ObjStm")? = object["Type"] { objStms.append(i) }
                    // Skip stream data so binary bytes are never mistaken for objects.
                    var q = p
                    q.skipWhitespace()
                    let save = q.pos
                    if q.regularToken() == "stream" {
                        var start = q.pos
                        if start < n, bytes[start] == 13 { start += 1 }
                        if start < n, bytes[start] == 10 { start += 1 }
                        if let len = object["Length"]?.intValue, len >= 0, start + len <= n {
                            i = start + len
                        } else {
                            i = Self.find(Array("endstream".utf8), in: bytes, from: start) ?? n
                        }
                        continue
                    }
                    i = max(save, i + 1)
                    continue
                }
            }
            i += 1
        }
        revisionEnds = ends
        revisionBoundaries = boundaries
        definitions = defs
        var index: [Int: [Int]] = [:]
        for (k, d) in defs.enumerated() { index[d.number, default: []].append(k) }
        byNumber = index
        objectStreamOffsets = objStms
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var i = from
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Parses `N G obj` at `i`; returns the numbers and the offset after `obj`.
    static func objectHeader(_ bytes: [UInt8], at i: Int) -> (Int, Int, Int)? {
        var k = i
        func number() -> Int? {
            let s = k
            while k < bytes.count, bytes[k] >= 48, bytes[k] <= 57, k - s < 10 { k += 1 }
            return k > s ? Int(String(decoding: bytes[s..<k], as: UTF8.self)) : nil
        }
        func spaces() -> Bool {
            let s = k
            while k < bytes.count, PDFParser.isWhitespace(bytes[k]) { k += 1 }
            return k > s
        }
        guard let num = number(), spaces(), let gen = number(), spaces(), k + 3 <= bytes.count,
            bytes[k..<(k + 3)].elementsEqual(Array("obj".utf8))
        else { return nil }
        k += 3
        if k < bytes.count, !PDFParser.isWhitespace(bytes[k]), !PDFParser.isDelimiter(bytes[k]) { return nil }
        return (num, gen, k)
    }

    /// The newest definition of an object before `limit`.
    func resolve(_ number: Int, before limit: Int = Int.max) -> Definition? {
        guard let indices = byNumber[number] else { return nil }
        return indices.reversed().lazy.map { definitions[$0] }.first { $0.offset < limit }
    }

    func deref(_ o: PDFObject?, before limit: Int = Int.max) -> PDFObject? {
        if case .reference(let n, _)? = o { return resolve(n, before: limit)?.object }
        return o
    }

    /// Signature dictionaries (newest definition of each object), in order of their byte range end.
    func signatureDefinitions() -> [Definition] {
        var newest: [Int: Definition] = [:]
        for d in definitions where d.object["ByteRange"] != nil && d.object["Contents"] != nil {
            let t: String? = if case .name(let x)? = d.object["Type"] { x } else { nil }
            guard t == "Sig" || t == "DocTimeStamp" || t == nil && d.object["Filter"] != nil || isFieldValue(d.number) else { continue }
            newest[d.number] = d
        }
        func end(_ d: Definition) -> Int {
            guard case .array(let a)? = d.object["ByteRange"] else { return Int.max }
            let v = a.compactMap(\.intValue)
            return v.count == 4 ? v[2] + v[3] : Int.max
        }
        return newest.values.sorted { (end($0), $0.offset) < (end($1), $1.offset) }
    }

    func isFieldValue(_ number: Int) -> Bool {
        definitions.contains { d in
            if case .name("Sig")? = d.object["FT"], case .reference(number, _)? = d.object["V"] { return true }
            return false
        }
    }

    /// The fully qualified name of the `/FT /Sig` field whose `/V` is the given object.
    func fieldName(forSignature number: Int) -> String? {
        guard let field = definitions.last(where: { d in
            if case .reference(number, _)? = d.object["V"] { return true }
            return false
        })?.object else { return nil }
        var parts: [String] = []
        var node: PDFObject? = field
        for _ in 0..<16 {
            guard let current = node else { break }
            if case .string(let t)? = current["T"] { parts.insert(PDFVerifier.decodeTextString(t), at: 0) }
            node = current["Parent"].flatMap { deref($0) }
        }
        return parts.isEmpty ? nil : parts.joined(separator: ".")
    }

    // MARK: Later changes

    struct Changes {
        var disallowed: [String] = []
        var uninspectable: [String] = []
    }

    /// Page object number → page number (1-based), following the newest page tree.
    func pageNumbers() -> [Int: Int] {
        var result: [Int: Int] = [:]
        guard let catalog = definitions.last(where: { d in
            if case .name("Catalog")? = d.object["Type"] { return true }
            return false
        })?.object, case .reference(let root, _)? = catalog["Pages"] else { return result }
        var count = 0
        var visited = Set<Int>()
        func walk(_ n: Int, depth: Int = 0) {
            // The depth bound keeps a hostile page tree from exhausting the stack.
            guard depth < 64, !visited.contains(n), let node = resolve(n)?.object else { return }
            visited.insert(n)
            if case .name("Page")? = node["Type"] {
                count += 1
                result[n] = count
            } else if case .array(let kids)? = node["Kids"] {
                for case .reference(let k, _) in kids { walk(k, depth: depth + 1) }
            }
        }
        walk(root)
        return result
    }

    /// Judges every object defined after `limit` against its previous definition.
    func changes(after limit: Int) -> Changes {
        var out = Changes()
        if objectStreamOffsets.contains(where: { $0 >= limit }) {
            out.uninspectable.append("stores objects in compressed object streams, which MotCua cannot inspect")
        }
        let pages = pageNumbers()
        func pageLabel(_ n: Int) -> String { pages[n].map { "page \($0)" } ?? "page object \(n)" }
        // Content stream object → the page that draws it (any revision).
        var contentOwner: [Int: Int] = [:]
        var formArrays = Set<Int>()  // indirect /Annots and /Fields arrays
        var acroForms = Set<Int>()
        var infos = Set<Int>()
        var metadata = Set<Int>()
        for d in definitions {
            if case .name("Page")? = d.object["Type"] {
                switch d.object["Contents"] {
                case .reference(let c, _)?: contentOwner[c] = d.number
                case .array(let items)?: for case .reference(let c, _) in items { contentOwner[c] = d.number }
                default: break
                }
            }
            if case .reference(let a, _)? = d.object["Annots"] { formArrays.insert(a) }
            if case .reference(let a, _)? = d.object["Fields"] { formArrays.insert(a) }
            if case .reference(let a, _)? = d.object["AcroForm"] { acroForms.insert(a) }
            if case .reference(let a, _)? = d.object["Metadata"], case .name("Catalog")? = d.object["Type"] { metadata.insert(a) }
        }
        for case let t? in definitions.map({ $0.object["Info"] }) { if case .reference(let a, _) = t { infos.insert(a) } }
        // Trailers are not objects; find /Info in them textually.
        var searchFrom = 0
        let trailerWord = Array("trailer".utf8)
        while let at = Self.find(trailerWord, in: bytes, from: searchFrom) {
            var p = PDFParser(bytes, at: at + trailerWord.count)
            if let t = try? p.object(), case .reference(let a, _)? = t["Info"] { infos.insert(a) }
            searchFrom = at + trailerWord.count
        }

        for d in definitions where d.offset >= limit {
            let o = d.object
            let type: String? = if case .name(let t)? = o["Type"] { t } else { nil }
            guard let previous = resolve(d.number, before: d.offset) else {
                // A new object: harmless unless something existing points at it (judged there),
                // except new pages.
                if type == "Page" || type == "Pages" { out.disallowed.append("adds a page") }
                continue
            }
            let old = previous.object
            if old == o { continue }
            let oldType: String? = if case .name(let t)? = old["Type"] { t } else { nil }
            if let page = contentOwner[d.number] {
                out.disallowed.append("changes \(pageLabel(page)) content")
            } else if oldType == "Page" {
                let changed = Set((old.dictionary ?? []).map(\.0) + (o.dictionary ?? []).map(\.0))
                    .filter { old[$0] != o[$0] }.subtracting(["Annots"])
                if changed.contains("Contents") {
                    out.disallowed.append("changes \(pageLabel(d.number)) content")
                } else if changed.contains("Resources") {
                    out.disallowed.append("changes \(pageLabel(d.number)) resources")
                } else if !changed.isEmpty {
                    out.disallowed.append("changes \(pageLabel(d.number)) (\(changed.sorted().map { "/" + $0 }.joined(separator: ", ")))")
                }
            } else if oldType == "Catalog" {
                // The keys pyHanko's CatalogModificationRule also lets change between revisions.
                let changed = Set((old.dictionary ?? []).map(\.0) + (o.dictionary ?? []).map(\.0))
                    .filter { old[$0] != o[$0] }.subtracting(["AcroForm", "DSS", "Extensions", "Metadata", "MarkInfo", "Version"])
                if !changed.isEmpty {
                    out.disallowed.append("changes the document catalog (\(changed.sorted().map { "/" + $0 }.joined(separator: ", ")))")
                }
            } else if oldType == "Sig" || oldType == "DocTimeStamp" || old["ByteRange"] != nil {
                out.disallowed.append("replaces signature object \(d.number)")
            } else if case .name("Sig")? = old["FT"] {
                if old["V"] != nil, old["V"] != o["V"] { out.disallowed.append("replaces the value of signature field object \(d.number)") }
            } else if formArrays.contains(d.number) || acroForms.contains(d.number) || infos.contains(d.number)
                || metadata.contains(d.number) || old["Fields"] != nil || oldType == "Annot"
            {
                continue  // form, annotation and metadata updates, as further signatures make
            } else {
                out.disallowed.append("changes object \(d.number)\(oldType.map { " (/Type /\($0))" } ?? "")")
            }
        }
        return out
    }
}
