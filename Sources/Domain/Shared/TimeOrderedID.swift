// SPDX-License-Identifier: Apache-2.0
import Foundation

/// UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by time.
public enum TimeOrderedID {
    public static func make(at date: Date) -> String {
        var g = FastRandom()
        return make(at: date, using: &g)
    }

    public static func make<G: RandomNumberGenerator>(at date: Date, using g: inout G) -> String {
        let ms = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var b = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { b[i] = UInt8((ms >> (8 * (5 - UInt64(i)))) & 0xff) }
        let r1 = g.next()
        let r2 = g.next()
        for i in 6..<16 { b[i] = UInt8(truncatingIfNeeded: (i < 12 ? r1 >> (8 * UInt64(i - 6)) : r2 >> (8 * UInt64(i - 12)))) }
        b[6] = 0x70 | (b[6] & 0x0f)
        b[8] = 0x80 | (b[8] & 0x3f)
        return Digits.hex(b[0..<4]) + "-" + Digits.hex(b[4..<6]) + "-" + Digits.hex(b[6..<8]) + "-" + Digits.hex(b[8..<10]) + "-" + Digits.hex(b[10..<16])
    }
}

/// A process-wide xorshift generator seeded once from the system: ids need unpredictable,
/// non-repeating bits, not a system call per id.
struct FastRandom: RandomNumberGenerator {
    private static let state: Mutex = Mutex()

    final class Mutex: @unchecked Sendable {
        let lock = NSLock()
        var s0: UInt64
        var s1: UInt64
        init() {
            var g = SystemRandomNumberGenerator()
            s0 = g.next() | 1
            s1 = g.next() | 2
        }
    }

    mutating func next() -> UInt64 {
        let m = Self.state
        return m.lock.withLock {
            // xorshift128+
            var x = m.s0
            let y = m.s1
            m.s0 = y
            x ^= x << 23
            m.s1 = x ^ y ^ (x >> 17) ^ (y >> 26)
            return m.s1 &+ y
        }
    }
}
