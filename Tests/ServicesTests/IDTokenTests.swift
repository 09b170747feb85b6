// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation
import Testing
import _CryptoExtras

@testable import Services

/// The ID token checks a relying party must make (OpenID Connect Core §3.1.3.7), one by one.
@Suite("ID tokens")
struct IDTokenTests {
    let key = P256.Signing.PrivateKey()
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    var jwk: JWK { JWK(kid: "k1", alg: "ES256", key: .p256(key.publicKey)) }

    func claims(_ change: (inout [String: JSONValue]) -> Void = { _ in }) -> [String: JSONValue] {
        var c: [String: JSONValue] = [
            "iss": .string("https://sso.example"), "sub": .string("s"), "aud": .string("motcua"), "nonce": .string("n-1"),
            "iat": .int(Int(now.timeIntervalSince1970)), "exp": .int(Int(now.timeIntervalSince1970) + 300), "acr": .string("2"),
        ]
        change(&c)
        return c
    }

    func es256(_ claims: [String: JSONValue], alg: String = "ES256", kid: String = "k1", with signer: P256.Signing.PrivateKey? = nil) throws -> String {
        let header = Base64URL.encode(try JSONEncoder().encode(["alg": alg, "kid": kid]))
        let payload = Base64URL.encode(try JSONEncoder().encode(claims))
        let sig = try (signer ?? key).signature(for: Data("\(header).\(payload)".utf8))
        return "\(header).\(payload).\(Base64URL.encode(sig.rawRepresentation))"
    }

    func verify(_ jwt: String, keys: [JWK]? = nil) throws -> IDToken {
        try IDToken.verify(jwt, keys: keys ?? [jwk], issuer: "https://sso.example", clientID: "motcua", nonce: "n-1", now: now)
    }

    func refusal(_ jwt: String, keys: [JWK]? = nil) -> String {
        do {
            _ = try verify(jwt, keys: keys)
            return "accepted"
        } catch { return "\(error)" }
    }

    @Test("a good token passes; each wrong part is refused with the reason")
    func checks() throws {
        #expect(try verify(es256(claims())).string("acr") == "2")
        #expect(refusal(try es256(claims(), with: P256.Signing.PrivateKey())).contains("signature"))
        #expect(refusal(try es256(claims { $0["iss"] = .string("https://evil.example") })).contains("issued by https://evil.example"))
        #expect(refusal(try es256(claims { $0["aud"] = .string("another") })).contains("another client"))
        #expect(refusal(try es256(claims { $0["aud"] = .array([.string("motcua"), .string("other")]) })).contains("another client"), "several audiences need azp")
        #expect(try verify(es256(claims { $0["aud"] = .array([.string("motcua"), .string("other")]); $0["azp"] = .string("motcua") })).string("sub") == "s")
        #expect(refusal(try es256(claims { $0["exp"] = .int(Int(now.timeIntervalSince1970) - 121) })).contains("expired"))
        #expect(refusal(try es256(claims { $0["iat"] = .int(Int(now.timeIntervalSince1970) + 3600) })).contains("future"))
        #expect(refusal(try es256(claims { $0["nonce"] = .string("n-2") })).contains("nonce"))
        #expect(refusal(try es256(claims { $0["nonce"] = nil })).contains("nonce"))
        #expect(refusal("a.b").contains("not a signed JWT"))
    }

    @Test("no 'none', no MAC, no key confusion; RS256 keys from a JWK Set")
    func algorithms() throws {
        let c = Base64URL.encode(try JSONEncoder().encode(claims()))
        let none = Base64URL.encode(try JSONEncoder().encode(["alg": "none"])) + "." + c + "."
        #expect(refusal(none).contains("only ES256 and RS256"))
        #expect(refusal(try es256(claims(), alg: "HS256")).contains("only ES256 and RS256"))
        #expect(refusal(try es256(claims(), alg: "RS256")).contains("signature"), "an EC key never checks an RS256 token")
        #expect(refusal(try es256(claims(), kid: "k2")).contains("signature"), "a kid the set does not have")
        // RS256 with a key read from a JWK Set document (n, e as base64url).
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let (n, e) = try Self.modulusAndExponent(rsa.publicKey)
        let set = JWK.set(.object(["keys": .array([.object(["kty": "RSA", "kid": "r1", "n": .string(Base64URL.encode(n)), "e": .string(Base64URL.encode(e))])])]))
        #expect(set.count == 1)
        let header = Base64URL.encode(try JSONEncoder().encode(["alg": "RS256", "kid": "r1"]))
        let sig = try rsa.signature(for: Data("\(header).\(c)".utf8), padding: .insecurePKCS1v1_5)
        #expect(try verify("\(header).\(c).\(Base64URL.encode(sig.rawRepresentation))", keys: set).string("sub") == "s")
    }

    /// n and e from an RSA public key's PKCS#1 DER: SEQUENCE { INTEGER n, INTEGER e }.
    static func modulusAndExponent(_ key: _RSA.Signing.PublicKey) throws -> (Data, Data) {
        var d = [UInt8](key.pkcs1DERRepresentation)[...]
        func length() -> Int {
            let first = Int(d.removeFirst())
            guard first & 0x80 != 0 else { return first }
            return (0..<(first & 0x7F)).reduce(0) { acc, _ in acc << 8 | Int(d.removeFirst()) }
        }
        func integer() -> Data {
            _ = d.removeFirst()
            let n = length()
            defer { d.removeFirst(n) }
            return Data(d.prefix(n).drop { $0 == 0 })
        }
        _ = d.removeFirst()
        _ = length()
        return (integer(), integer())
    }
}
