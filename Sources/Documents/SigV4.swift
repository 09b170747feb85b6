// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation

/// AWS Signature Version 4 for S3-compatible stores (header form, path-style addresses): the
/// canonical request, the string to sign, the derived key, the Authorization header.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
public struct SigV4: Sendable {
    public let accessKey: String
    public let secretKey: String
    public let region: String
    public let service: String

    public init(accessKey: String, secretKey: String, region: String, service: String = "s3") {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.region = region
        self.service = service
    }

    /// The SHA-256 of an empty body.
    public static let emptyPayload = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The headers to add to a request (`x-amz-date`, `x-amz-content-sha256`, `Authorization`).
    /// `headers` are the other headers to sign (Host is taken from the URL); `payloadHash` is the
    /// body's SHA-256 in hex.
    public func sign(method: String, url: URL, headers: [(String, String)] = [], payloadHash: String, at date: Date) -> [(String, String)] {
        let (amzDate, day) = Self.stamps(date)
        var signed = headers.map { ($0.0.lowercased(), $0.1.trimmingCharacters(in: .whitespaces)) }
        let host = url.host! + (url.port.map { ":\($0)" } ?? "")
        signed += [("host", host), ("x-amz-content-sha256", payloadHash), ("x-amz-date", amzDate)]
        signed.sort { $0.0 < $1.0 }
        let signedNames = signed.map(\.0).joined(separator: ";")
        let canonical = [
            method, Self.canonicalPath(url), Self.canonicalQuery(url), signed.map { "\($0.0):\($0.1)\n" }.joined(), signedNames, payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let toSign = ["AWS4-HMAC-SHA256", amzDate, scope, Digits.hex(SHA256.hash(data: Data(canonical.utf8)))].joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(secretKey)".utf8))
        for part in [day, region, service, "aws4_request"] { key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key))) }
        let signature = Digits.hex(HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: key))
        return [
            ("x-amz-date", amzDate), ("x-amz-content-sha256", payloadHash),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(scope), SignedHeaders=\(signedNames), Signature=\(signature)"),
        ]
    }

    static func stamps(_ date: Date) -> (String, String) {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        let p = c.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let day = "\(p.year!)" + Digits.pad(p.month!, 2) + Digits.pad(p.day!, 2)
        return (day + "T" + Digits.pad(p.hour!, 2) + Digits.pad(p.minute!, 2) + Digits.pad(p.second!, 2) + "Z", day)
    }

    /// Each path segment URI-encoded once (S3 does not double-encode).
    static func canonicalPath(_ url: URL) -> String {
        let path = url.path.isEmpty ? "/" : url.path
        return path.split(separator: "/", omittingEmptySubsequences: false).map { FormEncoding.escape(String($0)) }.joined(separator: "/")
    }

    static func canonicalQuery(_ url: URL) -> String {
        guard let items = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems, !items.isEmpty else { return "" }
        let pairs: [(String, String)] = items.map { (FormEncoding.escape($0.name), FormEncoding.escape($0.value ?? "")) }
        let sorted = pairs.sorted { a, b in a.0 == b.0 ? a.1 < b.1 : a.0 < b.0 }
        return sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }
}
