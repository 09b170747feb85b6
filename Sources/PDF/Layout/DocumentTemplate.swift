// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Errors raised while decoding or rendering a ``DocumentTemplate``.
///
/// Every case names the template, so a failure in a batch job points at the JSON file to fix.
public enum TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A top-level or header field is missing, mistyped, unknown or out of range.
    case invalidTemplate(templateId: String, reason: String)
    /// A block has none of the known kind keys (`title`, `paragraph`, `table`, …).
    /// `keys` are the keys it does have, to show what the author meant.
    case unknownBlockKind(templateId: String, index: Int, keys: [String])
    /// A block of a known kind is malformed: unknown or mistyped key, bad column widths,
    /// broken placeholder syntax, value out of range.
    case invalidBlock(templateId: String, index: Int, reason: String)
    /// A placeholder, `when`/`unless` key or table has no value. Table names are reported
    /// as `name[]` and keys in row templates as `name[].key`, as in ``DocumentTemplate/placeholders()``.
    case unknownPlaceholder(String, templateId: String)
    /// A block (a table row with its header, a signature block, a QR code) is taller than an
    /// empty page, so moving it to a new page would never help.
    case blockTooTall(templateId: String, index: Int)

    public var description: String {
        switch self {
        case .invalidTemplate(let id, let reason): "template \(id): \(reason)"
        case .unknownBlockKind(let id, let index, let keys):
            "template \(id), block \(index): unknown block kind (keys: \(keys.joined(separator: ", ")))"
        case .invalidBlock(let id, let index, let reason): "template \(id), block \(index): \(reason)"
        case .unknownPlaceholder(let key, let id): "template \(id): no value for placeholder {{\(key)}}"
        case .blockTooTall(let id, let index): "template \(id), block \(index): taller than a page"
        }
    }
}

/// An official form or result document described as data, rendered by ``TemplateRenderer``.
///
/// Templates are JSON files so that forms (Mẫu 02–07 of Circular 03/2025/TT-VPCP) and
/// per-procedure result documents can be added or corrected without a code change. Decoding
/// is strict — unknown keys, unknown block kinds, malformed placeholders and column widths
/// that do not add up are errors — because a typo in a legal form must fail when the
/// template is loaded, not print a wrong document.
///
/// ```json
/// {
///   "id": "mau-02", "version": 1,
///   "name": "Phiếu yêu cầu bổ sung {{dossier.code}}",
///   "orientation": "portrait",
///   "header": {
///     "agency": ["{{unit.parentName}}", "{{unit.name|upper}}"],
///     "number": "Số: {{number}}",
///     "motto": true,
///     "dateLine": "{{place}}, ngày {{date.day}} tháng {{date.month}} năm {{date.year}}"
///   },
///   "blocks": [
///     {"title": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"},
///     {"paragraph": "Lý do: {{reason}}", "when": "reason"},
///     {"table": "missing", "columns": [{"title": "STT", "value": "{{index}}", "width": 0.1, "align": "center"},
///                                      {"title": "Tên giấy tờ", "value": "{{name}}", "width": 0.9}]}
///   ]
/// }
/// ```
///
/// Placeholders are `{{key}}` or `{{key|upper}}`, keys being dotted ASCII identifiers
/// (`[A-Za-z0-9_-]` segments joined by `.`). ``Kind`` lists the block kinds and their layout;
/// any block may also carry `"when": key` / `"unless": key` (render only if that value or
/// table is non-empty / empty).
public struct DocumentTemplate: Codable, Sendable, Equatable {
    /// Page orientation; both are A4.
    public enum Orientation: String, Codable, Sendable {
        case portrait, landscape
    }

    /// Horizontal alignment of a paragraph line or a table cell.
    public enum Alignment: String, Codable, Sendable {
        case left, center, right
    }

    /// The standard heading of Vietnamese administrative documents (Decree 30/2020/NĐ-CP):
    /// the issuing agency on the left, the national name and motto on the right.
    public struct Header: Sendable, Equatable {
        /// Agency lines, top to bottom; the last is the issuing agency (bold, ruled under).
        public let agency: [String]
        /// The document number line ("Số: …"), under the agency.
        public let number: String?
        /// Whether to print the national name and motto.
        public let motto: Bool
        /// Place and date ("Hà Nội, ngày … tháng … năm …"), under the motto.
        public let dateLine: String?
    }

    /// A table column.
    public struct Column: Sendable, Equatable {
        /// Header cell text.
        public let title: String
        /// Cell template, evaluated per row.
        public let value: String
        /// Fraction of the text width.
        public let width: Double
        /// Alignment of body cells (header cells are always centred).
        public let align: Alignment
    }

