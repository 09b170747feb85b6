// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation
import SwiftASN1
import X509

/// Errors raised while building a CMS signature.
public enum CMSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The certificate chain is empty: the first certificate must be the signer's.
    case missingSignerCertificate
    /// The private key supports neither sha256WithRSAEncryption nor ecdsa-with-SHA256.
    case unsupportedKey(String)
    /// The private key does not belong to the signer certificate.
    case keyDoesNotMatchCertificate

    public var description: String {
        switch self {
        case .missingSignerCertificate: "CMS: the certificate chain is empty (the signer certificate comes first)"
        case .unsupportedKey(let k): "CMS: unsupported private key \(k) (use RSA-2048+ or ECDSA P-256)"
        case .keyDoesNotMatchCertificate: "CMS: the private key does not match the signer certificate"
        }
    }
}

/// Builds detached CMS `SignedData` (RFC 5652) for PAdES baseline B-B (`ETSI.CAdES.detached`).
///
/// swift-certificates has CMS signing, but its types are internal and it cannot add the ESS
/// signing-certificate-v2 attribute that CAdES/PAdES require, so the structure is written here
/// with swift-asn1's DER serializer. Only what PAdES B-B needs is emitted: SHA-256, signed
/// attributes content-type, message-digest and signing-certificate-v2 — deliberately no
/// signing-time, because PAdES carries the claimed time in the signature dictionary's `/M`.
public enum CMSSignedData {
    // Object identifiers (RFC 5652, RFC 5754, RFC 8017, RFC 5758, RFC 5035).
    static let idSignedData: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 7, 2]
    static let idData: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 7, 1]
    static let idSHA256: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]
    static let idContentType: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 3]
    static let idMessageDigest: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 4]
    static let idSigningCertificateV2: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 2, 47]
    static let sha256WithRSAEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 11]
    static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
    /// id-aa-signatureTimeStampToken (RFC 3161 appendix A), the unsigned attribute of PAdES B-T.
    static let idSignatureTimeStampToken: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 2, 14]

    /// Signs a precomputed SHA-256 digest of the detached content.
    ///
    /// - Parameters:
    ///   - contentDigest: SHA-256 of the signed content (for a PDF: the bytes in `/ByteRange`).
    ///   - certificateChain: the signer certificate first, then intermediates (and optionally the root).
    ///   - privateKey: the signer's key; RSA (PKCS#1 v1.5) or ECDSA P-256, or a custom key that
    ///     supports one of those algorithms.
    /// - Returns: DER of a `ContentInfo` wrapping `SignedData`.
    public static func sign(
        contentDigest: SHA256.Digest, certificateChain: [Certificate], privateKey: Certificate.PrivateKey
    ) throws -> [UInt8] {
        try prepare(contentDigest: contentDigest, certificateChain: certificateChain, privateKey: privateKey)
            .encoded(unsignedAttributes: [])
    }

    /// A signer's signature made, the `SignedData` not yet assembled: an RFC 3161 timestamp is
    /// taken over ``signatureValue`` and goes into the unsigned attributes, which the signature
    /// does not cover, so it can be added after signing.
    struct Prepared {
        /// The SignerInfo's `signature` octets (what a signature timestamp's imprint hashes).
        let signatureValue: [UInt8]
        let signer: Certificate
        let digestAlgorithmDER: [UInt8]
        let signedAttributes: [[UInt8]]
        let signatureAlgorithmDER: [UInt8]
        let certificates: [[UInt8]]

        /// DER of the `ContentInfo`, with `unsignedAttributes` (each a DER `Attribute`) if any.
        func encoded(unsignedAttributes: [[UInt8]]) throws -> [UInt8] {
            let signerInfo = try der { s in
                try s.appendConstructedNode(identifier: .sequence) { s in
                    try s.serialize(1)  // version 1: sid is issuerAndSerialNumber
                    try s.appendConstructedNode(identifier: .sequence) { s in
                        try s.serialize(signer.issuer)
                        try s.serialize(signer.serialNumber.bytes)
                    }
                    s.serializeRawBytes(digestAlgorithmDER)
                    s.serializeRawBytes(setOf(signedAttributes, identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)))
                    s.serializeRawBytes(signatureAlgorithmDER)
                    try s.serialize(ASN1OctetString(contentBytes: ArraySlice(signatureValue)))
                    if !unsignedAttributes.isEmpty {
                        s.serializeRawBytes(setOf(unsignedAttributes, identifier: ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific)))
                    }
                }
            }
            return try der { s in
                try s.appendConstructedNode(identifier: .sequence) { s in
                    try s.serialize(idSignedData)
                    try s.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { s in
                        try s.appendConstructedNode(identifier: .sequence) { s in
                            try s.serialize(1)  // version 1: no attribute certs, id-data content
                            s.serializeRawBytes(setOf([digestAlgorithmDER], identifier: .set))
                            // Detached: encapContentInfo names id-data but carries no eContent.
                            try s.appendConstructedNode(identifier: .sequence) { s in try s.serialize(idData) }
                            s.serializeRawBytes(setOf(certificates, identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)))
                            s.serializeRawBytes(setOf([signerInfo], identifier: .set))
                        }
                    }
                }
            }
        }
    }

    /// Makes the signature; ``Prepared/encoded(unsignedAttributes:)`` then writes the CMS.
    static func prepare(
        contentDigest: SHA256.Digest, certificateChain: [Certificate], privateKey: Certificate.PrivateKey
    ) throws -> Prepared {
        guard let signer = certificateChain.first else { throw CMSError.missingSignerCertificate }
        // Catch a mismatched key here: otherwise the failure only shows up later in a validator.
        guard signer.publicKey == privateKey.publicKey else { throw CMSError.keyDoesNotMatchCertificate }

        let algorithms = privateKey.supportedSignatureAlgorithms
        let signatureAlgorithm: Certificate.SignatureAlgorithm
        let signatureAlgorithmDER: [UInt8]
        if algorithms.contains(.sha256WithRSAEncryption) {
            signatureAlgorithm = .sha256WithRSAEncryption
            // RFC 4055: the RSA PKCS#1 v1.5 identifiers carry explicit NULL parameters.
            signatureAlgorithmDER = try algorithmIdentifier(sha256WithRSAEncryption, nullParameters: true)
        } else if algorithms.contains(.ecdsaWithSHA256) {
            signatureAlgorithm = .ecdsaWithSHA256
            // RFC 5758: ECDSA identifiers have absent parameters.
            signatureAlgorithmDER = try algorithmIdentifier(ecdsaWithSHA256, nullParameters: false)
        } else {
            throw CMSError.unsupportedKey(String(describing: privateKey))
        }
        // RFC 5754 prefers absent parameters for SHA-2 digest identifiers.
        let sha256DER = try algorithmIdentifier(idSHA256, nullParameters: false)

        let attributes = try signedAttributes(contentDigest: contentDigest, signer: signer)
        // RFC 5652 §5.4: the signature covers the attributes re-encoded with the universal SET tag,
        // although they are stored with the [0] IMPLICIT tag.
        let attributesForSigning = setOf(attributes, identifier: .set)
        let signature = try privateKey.sign(bytes: attributesForSigning, signatureAlgorithm: signatureAlgorithm)
        let certificates = try certificateChain.map { cert in try der { try $0.serialize(cert) } }
        return Prepared(
            signatureValue: signature.rawRepresentation, signer: signer, digestAlgorithmDER: sha256DER,
            signedAttributes: attributes, signatureAlgorithmDER: signatureAlgorithmDER, certificates: certificates)
    }

    /// The three signed attributes of a CAdES-B-B signature, each as DER `Attribute`.
    static func signedAttributes(contentDigest: SHA256.Digest, signer: Certificate) throws -> [[UInt8]] {
        let contentType = try attribute(idContentType) { try $0.serialize(idData) }
        let messageDigest = try attribute(idMessageDigest) {
            try $0.serialize(ASN1OctetString(contentBytes: ArraySlice(contentDigest)))
        }
        let signerDER = try der { try $0.serialize(signer) }
        // RFC 5035 SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }.
        // ESSCertIDv2's hashAlgorithm DEFAULTs to SHA-256, so DER requires leaving it out.
        let signingCertificate = try attribute(idSigningCertificateV2) { s in
            try s.appendConstructedNode(identifier: .sequence) { s in
                try s.appendConstructedNode(identifier: .sequence) { s in
                    try s.appendConstructedNode(identifier: .sequence) { s in
                        try s.serialize(ASN1OctetString(contentBytes: ArraySlice(SHA256.hash(data: signerDER))))
                        // IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber }, with the
                        // issuer as a directoryName ([4] EXPLICIT Name) so validators can match it.
                        try s.appendConstructedNode(identifier: .sequence) { s in
                            try s.appendConstructedNode(identifier: .sequence) { s in
                                try s.serialize(signer.issuer, explicitlyTaggedWithTagNumber: 4, tagClass: .contextSpecific)
                            }
                            try s.serialize(signer.serialNumber.bytes)
                        }
                    }
                }
            }
        }
        return [contentType, messageDigest, signingCertificate]
    }

    /// `Attribute ::= SEQUENCE { attrType OID, attrValues SET OF AttributeValue }` with one value.
    static func attribute(_ type: ASN1ObjectIdentifier, value: (inout DER.Serializer) throws -> Void) throws -> [UInt8] {
        try der { s in
            try s.appendConstructedNode(identifier: .sequence) { s in
                try s.serialize(type)
                try s.appendConstructedNode(identifier: .set) { s in try value(&s) }
            }
        }
    }

    static func algorithmIdentifier(_ oid: ASN1ObjectIdentifier, nullParameters: Bool) throws -> [UInt8] {
        try der { s in
            try s.appendConstructedNode(identifier: .sequence) { s in
                try s.serialize(oid)
                if nullParameters { try s.serialize(ASN1Null()) }
            }
        }
    }

    /// A DER `SET OF` from already-encoded elements. DER (X.690 §11.6) orders the elements by
    /// their encodings; validators re-encode signed attributes, so the order must be canonical.
    static func setOf(_ elements: [[UInt8]], identifier: ASN1Identifier) -> [UInt8] {
        var s = DER.Serializer()
        s.appendConstructedNode(identifier: identifier) { s in
            for e in elements.sorted(by: { $0.lexicographicallyPrecedes($1) }) { s.serializeRawBytes(e) }
        }
        return s.serializedBytes
    }

    static func der(_ body: (inout DER.Serializer) throws -> Void) throws -> [UInt8] {
        var s = DER.Serializer()
        try body(&s)
        return s.serializedBytes
    }
}
