// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation
import _CryptoExtras

/// An OpenID Connect ID token (a JWS, RFC 7515, compact form), checked as OpenID Connect Core
/// 1.0 §3.1.3.7 asks of a confidential client: the signature by one of the provider's published
/// keys (ES256 or RS256; never "none" or a MAC), the issuer, the audience, the times and the nonce.
struct IDToken {
    let claims: [String: JSONValue]

    func string(_ name: String) -> String? { claims[name]?.stringValue }

    /// Why a token is refused; the message says what to check.
    struct Refused: Error, CustomStringConvertible {
        let description: String
        /// No published key made the signature: the provider may have rotated its keys.
        var unknownKey = false
    }

    /// Accepted clock difference between the provider and this server.
    static let leeway: TimeInterval = 120

    static func verify(_ jwt: String, keys: [JWK], issuer: String, clientID: String, nonce: String, now: Date) throws -> IDToken {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]), let payloadData = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2]),
            let header = try? JSONDecoder().decode([String: JSONValue].self, from: headerData),
            let claims = try? JSONDecoder().decode([String: JSONValue].self, from: payloadData)
        else { throw Refused(description: "the ID token is not a signed JWT") }
        let alg = header["alg"]?.stringValue ?? ""
        let kid = header["kid"]?.stringValue
        let candidates = keys.filter { $0.alg == nil || $0.alg == alg }.filter { kid == nil || $0.kid == kid }
        let input = Data("\(parts[0]).\(parts[1])".utf8)
        guard ["ES256", "RS256"].contains(alg) else { throw Refused(description: "the ID token is signed with \(alg.isEmpty ? "nothing" : alg); only ES256 and RS256 are accepted") }
        guard candidates.contains(where: { $0.verifies(signature, of: input, alg: alg) }) else {
            throw Refused(description: "the ID token's signature is not made by any key the provider publishes", unknownKey: true)
        }
        let token = IDToken(claims: claims)
        guard token.string("iss") == issuer else { throw Refused(description: "the ID token was issued by \(token.string("iss") ?? "nobody"), not \(issuer)") }
        let audience = claims["aud"]?.arrayValue?.compactMap(\.stringValue) ?? [token.string("aud")].compactMap { $0 }
        guard audience.contains(clientID), audience.count == 1 || token.string("azp") == clientID else {
            throw Refused(description: "the ID token is meant for another client (aud \(audience.joined(separator: ", ")))")
        }
        guard let exp = claims["exp"]?.intValue, now.timeIntervalSince1970 < Double(exp) + leeway else { throw Refused(description: "the ID token has expired") }
        guard let iat = claims["iat"]?.intValue, Double(iat) <= now.timeIntervalSince1970 + leeway else {
            throw Refused(description: "the ID token is issued in the future; check both clocks")
        }
        guard let n = token.string("nonce"), n == nonce else { throw Refused(description: "the ID token's nonce does not match this sign-in") }
        return token
    }
}

/// One public key of a provider's JWK Set (RFC 7517/7518).
struct JWK: Sendable {
    let kid: String?
    let alg: String?
    let key: Key

    enum Key: Sendable {
        case p256(P256.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey)
    }

    /// The signing keys of a JWK Set document; keys of other kinds or uses are skipped.
    static func set(_ json: JSONValue) -> [JWK] {
        (json["keys"]?.arrayValue ?? []).compactMap { k in
            guard k["use"]?.stringValue ?? "sig" == "sig" else { return nil }
            let kid = k["kid"]?.stringValue
            let alg = k["alg"]?.stringValue
            switch k["kty"]?.stringValue {
            case "EC":
                guard k["crv"]?.stringValue == "P-256", let x = k["x"]?.stringValue.flatMap(Base64URL.decode), let y = k["y"]?.stringValue.flatMap(Base64URL.decode),
                    x.count == 32, y.count == 32, let key = try? P256.Signing.PublicKey(rawRepresentation: x + y)
                else { return nil }
                return JWK(kid: kid, alg: alg, key: .p256(key))
            case "RSA":
                guard let n = k["n"]?.stringValue.flatMap(Base64URL.decode), let e = k["e"]?.stringValue.flatMap(Base64URL.decode),
                    let key = try? _RSA.Signing.PublicKey(n: n, e: e)
                else { return nil }
                return JWK(kid: kid, alg: alg, key: .rsa(key))
            default:
                return nil
            }
        }
    }

    func verifies(_ signature: Data, of input: Data, alg: String) -> Bool {
        switch (key, alg) {
        case (.p256(let k), "ES256"):
            guard let s = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return k.isValidSignature(s, for: input)
        case (.rsa(let k), "RS256"):
            return k.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: input, padding: .insecurePKCS1v1_5)
        default:
            return false
        }
    }
}
