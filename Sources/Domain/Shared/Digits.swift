// SPDX-License-Identifier: Apache-2.0

/// Fast fixed-width number and hex formatting. Foundation's `String(format:)` costs microseconds
/// per call on Linux, and dates, ids and hashes are formatted many times per dossier change.
public enum Digits {
    /// `n` in decimal, left-padded with zeros to `width` (never truncated).
    public static func pad(_ n: Int, _ width: Int) -> String {
        var s = String(n < 0 ? -n : n)
        if s.count < width { s = String(repeating: "0", count: width - s.count) + s }
        return n < 0 ? "-" + s : s
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lower-case hex of bytes.
    public static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
