// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Vietnamese phone numbers as people type them (0912 345 678, +84912345678).
public enum PhoneNumber {
    /// 9–11 digits, optionally starting with +84; spaces allowed.
    public static func isValid(_ s: String) -> Bool {
        var digits = s.replacingOccurrences(of: " ", with: "")
        if digits.hasPrefix("+84") { digits = "0" + digits.dropFirst(3) }
        return (9...11).contains(digits.count) && digits.allSatisfy(\.isNumber)
    }

    /// Whether two spellings are one number: the last nine digits decide.
    public static func same(_ a: String?, _ b: String) -> Bool {
        let digits = { (s: String) in s.filter(\.isNumber) }
        guard let a, digits(b).count >= 9 else { return false }
        return digits(a).suffix(9) == digits(b).suffix(9)
    }
}
