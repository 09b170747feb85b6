// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// A value bound to or read from SQL. We keep to the types both SQLite and PostgreSQL
/// represent the same way: 64-bit integers, doubles, text and bytes.
public enum SQLValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case bytes([UInt8])

    public var description: String {
        switch self {
        case .null: "NULL"
        case .int(let v): String(v)
        case .double(let v): String(v)
        case .text(let v): "'\(v)'"
        case .bytes(let v): "<\(v.count) bytes>"
        }
    }

    public var string: String? {
        switch self {
        case .text(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .null, .bytes: nil
        }
    }

    public var int: Int? {
        switch self {
        case .int(let i): Int(i)
        case .double(let d): Int(d)
        case .text(let s): Int(s)
        case .null, .bytes: nil
        }
    }
}

/// Conversions so call sites can bind Swift values directly.
public protocol SQLBindable: Sendable { var sqlValue: SQLValue { get } }
extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Int: SQLBindable { public var sqlValue: SQLValue { .int(Int64(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .int(self) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .double(self) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .int(self ? 1 : 0) } }
extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension Date: SQLBindable { public var sqlValue: SQLValue { .text(SQLTime.format(self)) } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// Instants are stored as fixed-width UTC text (`2026-11-21T13:28:07.123Z`): readable in both
/// databases, and lexical order equals time order, so range queries and indexes work on text.
public enum SQLTime {
    public static func format(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = ms - secs * 1000
        let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let sod = secs - days * 86400
        let d = dateFromDays(days)
        var b = [UInt8](repeating: 0, count: 24)
        func put(_ v: Int, _ at: Int, _ width: Int) {
            var v = v
            for i in stride(from: at + width - 1, through: at, by: -1) {
                b[i] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        put(d.y, 0, 4)
        b[4] = 45
        put(d.m, 5, 2)
        b[7] = 45
        put(d.d, 8, 2)
        b[10] = 84
        put(Int(sod / 3600), 11, 2)
        b[13] = 58
        put(Int(sod % 3600 / 60), 14, 2)
        b[16] = 58
        put(Int(sod % 60), 17, 2)
        b[19] = 46
        put(Int(millis), 20, 3)
        b[23] = 90
        return String(decoding: b, as: UTF8.self)
    }

    public static func parse(_ s: String) -> Date? {
        // Fixed layout written by `format`; fall back to ISO 8601 parsing for anything else.
        let u = Array(s.utf8)
        guard u.count == 24, u[4] == 45, u[7] == 45, u[10] == 84, u[13] == 58, u[16] == 58, u[19] == 46, u[23] == 90 else {
            return try? Date(s, strategy: .iso8601)
        }
        func num(_ a: Int, _ b: Int) -> Int? {
            var v = 0
            for i in a..<b {
                let c = Int(u[i]) - 48
                guard (0...9).contains(c) else { return nil }
                v = v * 10 + c
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16),
            let se = num(17, 19), let ms = num(20, 23)
        else { return nil }
        let days = daysFromCivil(y, mo, d)
        let total = Double(days * 86400 + h * 3600 + mi * 60 + se) + Double(ms) / 1000
        return Date(timeIntervalSince1970: total)
    }

    // Howard Hinnant's civil-from-days algorithms.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func dateFromDays(_ z0: Int64) -> (y: Int, m: Int, d: Int) {
        let z = Int(z0) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
