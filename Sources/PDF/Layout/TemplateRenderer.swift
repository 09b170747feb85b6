// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Lays out a ``DocumentTemplate`` on A4 pages with ``PDFDocument``.
///
/// One generic renderer for every form keeps the typography of all official documents
/// identical (Decree 30/2020/NĐ-CP heading, sizes, margins) and means a new form is a JSON
/// file, not code. The renderer only uses the public drawing API of ``PDFDocument``.
public enum TemplateRenderer {
    /// Renders `template` to a PDF file.
    ///
    /// - Parameters:
    ///   - values: global placeholder values, e.g. `"dossier.code"`. Every key the template
    ///     references must be present — pass `""` for a deliberately empty value; a missing key
    ///     is ``TemplateError/unknownPlaceholder(_:templateId:)``, checked before drawing,
    ///     including keys of blocks hidden by `when`/`unless`.
    ///   - tables: rows for `table` and `list` blocks by table name; every referenced table must
    ///     be present (pass `[]` for none).
    ///   - fonts: `"regular"` and `"bold"`; a font lacking a glyph fails with
    ///     ``PDFError/missingGlyph(_:font:)`` rather than printing boxes.
    ///   - creationDate: `/CreationDate`, normally the legal date of the document, so that
    ///     re-rendering the same data gives the same file.
    ///   - configure: called on the new document before anything is drawn, to set document
    ///     properties (author, conformance flags).
    public static func render(
        _ template: DocumentTemplate, values: [String: String], tables: [String: [[String: String]]],
        fonts: [String: TrueTypeFont], creationDate: Date, configure: (inout PDFDocument) throws -> Void = { _ in }
    ) throws -> Data {
        for font in [Renderer.regular, Renderer.bold] where fonts[font] == nil { throw PDFError.unknownFont(font) }
        try checkReferences(template, values: values, tables: tables)
        var renderer = Renderer(template: template, values: values, tables: tables, fonts: fonts, creationDate: creationDate)
        try renderer.title()
        try configure(&renderer.pdf)
        try renderer.run()
        return renderer.pdf.data()
    }

    /// Fails before drawing anything when a value or table is missing, so no half-rendered
    /// document exists and hidden blocks cannot hide a typo in a key.
    static func checkReferences(_ template: DocumentTemplate, values: [String: String], tables: [String: [[String: String]]]) throws {
        let refs = template.references()
        for key in refs.values.sorted() where values[key] == nil {
            throw TemplateError.unknownPlaceholder(key, templateId: template.id)
        }
        for name in refs.tables.sorted() where tables[name] == nil {
            throw TemplateError.unknownPlaceholder(name + "[]", templateId: template.id)
        }
        for key in refs.conditions.sorted() where values[key] == nil && tables[key] == nil {
            throw TemplateError.unknownPlaceholder(key, templateId: template.id)
        }
    }
}

extension DocumentTemplate {
    /// Keys referenced by the template, by kind; see ``placeholders()``.
    struct References {
        var values: Set<String> = []
        var conditions: Set<String> = []
        var tables: Set<String> = []
        /// Per table: keys used in its row templates, without the built-in `index`.
        var rowKeys: [String: Set<String>] = [:]
    }

    func references() -> References {
        var refs = References()
        // Templates were validated at decode time, so parsing cannot fail here.
        func add(_ text: String?, row table: String? = nil) {
            guard let text, let segments = try? Placeholders.parse(text) else { return }
            for case .key(let key, _) in segments {
                if let table {
                    if key != Placeholders.indexKey { refs.rowKeys[table, default: []].insert(key) }
                } else {
                    refs.values.insert(key)
                }
            }
        }
        add(name)
        if let header {
            header.agency.forEach { add($0) }
            add(header.number)
            add(header.dateLine)
        }
        for block in blocks {
            if let when = block.when { refs.conditions.insert(when) }
            if let unless = block.unless { refs.conditions.insert(unless) }
            switch block.kind {
            case .title(let t), .subtitle(let t), .paragraph(let t, _, _, _): add(t)
            case .fields(let fields):
                for f in fields {
                    add(f.label)
                    add(f.value)
                }
            case .table(let table, let columns, let empty):
                refs.tables.insert(table)
                for c in columns {
                    add(c.title)
                    add(c.value, row: table)
                }
                add(empty)
            case .list(let table, let item, _, let empty):
                refs.tables.insert(table)
                add(item, row: table)
                add(empty)
            case .qr(let content, let caption, _):
                add(content)
                add(caption)
            case .signatures(let signatures, _):
                for s in signatures {
                    add(s.title)
                    add(s.note)
                    add(s.name)
                }
            case .spacer, .rule: break
            }
        }
        return refs
    }
}