    /// A "Label: value" line of a `fields` block.
    public struct Field: Sendable, Equatable {
        public let label: String
        public let value: String
    }

    /// One signature column.
    public struct Signature: Sendable, Equatable {
        /// Capacity, e.g. "NGƯỜI NỘP HỒ SƠ"; may contain `\n`.
        public let title: String
        /// Instruction under the title, e.g. "(Ký và ghi rõ họ tên)".
        public let note: String?
        /// The signer's name, printed under the signing space.
        public let name: String?
    }

    /// What a block draws. Body text is 10.5 pt on a 15 pt leading; every block that would
    /// cross the bottom margin continues on a new page (paragraphs line by line).
    public enum Kind: Sendable, Equatable {
        /// `{"title": …}`: centred, bold 13 pt, wrapped.
        case title(String)
        /// `{"subtitle": …}`: centred, regular 10.5 pt, wrapped.
        case subtitle(String)
        /// `{"paragraph": …, "bold": false, "indent": 0, "align": "left"}`; `indent` (points)
        /// shifts every line right.
        case paragraph(String, bold: Bool, indent: Double, align: Alignment)
        /// `{"fields": [["Label", "value"], …]}`: one "Label: value" paragraph per field,
        /// continuation lines indented 18 pt.
        case fields([Field])
        /// `{"table": name, "columns": […], "empty": …}`: a ruled 9.5 pt table, one row per
        /// table row; rows never split, the header row repeats on each page.
        case table(name: String, columns: [Column], empty: String?)
        /// `{"list": name, "item": …, "indent": 0, "empty": …}`: one paragraph per table row.
        case list(name: String, item: String, indent: Double, empty: String?)
        /// `{"qr": content, "caption": …, "size": 80}`: QR code (level M) at the right margin,
        /// caption right-aligned to its left.
        case qr(String, caption: String?, size: Double)
        /// `{"signatures": [{"title", "note", "name"}], "space": 70}`: 1–3 columns.
        case signatures([Signature], space: Double)
        /// `{"spacer": points}`: vertical space; at a page foot it just ends the page.
        case spacer(Double)
        /// `{"rule": true}`: a thin line across the text width.
        case rule
    }

    /// One block of the body, with its optional condition.
    public struct Block: Sendable, Equatable {
        public let kind: Kind
        /// Render only if this value (or table) is non-empty.
        public let when: String?
        /// Render only if this value (or table) is empty.
        public let unless: String?
    }

    /// Stable identifier, e.g. "mau-02".
    public let id: String
    /// Template revision, ≥ 1; bump when the wording changes so issued documents can say which was used.
    public let version: Int
    /// PDF `/Title`, after placeholder substitution.
    public let name: String
    public let orientation: Orientation
    public let header: Header?
    public let blocks: [Block]

    /// Decodes and validates a template from JSON.
    public static func decode(_ data: Data) throws -> DocumentTemplate {
        try JSONDecoder().decode(DocumentTemplate.self, from: data)
    }

    /// Every placeholder the template needs, so callers can check their data up front:
    ///
    /// - `key` — a global value (`{{key}}` anywhere outside row templates, and `when`/`unless`
    ///   keys, which may also be satisfied by a table of that name);
    /// - `name[]` — a table used by a `table` or `list` block;
    /// - `name[].key` — a key used in that table's cell or item templates, looked up in the
    ///   row first and then in the global values. The built-in `{{index}}` is not listed.
    public func placeholders() -> Set<String> {
        let refs = references()
        var keys = refs.values.union(refs.conditions).union(refs.tables.map { $0 + "[]" })
        for (table, rowKeys) in refs.rowKeys {
            keys.formUnion(rowKeys.map { "\(table)[].\($0)" })
        }
        return keys
    }

    // MARK: - Decoding

