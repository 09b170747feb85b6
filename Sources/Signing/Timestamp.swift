// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation
import SwiftASN1
import X509

import Network

/// Errors from asking a time-stamping authority for a token.
public enum TimestampError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The TSA could not be reached (connection refused, timeout, TLS failure, …).
    case transport(String)
    /// The TSA answered with an HTTP status other than 200.
    case httpStatus(Int)
    /// The TSA answered with a PKIStatus other than granted / grantedWithMods.
    case rejected(status: Int, text: String?)
    /// The answer is not a TimeStampResp with a TimeStampToken this code can read.
    case malformed(String)
    /// The token timestamps something other than what was sent.
    case imprintMismatch
    /// The token's nonce is not the request's: a replayed or misrouted answer.
    case nonceMismatch
    /// The token's CMS signature does not verify with the certificate it names.
    case invalidSignature(String)

    public var description: String {
        switch self {
        case .transport(let why): "timestamp: the TSA cannot be reached (\(why))"
        case .httpStatus(let code): "timestamp: the TSA answered HTTP \(code)"
        case .rejected(let status, let text): "timestamp: the TSA refused the request (status \(status)\(text.map { ": \($0)" } ?? ""))"
        case .malformed(let why): "timestamp: malformed TSA response (\(why))"
        case .imprintMismatch: "timestamp: the token's message imprint is not the one requested"
        case .nonceMismatch: "timestamp: the token's nonce is not the one requested"
        case .invalidSignature(let why): "timestamp: the token's signature is invalid (\(why))"
        }
    }
}

/// An RFC 3161 time-stamping authority reached over HTTP(S) (RFC 3161 §3.4), used to make PAdES
/// B-T signatures.
public struct TimestampAuthority: Sendable, Hashable {
    /// Where to POST `application/timestamp-query` requests.
    public var url: URL
    /// Seconds to wait for the answer.
    public var timeout: TimeInterval

    /// Creates a client for the TSA at `url`.
    public init(url: URL, timeout: TimeInterval = 30) {
        self.url = url
        self.timeout = timeout
    }

    /// Asks for a timestamp token over `digest` (the SHA-256 of the data to timestamp).
    ///
    /// The request has a random nonce and asks for the TSA certificate (certReq), so validators
    /// can check the token without fetching it. The answer must be granted, carry the same
    /// imprint and nonce, and its signature must verify with that certificate; whether the TSA
    /// is trusted is left to the verifier.
    ///
    /// - Returns: DER of the TimeStampToken (a CMS `ContentInfo`).
    /// - Throws: ``TimestampError``.
    public func timestampToken(for digest: SHA256.Digest) async throws -> [UInt8] {
        let nonce = UInt64.random(in: 1...UInt64(Int64.max))
        let body = try Self.request(digest: Array(digest), nonce: nonce)
        var request = HTTPCall(url: url, method: "POST", timeout: timeout)
        request.setHeader("Content-Type", "application/timestamp-query")
        request.setHeader("Accept", "application/timestamp-reply")
        request.body = Data(body)
        let http: HTTPCall.Answer
        do {
            http = try await request.send()
        } catch let e as HTTPCall.Failure {
            throw TimestampError.transport(e.description)
        }
        guard http.status == 200 else { throw TimestampError.httpStatus(http.status) }
        return try Self.token(fromResponse: [UInt8](http.body), digest: Array(digest), nonce: nonce)
    }

    /// DER `TimeStampReq` (RFC 3161 §2.4.1): v1, SHA-256 imprint, nonce, certReq TRUE.
    static func request(digest: [UInt8], nonce: UInt64) throws -> [UInt8] {
        try CMSSignedData.der { s in
            try s.appendConstructedNode(identifier: .sequence) { s in
                try s.serialize(1)
                try s.appendConstructedNode(identifier: .sequence) { s in
                    s.serializeRawBytes(try CMSSignedData.algorithmIdentifier(CMSSignedData.idSHA256, nullParameters: false))
                    try s.serialize(ASN1OctetString(contentBytes: ArraySlice(digest)))
                }
                try s.serialize(nonce)
                try s.serialize(true)
            }
        }
    }