/// Layout state. `y` is measured from the top edge of the page, downwards, to the top of the
/// next line box; a line of text with `size` and `leading` has its baseline at `y + size` and
/// occupies `leading` points.
private struct Renderer {
    static let regular = "regular"
    static let bold = "bold"

    // Sizes follow the Mẫu 01 receipt as drawn in FormService, so old and new forms match.
    static let bodySize = 10.5, bodyLeading = 15.0
    static let titleSize = 13.0, titleLeading = 17.0
    static let headSize = 10.0, headLeading = 13.0
    static let cellSize = 9.5, cellLeading = 12.0, cellPadX = 4.0, cellPadY = 3.0
    static let noteSize = 9.0, noteLeading = 12.0
    /// Continuation lines of a `fields` entry start this far in, so each entry reads as one item.
    static let hangingIndent = 18.0
    static let marginTop = 50.0, marginBottom = 50.0

    let template: DocumentTemplate
    let values: [String: String]
    let tables: [String: [[String: String]]]
    var pdf: PDFDocument
    let pageWidth: Double, pageHeight: Double, left: Double, right: Double
    var y = 0.0
    /// The block being drawn, for ``TemplateError/blockTooTall(templateId:index:)``.
    var blockIndex = 0

    var textWidth: Double { right - left }
    var limit: Double { pageHeight - Self.marginBottom }

    init(
        template: DocumentTemplate, values: [String: String], tables: [String: [[String: String]]],
        fonts: [String: TrueTypeFont], creationDate: Date
    ) {
        self.template = template
        self.values = values
        self.tables = tables
        pdf = PDFDocument(fonts: fonts, creationDate: creationDate)
        let landscape = template.orientation == .landscape
        pageWidth = landscape ? PDFDocument.a4Height : PDFDocument.a4Width
        pageHeight = landscape ? PDFDocument.a4Width : PDFDocument.a4Height
        let margin = landscape ? 42.0 : 56.0
        left = margin
        right = pageWidth - margin
    }

    mutating func title() throws {
        pdf.title = try substitute(template.name)
    }

    mutating func run() throws {
        try newPage()
        if let header = template.header { try drawHeader(header) }
        for (index, block) in template.blocks.enumerated() {
            blockIndex = index
            if let key = block.when, !isNonEmpty(key) { continue }
            if let key = block.unless, isNonEmpty(key) { continue }
            try draw(block.kind)
        }
    }

    // MARK: - Values

