// SPDX-License-Identifier: Apache-2.0
import Foundation

/// `application/x-www-form-urlencoded`, as browsers send forms and as OAuth 2.0 token requests
/// and authorization answers are written (RFC 6749 appendix B).
public enum FormEncoding {
    /// `a=1&b=x+y`: "+" is a space, then percent-escapes; the first of a repeated name wins.
    public static func decode(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let k = kv.first, out[k] == nil { out[k] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }

    /// The pairs, in order, with everything but unreserved characters escaped (so also usable as
    /// a URL's query).
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    public static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// A client's id and secret from an HTTP Basic `Authorization` header as OAuth 2.0 writes it
    /// (RFC 6749 §2.3.1: each form-encoded, then joined by a colon); nil without one.
    public static func basicCredentials(_ header: String?) -> (id: String?, secret: String?)? {
        guard let a = header, a.hasPrefix("Basic "), let raw = Data(base64Encoded: String(a.dropFirst(6))),
            let pair = String(data: raw, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        else { return nil }
        return (String(pair[..<colon]).removingPercentEncoding, String(pair[pair.index(after: colon)...]).removingPercentEncoding)
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

/// Base64 with the URL alphabet and no padding (RFC 4648 §5), as JWTs and JWKs write bytes.
public enum Base64URL {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Nil when `text` is not base64url.
    public static func decode(_ text: some StringProtocol) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !s.contains("=") else { return nil }
        s += String(repeating: "=", count: (4 - s.count % 4) % 4)
        return Data(base64Encoded: s)
    }
}