    static let blockKinds = ["title", "subtitle", "paragraph", "fields", "table", "list", "qr", "signatures", "spacer", "rule"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: JSONKey.self)
        let id: String
        do {
            id = try c.decode(String.self, forKey: JSONKey("id"))
        } catch {
            throw TemplateError.invalidTemplate(templateId: "?", reason: "missing or non-string \"id\"")
        }
        guard !id.isEmpty else { throw TemplateError.invalidTemplate(templateId: id, reason: "empty \"id\"") }
        self.id = id
        func fail(_ reason: String) -> TemplateError { .invalidTemplate(templateId: id, reason: reason) }
        do {
            try Self.rejectUnknownKeys(c, allowed: ["id", "version", "name", "orientation", "header", "blocks"]) {
                fail("unknown key \"\($0)\"")
            }
            version = try c.decode(Int.self, forKey: JSONKey("version"))
            guard version >= 1 else { throw fail("\"version\" must be ≥ 1") }
            name = try c.decode(String.self, forKey: JSONKey("name"))
            try Self.check(name, "name", fail)
            orientation = try c.decodeIfPresent(Orientation.self, forKey: JSONKey("orientation")) ?? .portrait
            if c.contains(JSONKey("header")) {
                let h = try c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("header"))
                try Self.rejectUnknownKeys(h, allowed: ["agency", "number", "motto", "dateLine"]) { fail("unknown header key \"\($0)\"") }
                let header = Header(
                    agency: try h.decodeIfPresent([String].self, forKey: JSONKey("agency")) ?? [],
                    number: try h.decodeIfPresent(String.self, forKey: JSONKey("number")),
                    motto: try h.decodeIfPresent(Bool.self, forKey: JSONKey("motto")) ?? false,
                    dateLine: try h.decodeIfPresent(String.self, forKey: JSONKey("dateLine")))
                for text in header.agency { try Self.check(text, "header.agency", fail) }
                try Self.check(header.number, "header.number", fail)
                try Self.check(header.dateLine, "header.dateLine", fail)
                self.header = header
            } else {
                header = nil
            }
        } catch let error as TemplateError {
            throw error
        } catch {
            throw fail(Self.describe(error))
        }
        // Blocks are decoded one by one so that errors carry the block's index.
        var list: any UnkeyedDecodingContainer
        do {
            list = try c.nestedUnkeyedContainer(forKey: JSONKey("blocks"))
        } catch {
            throw fail("missing or non-array \"blocks\"")
        }
        var blocks: [Block] = []
        while !list.isAtEnd {
            let index = blocks.count
            do {
                let block = try list.nestedContainer(keyedBy: JSONKey.self)
                blocks.append(try Self.decodeBlock(block, templateId: id, index: index))
            } catch let error as TemplateError {
                throw error
            } catch {
                throw TemplateError.invalidBlock(templateId: id, index: index, reason: Self.describe(error))
            }
        }
        self.blocks = blocks
    }

    private static func decodeBlock(_ c: KeyedDecodingContainer<JSONKey>, templateId id: String, index: Int) throws -> Block {
        func fail(_ reason: String) -> TemplateError { .invalidBlock(templateId: id, index: index, reason: reason) }
        let keys = c.allKeys.map(\.stringValue).sorted()
        let kinds = keys.filter { blockKinds.contains($0) }
        guard let kind = kinds.first else {
            throw TemplateError.unknownBlockKind(templateId: id, index: index, keys: keys.filter { $0 != "when" && $0 != "unless" })
        }
        guard kinds.count == 1 else { throw fail("several block kinds in one block: \(kinds.joined(separator: ", "))") }
        let extra: [String: [String]] = [
            "paragraph": ["bold", "indent", "align"], "table": ["columns", "empty"], "list": ["item", "indent", "empty"],
            "qr": ["caption", "size"], "signatures": ["space"],
        ]
        try rejectUnknownKeys(c, allowed: [kind, "when", "unless"] + (extra[kind] ?? [])) { fail("unknown key \"\($0)\" in a \(kind) block") }

        func key(_ k: String) -> JSONKey { JSONKey(k) }
        func text(_ k: String) throws -> String {
            let s = try c.decode(String.self, forKey: key(k))
            try check(s, k, fail)
            return s
        }
        func optionalText(_ k: String) throws -> String? {
            let s = try c.decodeIfPresent(String.self, forKey: key(k))
            try check(s, k, fail)
            return s
        }
        func number(_ k: String, default d: Double, in range: ClosedRange<Double>) throws -> Double {
            let v = try c.decodeIfPresent(Double.self, forKey: key(k)) ?? d
            guard range.contains(v) else { throw fail("\"\(k)\" must be within \(range.lowerBound)…\(range.upperBound), got \(v)") }
            return v
        }
        func tableName(_ k: String) throws -> String {
            let name = try c.decode(String.self, forKey: key(k))
            guard Placeholders.isValidKey(name) else { throw fail("invalid table name \"\(name)\"") }
            return name
        }

        let result: Kind
        switch kind {
        case "title": result = .title(try text("title"))
        case "subtitle": result = .subtitle(try text("subtitle"))
        case "paragraph":
            result = .paragraph(
                try text("paragraph"), bold: try c.decodeIfPresent(Bool.self, forKey: key("bold")) ?? false,
                indent: try number("indent", default: 0, in: 0...200),
                align: try c.decodeIfPresent(Alignment.self, forKey: key("align")) ?? .left)
        case "fields":
            let pairs = try c.decode([[String]].self, forKey: key("fields"))
            guard !pairs.isEmpty else { throw fail("\"fields\" is empty") }
            result = .fields(
                try pairs.map { pair in
                    guard pair.count == 2 else { throw fail("each field must be [label, value], got \(pair.count) strings") }
                    try check(pair[0], "fields", fail)
                    try check(pair[1], "fields", fail)
                    return Field(label: pair[0], value: pair[1])
                })
        case "table":
            let name = try tableName("table")
            var columnsContainer = try c.nestedUnkeyedContainer(forKey: key("columns"))
            var columns: [Column] = []
            while !columnsContainer.isAtEnd {
                let col = try columnsContainer.nestedContainer(keyedBy: JSONKey.self)
                let n = columns.count
                try rejectUnknownKeys(col, allowed: ["title", "value", "width", "align"]) { fail("unknown key \"\($0)\" in column \(n)") }
                let column = Column(
                    title: try col.decode(String.self, forKey: key("title")),
                    value: try col.decode(String.self, forKey: key("value")),
                    width: try col.decode(Double.self, forKey: key("width")),
                    align: try col.decodeIfPresent(Alignment.self, forKey: key("align")) ?? .left)
                try check(column.title, "column \(n) title", fail)
                try check(column.value, "column \(n) value", fail)
                guard column.width > 0 else { throw fail("column \(n) width must be positive") }
                columns.append(column)
            }
            guard !columns.isEmpty else { throw fail("a table needs at least one column") }
            // Widths are fractions of the text width; a sum far from 1 means a column was
            // forgotten or mistyped, which would silently squeeze or overflow the table.
            let sum = columns.reduce(0) { $0 + $1.width }
            guard abs(sum - 1) <= 0.01 else {
                throw fail("column widths sum to \((sum * 1000).rounded() / 1000), expected 1 ± 0.01")
            }
            result = .table(name: name, columns: columns, empty: try optionalText("empty"))
        case "list":
            result = .list(
                name: try tableName("list"), item: try text("item"), indent: try number("indent", default: 0, in: 0...200),
                empty: try optionalText("empty"))
        case "qr":
            let content = try text("qr")
            guard !content.isEmpty else { throw fail("empty QR content") }
            result = .qr(content, caption: try optionalText("caption"), size: try number("size", default: 80, in: 40...200))
        case "signatures":
            var list = try c.nestedUnkeyedContainer(forKey: key("signatures"))
            var signatures: [Signature] = []
            while !list.isAtEnd {
                let s = try list.nestedContainer(keyedBy: JSONKey.self)
                let n = signatures.count
                try rejectUnknownKeys(s, allowed: ["title", "note", "name"]) { fail("unknown key \"\($0)\" in signature \(n)") }
                let signature = Signature(
                    title: try s.decode(String.self, forKey: key("title")),
                    note: try s.decodeIfPresent(String.self, forKey: key("note")),
                    name: try s.decodeIfPresent(String.self, forKey: key("name")))
                try check(signature.title, "signature title", fail)
                try check(signature.note, "signature note", fail)
                try check(signature.name, "signature name", fail)
                signatures.append(signature)
            }
            guard (1...3).contains(signatures.count) else { throw fail("1 to 3 signatures expected, got \(signatures.count)") }
            result = .signatures(signatures, space: try number("space", default: 70, in: 0...300))
        case "spacer":
            result = .spacer(try number("spacer", default: 0, in: 0...800))
        default:  // "rule"
            guard try c.decode(Bool.self, forKey: key("rule")) else { throw fail("\"rule\" must be true") }
            result = .rule
        }
        func condition(_ k: String) throws -> String? {
            guard let value = try c.decodeIfPresent(String.self, forKey: key(k)) else { return nil }
            guard Placeholders.isValidKey(value) else { throw fail("\"\(k)\" must be a bare key, got \"\(value)\"") }
            return value
        }
        return Block(kind: result, when: try condition("when"), unless: try condition("unless"))
    }

    /// Placeholder syntax is checked at load time so a broken template never reaches a printer.
    private static func check(_ text: String?, _ field: String, _ fail: (String) -> TemplateError) throws {
        guard let text else { return }
        do {
            _ = try Placeholders.parse(text)
        } catch {
            throw fail("\(field): \(error.reason)")
        }
    }

    private static func rejectUnknownKeys(
        _ c: KeyedDecodingContainer<JSONKey>, allowed: [String], _ fail: (String) -> TemplateError
    ) throws {
        if let unknown = c.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) { throw fail(unknown) }
    }

    /// A short, stable message for a Foundation decoding error (its default description is a dump).
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context): return "invalid value at \(path(context)): \(context.debugDescription)"
        @unknown default: return String(describing: error)
        }
    }

    // MARK: - Encoding

    /// Writes the same JSON format that ``init(from:)`` reads (defaults included), so tools
    /// can normalise template files.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encode(id, forKey: JSONKey("id"))
        try c.encode(version, forKey: JSONKey("version"))
        try c.encode(name, forKey: JSONKey("name"))
        try c.encode(orientation, forKey: JSONKey("orientation"))
        if let header {
            var h = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("header"))
            try h.encode(header.agency, forKey: JSONKey("agency"))
            try h.encodeIfPresent(header.number, forKey: JSONKey("number"))
            try h.encode(header.motto, forKey: JSONKey("motto"))
            try h.encodeIfPresent(header.dateLine, forKey: JSONKey("dateLine"))
        }
        var list = c.nestedUnkeyedContainer(forKey: JSONKey("blocks"))
        for block in blocks {
            var b = list.nestedContainer(keyedBy: JSONKey.self)
            func put<T: Encodable>(_ k: String, _ v: T?) throws { try b.encodeIfPresent(v, forKey: JSONKey(k)) }
            switch block.kind {
            case .title(let t): try put("title", t)
            case .subtitle(let t): try put("subtitle", t)
            case .paragraph(let t, let bold, let indent, let align):
                try put("paragraph", t)
                try put("bold", bold)
                try put("indent", indent)
                try put("align", align)
            case .fields(let pairs): try put("fields", pairs.map { [$0.label, $0.value] })
            case .table(let name, let columns, let empty):
                try put("table", name)
                var cols = b.nestedUnkeyedContainer(forKey: JSONKey("columns"))
                for column in columns {
                    var col = cols.nestedContainer(keyedBy: JSONKey.self)
                    try col.encode(column.title, forKey: JSONKey("title"))
                    try col.encode(column.value, forKey: JSONKey("value"))
                    try col.encode(column.width, forKey: JSONKey("width"))
                    try col.encode(column.align, forKey: JSONKey("align"))
                }
                try put("empty", empty)
            case .list(let name, let item, let indent, let empty):
                try put("list", name)
                try put("item", item)
                try put("indent", indent)
                try put("empty", empty)
            case .qr(let content, let caption, let size):
                try put("qr", content)
                try put("caption", caption)
                try put("size", size)
            case .signatures(let signatures, let space):
                var sigs = b.nestedUnkeyedContainer(forKey: JSONKey("signatures"))
                for s in signatures {
                    var sig = sigs.nestedContainer(keyedBy: JSONKey.self)
                    try sig.encode(s.title, forKey: JSONKey("title"))
                    try sig.encodeIfPresent(s.note, forKey: JSONKey("note"))
                    try sig.encodeIfPresent(s.name, forKey: JSONKey("name"))
                }
                try put("space", space)
            case .spacer(let points): try put("spacer", points)
            case .rule: try put("rule", true)
            }
            try put("when", block.when)
            try put("unless", block.unless)
        }
    }
}

