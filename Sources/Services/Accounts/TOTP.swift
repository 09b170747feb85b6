// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA-1, 30-second steps,
/// six digits, the settings every authenticator app reads from an `otpauth://` address.
public enum TOTP {
    public static let period: TimeInterval = 30
    public static let digits = 6

    /// The time step an instant falls in.
    public static func step(at instant: Date) -> Int64 { Int64((instant.timeIntervalSince1970 / period).rounded(.down)) }

    /// The code of one step (RFC 4226 §5.3: dynamic truncation).
    public static func code(secret: [UInt8], step: Int64, digits: Int = digits) -> String {
        var counter = step.bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let n = String(value % modulus)
        return String(repeating: "0", count: digits - n.count) + n
    }

    /// The step a typed code belongs to, if it is the code of the step at `instant` or of the one
    /// before or after (a clock a little off, a code typed as it changed), and later than
    /// `after` (a code is good once: RFC 6238 §5.2).
    public static func matchingStep(_ typed: String, secret: [UInt8], at instant: Date, after: Int64?) -> Int64? {
        let code = typed.filter { !$0.isWhitespace }
        guard code.count == digits, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return nil }
        let now = step(at: instant)
        for s in [now - 1, now, now + 1] where s > (after ?? Int64.min) {
            if constantTimeEqual(Self.code(secret: secret, step: s), code) { return s }
        }
        return nil
    }

    /// A new random secret (160 bits, RFC 4226 §4's recommendation).
    public static func newSecret() -> [UInt8] { RandomBytes.make(20) }

    /// The address an authenticator app reads from the enrolment QR code.
    public static func provisioningURI(secret: [UInt8], account: String, issuer: String) -> String {
        func escape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? s }
        return "otpauth://totp/\(escape(issuer)):\(escape(account))?secret=\(Base32.encode(secret))&issuer=\(escape(issuer))&algorithm=SHA1&digits=\(digits)&period=\(Int(period))"
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
