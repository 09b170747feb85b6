// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A JSON value as the simulators receive and keep it.
///
/// The portal stores what it is sent, field for field, and answers `TraCuuHoSo` with it; a typed
/// record would silently drop fields the sender added and so hide sender bugs from tests.
/// Integers and fractions are kept apart so that `"TrangThaiHoSo": 4` comes back as `4`, not `4.0`.
public enum SimJSON: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([SimJSON])
    case object([String: SimJSON])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([SimJSON].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: SimJSON].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The member `key` of an object, or nil.
    public subscript(key: String) -> SimJSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// An integer, also from a string of digits or an integral fraction: adapters in the wild are
    /// lenient about `"4"` versus `4`, and the simulator should not fail a sender for it.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: return Int(d)
        case .string(let s): return Int(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    public var objectValue: [String: SimJSON]? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var arrayValue: [SimJSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// Encodes with sorted keys, so dumps and answers are stable byte for byte.
    public func encoded() -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a SimJSON cannot fail: every case maps to a JSON value (non-finite doubles aside,
        // and those never come out of a JSON decoder).
        return (try? e.encode(self)) ?? Data("null".utf8)
    }

    /// Decodes any JSON document.
    public static func decode(_ data: Data) throws -> SimJSON {
        try JSONDecoder().decode(SimJSON.self, from: data)
    }
}


extension SimJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: SimJSON...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, SimJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