    /// Checks a `TimeStampResp` against the request and returns its token.
    static func token(fromResponse bytes: [UInt8], digest: [UInt8], nonce: UInt64) throws -> [UInt8] {
        let parts: [ASN1Node]
        do {
            let root = try DER.parse(bytes)
            guard case .constructed(let c) = root.content else { throw TimestampError.malformed("not a SEQUENCE") }
            parts = Array(c)
        } catch let e as TimestampError {
            throw e
        } catch {
            throw TimestampError.malformed("not DER (\(error))")
        }
        guard let statusInfo = parts.first, case .constructed(let statusParts) = statusInfo.content,
            let statusNode = statusParts.first(where: { _ in true }), let status = try? Int(derEncoded: statusNode)
        else { throw TimestampError.malformed("no PKIStatusInfo") }
        // PKIStatus: 0 granted, 1 grantedWithMods; anything else carries no token.
        guard status == 0 || status == 1 else {
            var text: String?
            for node in statusParts.dropFirst() where node.identifier == .sequence {
                if case .constructed(let strings) = node.content {
                    text = strings.compactMap { try? ASN1UTF8String(derEncoded: $0) }.map(String.init).joined(separator: "; ")
                }
            }
            throw TimestampError.rejected(status: status, text: text)
        }
        guard parts.count > 1 else { throw TimestampError.malformed("granted without a token") }
        let tokenDER = Array(parts[1].encodedBytes)
        let token: TimestampToken
        do {
            token = try TimestampToken(der: tokenDER)
        } catch let e as VerifyProblem {
            throw TimestampError.malformed(e.text)
        }
        guard token.hashAlgorithm == CMSSignedData.idSHA256, token.hashedMessage == digest else { throw TimestampError.imprintMismatch }
        guard token.nonce == nonce else { throw TimestampError.nonceMismatch }
        if let problem = token.signatureProblem() { throw TimestampError.invalidSignature(problem) }
        return tokenDER
    }
}

/// What the verifier found about a signature's RFC 3161 timestamp (PAdES B-T).
public struct TimestampReport: Codable, Sendable {
    /// The TSA's time (`genTime`), ISO 8601 in UTC.
    public let time: String?
    /// The TSA's name: the token's `tsa` field, else its certificate's subject.
    public let authority: String?
    /// The token's message imprint is the hash of this signature's value, i.e. it timestamps
    /// this very signature.
    public let imprintMatches: Bool
    /// The token's own CMS signature verifies with the TSA certificate in it.
    public let signatureValid: Bool
    /// The TSA certificate chains to a trust anchor and carries the timeStamping key usage.
    public let trusted: Bool
    /// Subjects from the TSA certificate up to the trust anchor (or as far as it could be built).
    public let chain: [String]
    /// Problems with the timestamp, short English sentences.
    public let problems: [String]
}

