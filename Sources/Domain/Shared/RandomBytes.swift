// SPDX-License-Identifier: Apache-2.0

/// Unpredictable bytes from the system's generator, for tokens, secrets and codes.
public enum RandomBytes {
    public static func make(_ count: Int) -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &g) }
    }

    /// A bearer token, session or grant: 32 bytes in hex (64 characters), stored only as a hash.
    public static func token() -> String { Digits.hex(make(32)) }
}