/// A coding key for any JSON member name, so decoding can list and reject unknown keys.
struct JSONKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// `{{key}}` / `{{key|upper}}` parsing and substitution.
enum Placeholders {
    /// In row templates, the 1-based row number.
    static let indexKey = "index"

    enum Segment: Equatable {
        case text(String)
        case key(String, upper: Bool)
    }

    struct SyntaxError: Error {
        let reason: String
    }

    /// Keys are dotted identifiers ("dossier.code", "applicant.fullName"); anything else
    /// between braces is almost certainly a mistake, so it is rejected rather than printed.
    static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && !key.hasPrefix(".") && !key.hasSuffix(".") && !key.contains("..")
            && key.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    static func parse(_ text: String) throws(SyntaxError) -> [Segment] {
        var segments: [Segment] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.text(String(rest[..<open.lowerBound]))) }
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else {
                throw SyntaxError(reason: "\"{{\" without \"}}\" in \"\(text)\"")
            }
            let inner = afterOpen[..<close.lowerBound]
            let parts = inner.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard isValidKey(parts[0]) else { throw SyntaxError(reason: "invalid placeholder \"{{\(inner)}}\"") }
            guard parts.count <= 2, parts.count == 1 || parts[1] == "upper" else {
                throw SyntaxError(reason: "unknown filter in \"{{\(inner)}}\" (only |upper exists)")
            }
            segments.append(.key(parts[0], upper: parts.count == 2))
            rest = afterOpen[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        return segments
    }
}