    /// Whitespace-only counts as empty: a form must not print a heading over blank content.
    func isNonEmpty(_ key: String) -> Bool {
        if let value = values[key] { return !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        return !(tables[key]?.isEmpty ?? true)
    }

    /// Substitutes placeholders. In a row template (`table` set) the lookup order is the
    /// built-in `index`, the row's own keys, then the global values.
    func substitute(_ text: String, table: String? = nil, row: [String: String] = [:], index: Int = 0) throws -> String {
        let segments: [Placeholders.Segment]
        do {
            segments = try Placeholders.parse(text)
        } catch {
            throw TemplateError.invalidTemplate(templateId: template.id, reason: error.reason)
        }
        var out = ""
        for segment in segments {
            switch segment {
            case .text(let s): out += s
            case .key(let key, let upper):
                let value: String
                if let table {
                    if key == Placeholders.indexKey {
                        value = String(index)
                    } else if let v = row[key] ?? values[key] {
                        value = v
                    } else {
                        throw TemplateError.unknownPlaceholder("\(table)[].\(key)", templateId: template.id)
                    }
                } else {
                    guard let v = values[key] else { throw TemplateError.unknownPlaceholder(key, templateId: template.id) }
                    value = v
                }
                out += upper ? value.uppercased() : value
            }
        }
        return out.precomposedStringWithCanonicalMapping
    }

    // MARK: - Pages and text

    mutating func newPage() throws {
        pdf.addPage(width: pageWidth, height: pageHeight)
        y = Self.marginTop
        // Decree 30/2020 numbers pages from the second one, centred in the top margin.
        if pdf.pageCount > 1 {
            try pdf.drawText(String(pdf.pageCount), x: pageWidth / 2, y: pageHeight - 32, font: Self.regular, size: 10, alignment: .center)
        }
    }

    /// Makes room for `height` points: starts a new page when the content would cross the
    /// bottom margin, and fails when even an empty page is too short.
    mutating func reserve(_ height: Double) throws {
        if y + height <= limit { return }
        if y > Self.marginTop { try newPage() }
        guard y + height <= limit else { throw TemplateError.blockTooTall(templateId: template.id, index: blockIndex) }
    }

    /// Word wrap with a separate width for the first line (hanging indents). Like
    /// ``PDFDocument/wrap(_:font:size:width:)``: breaks at spaces and newlines, and splits a
    /// word wider than the line between characters so nothing overflows.
    func wrap(_ text: String, font: String, size: Double, width first: Double, rest: Double? = nil) throws -> [String] {
        let rest = rest ?? first
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                let width = lines.isEmpty ? first : rest
                var word = String(word)
                let candidate = line.isEmpty ? word : line + " " + word
                if try pdf.textWidth(candidate, font: font, size: size) <= width {
                    line = candidate
                    continue
                }
                if !line.isEmpty { lines.append(line) }
                let next = lines.isEmpty ? first : rest
                while try pdf.textWidth(word, font: font, size: size) > next, word.count > 1 {
                    var head = ""
                    for ch in word {
                        if try pdf.textWidth(head + String(ch), font: font, size: size) > next, !head.isEmpty { break }
                        head.append(ch)
                    }
                    lines.append(head)
                    word.removeFirst(head.count)
                }
                line = word
            }
            lines.append(line)
        }
        return lines
    }

    /// Draws one line whose box starts at `top`; `x` is the left edge, centre or right edge.
    mutating func text(_ s: String, x: Double, top: Double, font: String, size: Double, alignment: PDFTextAlignment = .left) throws {
        guard !s.isEmpty else { return }
        try pdf.drawText(s, x: x, y: pageHeight - (top + size), font: font, size: size, alignment: alignment)
    }

    /// A wrapped paragraph in the text column; lines flow onto the next page one by one.
    mutating func paragraph(
        _ s: String, font: String = regular, size: Double = bodySize, leading: Double = bodyLeading, indent: Double = 0,
        hanging: Double = 0, align: DocumentTemplate.Alignment = .left
    ) throws {
        let x0 = left + indent
        let width = textWidth - indent
        let lines = try wrap(s, font: font, size: size, width: width, rest: width - hanging)
        for (i, line) in lines.enumerated() {
            try reserve(leading)
            let x = i == 0 ? x0 : x0 + hanging
            let w = i == 0 ? width : width - hanging
            switch align {
            case .left: try text(line, x: x, top: y, font: font, size: size)
            case .center: try text(line, x: x + w / 2, top: y, font: font, size: size, alignment: .center)
            case .right: try text(line, x: x + w, top: y, font: font, size: size, alignment: .right)
            }
            y += leading
        }
    }

    // MARK: - Header

    /// The Decree 30/2020 heading: agency (left) and national name with motto (right), then
    /// the number and the place/date on one shared baseline below.
    mutating func drawHeader(_ header: DocumentTemplate.Header) throws {
        let top = y
        let leftWidth = textWidth * 0.42
        let rightWidth = textWidth - leftWidth
        let leftCentre = left + leftWidth / 2
        let rightCentre = left + leftWidth + rightWidth / 2
        let size = Self.headSize, leading = Self.headLeading

        var leftY = top
        for (i, template) in header.agency.enumerated() {
            let line = try substitute(template)
            guard !line.isEmpty else { continue }  // e.g. a unit without a parent agency
            let isIssuer = i == header.agency.count - 1
            let font = isIssuer ? Self.bold : Self.regular
            let lines = try wrap(line, font: font, size: size, width: leftWidth - 4)
            for l in lines {
                try text(l, x: leftCentre, top: leftY, font: font, size: size, alignment: .center)
                leftY += leading
            }
            if isIssuer {
                // Decree 30: a short rule under the issuing agency, 1/3 to 1/2 of its length.
                let widest = try lines.map { try pdf.textWidth($0, font: font, size: size) }.max() ?? 0
                let half = max(widest * 0.4, 20) / 2
                // A little below the text, so it reads as a separator and not as an underline of a word.
                let ruleY = pageHeight - (leftY + 3)
                try pdf.drawLine(x1: leftCentre - half, y1: ruleY, x2: leftCentre + half, y2: ruleY)
                leftY += 6
            }
        }

        var rightY = top
        if header.motto {
            let name = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
            let motto = "Độc lập - Tự do - Hạnh phúc"
            try text(name, x: rightCentre, top: rightY, font: Self.bold, size: size, alignment: .center)
            rightY += 14
            try text(motto, x: rightCentre, top: rightY, font: Self.bold, size: Self.bodySize, alignment: .center)
            // The rule under the motto is exactly as wide as the motto (Decree 30).
            let width = try pdf.textWidth(motto, font: Self.bold, size: Self.bodySize)
            let ruleY = pageHeight - (rightY + Self.bodySize + 3.5)
            try pdf.drawLine(x1: rightCentre - width / 2, y1: ruleY, x2: rightCentre + width / 2, y2: ruleY)
            rightY += Self.bodySize + 5
        }

        if header.number != nil || header.dateLine != nil {
            let rowTop = max(leftY, rightY) + 8
            leftY = rowTop
            rightY = rowTop
            if let number = header.number {
                for l in try wrap(try substitute(number), font: Self.regular, size: size, width: leftWidth - 4) {
                    try text(l, x: leftCentre, top: leftY, font: Self.regular, size: size, alignment: .center)
                    leftY += leading
                }
            }
            if let dateLine = header.dateLine {
                for l in try wrap(try substitute(dateLine), font: Self.regular, size: size, width: rightWidth - 4) {
                    try text(l, x: rightCentre, top: rightY, font: Self.regular, size: size, alignment: .center)
                    rightY += leading
                }
            }
        }
        y = max(leftY, rightY) + 20
    }

    // MARK: - Blocks

    mutating func draw(_ kind: DocumentTemplate.Kind) throws {
        switch kind {
        case .title(let s):
            try paragraph(try substitute(s), font: Self.bold, size: Self.titleSize, leading: Self.titleLeading, align: .center)
        case .subtitle(let s):
            try paragraph(try substitute(s), align: .center)
        case .paragraph(let s, let bold, let indent, let align):
            try paragraph(try substitute(s), font: bold ? Self.bold : Self.regular, indent: indent, align: align)
        case .fields(let fields):
            for f in fields {
                try paragraph(try substitute(f.label) + ": " + substitute(f.value), hanging: Self.hangingIndent)
            }
        case .table(let name, let columns, let empty):
            try table(name: name, columns: columns, empty: empty)
        case .list(let name, let item, let indent, let empty):
            let rows = tables[name] ?? []
            if rows.isEmpty, let empty { try paragraph(try substitute(empty), indent: indent) }
            for (i, row) in rows.enumerated() {
                try paragraph(try substitute(item, table: name, row: row, index: i + 1), indent: indent)
            }
        case .qr(let content, let caption, let size):
            try qr(content: content, caption: caption, size: size)
        case .signatures(let signatures, let space):
            try drawSignatures(signatures, space: space)
        case .spacer(let points):
            // Whitespace never opens a page: at the bottom it just ends the page.
            y = min(y + points, limit)
        case .rule:
            try reserve(8)
            let ruleY = pageHeight - (y + 4)
            try pdf.drawLine(x1: left, y1: ruleY, x2: right, y2: ruleY)
            y += 8
        }
    }

    private func cellHeight(_ cells: [[String]]) -> Double {
        Double(cells.map(\.count).max() ?? 1) * Self.cellLeading + 2 * Self.cellPadY
    }

    /// Draws one row of cells at `y` and moves below it.
    private mutating func row(
        _ cells: [[String]], widths: [Double], aligns: [DocumentTemplate.Alignment], font: String, fill: Double?
    ) throws {
        let height = cellHeight(cells)
        var x = left
        for (i, lines) in cells.enumerated() {
            let w = widths[i]
            try pdf.drawRect(x: x, y: pageHeight - (y + height), width: w, height: height, lineWidth: 0.5, fillGray: fill)
            for (j, line) in lines.enumerated() {
                let top = y + Self.cellPadY + Double(j) * Self.cellLeading
                switch aligns[i] {
                case .left: try text(line, x: x + Self.cellPadX, top: top, font: font, size: Self.cellSize)
                case .center: try text(line, x: x + w / 2, top: top, font: font, size: Self.cellSize, alignment: .center)
                case .right: try text(line, x: x + w - Self.cellPadX, top: top, font: font, size: Self.cellSize, alignment: .right)
                }
            }
            x += w
        }
        y += height
    }

    /// A ruled table. Rows are never split; a row that does not fit starts a new page that
    /// repeats the header row, so every page can be read on its own.
    mutating func table(name: String, columns: [DocumentTemplate.Column], empty: String?) throws {
        let rows = tables[name] ?? []
        // Scale the fractions (validated to sum to 1 ± 0.01) so the table fills the text width exactly.
        let total = columns.reduce(0) { $0 + $1.width }
        let widths = columns.map { $0.width / total * textWidth }
        let header = try columns.enumerated().map { i, c in
            try wrap(try substitute(c.title), font: Self.bold, size: Self.cellSize, width: widths[i] - 2 * Self.cellPadX)
        }
        let headerHeight = cellHeight(header)
        let headerAligns = Array(repeating: DocumentTemplate.Alignment.center, count: columns.count)
        let aligns = columns.map(\.align)
        y += 2

        if rows.isEmpty {
            var cells: [[String]] = []
            if let empty {
                cells = [try wrap(try substitute(empty), font: Self.regular, size: Self.cellSize, width: textWidth - 2 * Self.cellPadX)]
            }
            try reserve(headerHeight + (cells.isEmpty ? 0 : cellHeight(cells)))
            try row(header, widths: widths, aligns: headerAligns, font: Self.bold, fill: 0.9)
            if !cells.isEmpty { try row(cells, widths: [textWidth], aligns: [.center], font: Self.regular, fill: nil) }
        }
        for (i, values) in rows.enumerated() {
            let cells = try columns.enumerated().map { c, column in
                try wrap(
                    try substitute(column.value, table: name, row: values, index: i + 1), font: Self.regular, size: Self.cellSize,
                    width: widths[c] - 2 * Self.cellPadX)
            }
            let height = cellHeight(cells)
            if i == 0 {
                // Keep the header with the first row: a header alone at a page foot is useless.
                try reserve(headerHeight + height)
                try row(header, widths: widths, aligns: headerAligns, font: Self.bold, fill: 0.9)
            } else if y + height > limit {
                try newPage()
                guard y + headerHeight + height <= limit else {
                    throw TemplateError.blockTooTall(templateId: template.id, index: blockIndex)
                }
                try row(header, widths: widths, aligns: headerAligns, font: Self.bold, fill: 0.9)
            }
            try row(cells, widths: widths, aligns: aligns, font: Self.regular, fill: nil)
        }
        y += 8
    }

    /// The QR code at the right margin, its caption right-aligned beside it and centred vertically.
    mutating func qr(content: String, caption: String?, size: Double) throws {
        let code = try QRCode.encode(try substitute(content), correction: .medium)
        let gap = 12.0
        let captionLines = try caption.map {
            try wrap(try substitute($0), font: Self.regular, size: Self.bodySize, width: textWidth - size - gap)
        } ?? []
        let captionHeight = Double(captionLines.count) * Self.bodyLeading
        let height = max(size, captionHeight)
        y += 4
        try reserve(height)
        let qrX = right - size
        try pdf.drawQRCode(code, x: qrX, y: pageHeight - (y + size), size: size)
        var top = y + (height - captionHeight) / 2
        for line in captionLines {
            try text(line, x: qrX - gap, top: top, font: Self.regular, size: Self.bodySize, alignment: .right)
            top += Self.bodyLeading
        }
        y += height + 4
    }

    /// Signature columns spread evenly; titles and notes on top, names on one shared baseline
    /// `space` points lower (the signing area). Moved whole to a new page when it does not fit,
    /// because a signature separated from its title is meaningless.
    mutating func drawSignatures(_ signatures: [DocumentTemplate.Signature], space: Double) throws {
        let columnWidth = textWidth / Double(signatures.count)
        let wrapWidth = columnWidth - 8
        struct Column {
            var title: [String], note: [String], name: [String]
        }
        let columns = try signatures.map { s in
            Column(
                title: try wrap(try substitute(s.title), font: Self.bold, size: Self.headSize, width: wrapWidth),
                note: try s.note.map { try wrap(try substitute($0), font: Self.regular, size: Self.noteSize, width: wrapWidth) } ?? [],
                name: try s.name.map { try wrap(try substitute($0), font: Self.bold, size: Self.headSize, width: wrapWidth) } ?? [])
        }
        let head = columns.map { Double($0.title.count) * Self.headLeading + Double($0.note.count) * Self.noteLeading }.max() ?? 0
        let nameHeight = Double(max(1, columns.map(\.name.count).max() ?? 1)) * Self.headLeading
        let height = head + space + nameHeight
        y += 12
        try reserve(height)
        for (i, column) in columns.enumerated() {
            let centre = left + columnWidth * (Double(i) + 0.5)
            var top = y
            for line in column.title {
                try text(line, x: centre, top: top, font: Self.bold, size: Self.headSize, alignment: .center)
                top += Self.headLeading
            }
            for line in column.note {
                try text(line, x: centre, top: top, font: Self.regular, size: Self.noteSize, alignment: .center)
                top += Self.noteLeading
            }
            top = y + head + space
            for line in column.name {
                try text(line, x: centre, top: top, font: Self.bold, size: Self.headSize, alignment: .center)
                top += Self.headLeading
            }
        }
        y += height
    }
}
