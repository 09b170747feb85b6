// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A parsed PDF object: just enough of ISO 32000 to read a catalog, a page and a trailer and write
/// them back. Strings, names and numbers keep their source bytes so rewriting an object never
/// changes what it said.
indirect enum PDFObject: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number, as written in the source.
    case number(String)
    /// A name without the leading slash, still #-escaped as in the source.
    case name(String)
    /// A literal `( )` or hex `< >` string including its delimiters, as in the source.
    case string([UInt8])
    case array([PDFObject])
    /// A dictionary with its keys (without slash) in source order.
    case dictionary([(String, PDFObject)])
    case reference(Int, Int)

    static func == (a: PDFObject, b: PDFObject) -> Bool {
        a.serialized == b.serialized
    }

    var dictionary: [(String, PDFObject)]? {
        if case .dictionary(let d) = self { return d }
        return nil
    }

    subscript(key: String) -> PDFObject? {
        dictionary?.first(where: { $0.0 == key })?.1
    }

    var intValue: Int? {
        if case .number(let n) = self { return Int(n) }
        return nil
    }

    /// Returns a dictionary with `key` set (replaced in place, or appended).
    func setting(_ key: String, _ value: PDFObject) -> PDFObject {
        var d = dictionary ?? []
        if let i = d.firstIndex(where: { $0.0 == key }) { d[i].1 = value } else { d.append((key, value)) }
        return .dictionary(d)
    }

    var serialized: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n
        case .name(let n): "/" + n
        // Source bytes may be any octets; Latin-1 maps each byte to one scalar and back.
        case .string(let bytes): String(bytes.map { Character(Unicode.Scalar($0)) })
        case .array(let items): "[" + items.map(\.serialized).joined(separator: " ") + "]"
        case .dictionary(let d): "<<" + d.map { "/\($0.0) \($0.1.serialized)" }.joined(separator: " ") + ">>"
        case .reference(let n, let g): "\(n) \(g) R"
        }
    }
}

/// Tokenizer and parser over the raw file bytes.
struct PDFParser {
    let bytes: [UInt8]
    var pos: Int
    /// Nesting of arrays and dictionaries being parsed: capped, because a hostile PDF sent to the
    /// public verification endpoint could otherwise nest deeply enough to overflow the stack.
    var nesting = 0
    static let maximumNesting = 256

    init(_ bytes: [UInt8], at pos: Int) {
        self.bytes = bytes
        self.pos = pos
    }

    static func isWhitespace(_ c: UInt8) -> Bool { c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32 }
    static func isDelimiter(_ c: UInt8) -> Bool { "()<>[]{}/%".utf8.contains(c) }

    mutating func skipWhitespace() {
        while pos < bytes.count {
            if Self.isWhitespace(bytes[pos]) {
                pos += 1
            } else if bytes[pos] == UInt8(ascii: "%") {
                while pos < bytes.count, bytes[pos] != 10, bytes[pos] != 13 { pos += 1 }
            } else {
                return
            }
        }
    }

    /// A regular token (keyword or number) at the current position.
    mutating func regularToken() -> String {
        skipWhitespace()
        let start = pos
        while pos < bytes.count, !Self.isWhitespace(bytes[pos]), !Self.isDelimiter(bytes[pos]) { pos += 1 }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    mutating func expectKeyword(_ k: String) throws {
        let t = regularToken()
        guard t == k else { throw PDFSignerError.malformed("expected '\(k)' at offset \(pos), found '\(t)'") }
    }

    /// Parses `N G obj <object>` and returns the object.
    mutating func indirectObject(number: Int) throws -> PDFObject {
        let n = regularToken(), _ = regularToken()
        try expectKeyword("obj")
        guard Int(n) == number else { throw PDFSignerError.malformed("object \(number) is not at its xref offset") }
        return try object()
    }

    mutating func object() throws -> PDFObject {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maximumNesting else {
            throw PDFSignerError.malformed("objects nested more than \(Self.maximumNesting) deep at offset \(pos)")
        }
        skipWhitespace()
        guard pos < bytes.count else { throw PDFSignerError.malformed("unexpected end of file") }
        let c = bytes[pos]
        switch c {
        case UInt8(ascii: "/"):
            pos += 1
            let start = pos
            while pos < bytes.count, !Self.isWhitespace(bytes[pos]), !Self.isDelimiter(bytes[pos]) { pos += 1 }
            return .name(String(decoding: bytes[start..<pos], as: UTF8.self))
        case UInt8(ascii: "<"):
            if pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "<") {
                pos += 2
                var d: [(String, PDFObject)] = []
                while true {
                    skipWhitespace()
                    guard pos + 1 < bytes.count else { throw PDFSignerError.malformed("unterminated dictionary") }
                    if bytes[pos] == UInt8(ascii: ">"), bytes[pos + 1] == UInt8(ascii: ">") {
                        pos += 2
                        return .dictionary(d)
                    }
                    guard case .name(let key) = try object() else {
                        throw PDFSignerError.malformed("dictionary key is not a name at offset \(pos)")
                    }
                    d.append((key, try object()))
                }
            }
            let start = pos
            while pos < bytes.count, bytes[pos] != UInt8(ascii: ">") { pos += 1 }
            pos += 1
            return .string(Array(bytes[start..<min(pos, bytes.count)]))
        case UInt8(ascii: "("):
            let start = pos
            var depth = 0
            while pos < bytes.count {
                let b = bytes[pos]
                if b == UInt8(ascii: "\\") {
                    pos += 2
                    continue
                }
                if b == UInt8(ascii: "(") { depth += 1 }
                if b == UInt8(ascii: ")") {
                    depth -= 1
                    if depth == 0 {
                        pos += 1
                        return .string(Array(bytes[start..<pos]))
                    }
                }
                pos += 1
            }
            throw PDFSignerError.malformed("unterminated string")
        case UInt8(ascii: "["):
            pos += 1
            var items: [PDFObject] = []
            while true {
                skipWhitespace()
                guard pos < bytes.count else { throw PDFSignerError.malformed("unterminated array") }
                if bytes[pos] == UInt8(ascii: "]") {
                    pos += 1
                    return .array(items)
                }
                items.append(try object())
            }
        default:
            let token = regularToken()
            switch token {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            case "": throw PDFSignerError.malformed("unexpected byte \(c) at offset \(pos)")
            default:
                guard Double(token) != nil else { throw PDFSignerError.malformed("unexpected token '\(token)'") }
                // `N G R` is a reference: look ahead without consuming if it is not.
                if let n = Int(token) {
                    let save = pos
                    let g = regularToken()
                    if let gen = Int(g), regularToken() == "R" { return .reference(n, gen) }
                    pos = save
                }
                return .number(token)
            }
        }
    }
}