/// A parsed TimeStampToken: CMS SignedData whose content is a `TSTInfo` (RFC 3161 §2.4.2).
struct TimestampToken {
    static let idTSTInfo: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 1, 4]

    let cms: ParsedCMS
    let tstInfo: [UInt8]
    let hashAlgorithm: ASN1ObjectIdentifier
    let hashedMessage: [UInt8]
    let genTime: Date
    let nonce: UInt64?
    /// The `tsa` GeneralName, rendered (a directory name as RFC 4514 text).
    let tsaName: String?

    init(der: [UInt8]) throws {
        cms = try ParsedCMS(der: der)
        guard cms.encapsulatedContentType == Self.idTSTInfo, let content = cms.encapsulatedContent else {
            throw VerifyProblem(text: "the token does not contain a TSTInfo")
        }
        tstInfo = content
        guard let root = try? DER.parse(content), case .constructed(let c) = root.content else {
            throw VerifyProblem(text: "the TSTInfo is not DER")
        }
        let fields = Array(c)
        guard fields.count >= 5, case .constructed(let imprint) = fields[2].content else {
            throw VerifyProblem(text: "the TSTInfo is too short")
        }
        let imprintParts = Array(imprint)
        guard imprintParts.count == 2, case .constructed(let algorithm) = imprintParts[0].content,
            let oidNode = algorithm.first(where: { _ in true }), let oid = try? ASN1ObjectIdentifier(derEncoded: oidNode),
            let hashed = try? ASN1OctetString(derEncoded: imprintParts[1])
        else { throw VerifyProblem(text: "the TSTInfo message imprint is malformed") }
        hashAlgorithm = oid
        hashedMessage = Array(hashed.bytes)
        do {
            genTime = try CertificateRevocationList.time(fields[4])
        } catch {
            throw VerifyProblem(text: "the TSTInfo genTime is malformed")
        }
        var nonce: UInt64?
        var name: String?
        for node in fields.dropFirst(5) {
            if node.identifier == .integer {
                nonce = try? UInt64(derEncoded: node)
            } else if node.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific),
                case .constructed(let inner) = node.content, let generalName = inner.first(where: { _ in true })
            {
                if let n = try? GeneralName(derEncoded: generalName) {
                    if case .directoryName(let dn) = n { name = dn.description } else { name = String(describing: n) }
                }
            }
        }
        self.nonce = nonce
        tsaName = name
    }

    /// Whether the imprint is the hash (with the token's algorithm) of `message`.
    func imprintMatches(_ message: [UInt8]) -> Bool {
        switch hashAlgorithm {
        case CMSSignedData.idSHA256: return Array(SHA256.hash(data: message)) == hashedMessage
        case ParsedCMS.sha384: return Array(SHA384.hash(data: message)) == hashedMessage
        case ParsedCMS.sha512: return Array(SHA512.hash(data: message)) == hashedMessage
        default: return false
        }
    }

    /// Nil when the token's CMS signature covers its TSTInfo and verifies; otherwise the problem.
    func signatureProblem() -> String? {
        if cms.signedAttributesForSigning != nil, cms.contentTypeAttribute != Self.idTSTInfo {
            return "the token's content-type attribute is not TSTInfo"
        }
        // ParsedCMS words it for a PDF's byte range; here the signed content is the TSTInfo.
        return cms.verify(content: tstInfo)?.replacingOccurrences(of: "the signed bytes were", with: "its TSTInfo was")
    }
}

extension PDFVerifier {
    /// Judges the first signature timestamp token of a signature whose value is `signatureValue`.
    static func verifyTimestamp(_ der: [UInt8], signatureValue: [UInt8], anchors: [Certificate], now: Date) -> TimestampReport {
        let token: TimestampToken
        do {
            token = try TimestampToken(der: der)
        } catch {
            let why = (error as? VerifyProblem)?.text ?? String(describing: error)
            return TimestampReport(
                time: nil, authority: nil, imprintMatches: false, signatureValid: false, trusted: false, chain: [],
                problems: ["the timestamp token cannot be read (\(why))"])
        }
        var problems: [String] = []
        let imprintMatches = token.imprintMatches(signatureValue)
        if !imprintMatches { problems.append("the timestamp is not over this signature (message imprint mismatch)") }
        let signatureProblem = token.signatureProblem()
        if let signatureProblem { problems.append("the timestamp token: \(signatureProblem)") }

        var chain: [String] = []
        var trusted = false
        if let tsa = token.cms.signerCertificate {
            let result = buildChain(leaf: tsa, pool: token.cms.certificates, anchors: anchors, now: now)
            chain = result.chain.map { $0.subject.description }
            if let p = result.problem { problems.append("the TSA \(p.replacingOccurrences(of: "signer certificate", with: "certificate"))") }
            // RFC 3161 §2.3: a TSA certificate has exactly the timeStamping extended key usage, critical.
            let eku = tsa.extensions[oid: .X509ExtensionID.extendedKeyUsage]
            let timeStamping = ((try? tsa.extensions.extendedKeyUsage)??.contains(.timeStamping)) ?? false
            if eku?.critical != true || !timeStamping {
                problems.append("the TSA certificate lacks the critical timeStamping extended key usage")
            }
            trusted = result.problem == nil && eku?.critical == true && timeStamping
        } else {
            problems.append("the timestamp token does not contain the TSA certificate")
        }
        return TimestampReport(
            time: iso(token.genTime), authority: token.tsaName ?? token.cms.signerCertificate?.subject.description,
            imprintMatches: imprintMatches, signatureValid: signatureProblem == nil, trusted: trusted, chain: chain,
            problems: problems)
    }
}
