// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A table to export: a header row and rows of text or numbers, written as CSV (UTF-8 with a
/// byte-order mark, so spreadsheet programs read Vietnamese right) or as a real XLSX workbook
/// (Office Open XML, one sheet, stored in a ZIP written here).
public struct Spreadsheet: Sendable {
    public enum Cell: Sendable, Hashable, ExpressibleByStringLiteral {
        case text(String)
        case number(Double)
        case empty

        public init(stringLiteral value: String) { self = .text(value) }
        public static func int(_ n: Int?) -> Cell { n.map { .number(Double($0)) } ?? .empty }
        public static func double(_ x: Double?) -> Cell { x.map(Cell.number) ?? .empty }
    }

    public var name: String
    public var header: [String]
    public var rows: [[Cell]]

    public init(name: String, header: [String], rows: [[Cell]]) {
        self.name = name
        self.header = header
        self.rows = rows
    }

    // MARK: CSV (RFC 4180)

    public func csv() -> Data {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func text(_ c: Cell) -> String {
            switch c {
            case .text(let s): field(s)
            case .number(let x): Self.number(x)
            case .empty: ""
            }
        }
        var out = "\u{FEFF}" + header.map(field).joined(separator: ",") + "\r\n"
        for r in rows { out += r.map(text).joined(separator: ",") + "\r\n" }
        return Data(out.utf8)
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    // MARK: XLSX

    public func xlsx() -> Data {
        func esc(_ s: String) -> String {
            var o = ""
            for ch in s.unicodeScalars {
                switch ch {
                case "&": o += "&amp;"
                case "<": o += "&lt;"
                case ">": o += "&gt;"
                case "\"": o += "&quot;"
                // Control characters are not allowed in XML 1.0 (tab, newline and return are).
                case _ where ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r": continue
                default: o.unicodeScalars.append(ch)
                }
            }
            return o
        }
        func column(_ i: Int) -> String {
            var n = i + 1
            var s = ""
            while n > 0 {
                let r = (n - 1) % 26
                s = String(UnicodeScalar(65 + r)!) + s
                n = (n - 1) / 26
            }
            return s
        }
        var sheet = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        for (r, cells) in ([header.map(Cell.text)] + rows).enumerated() {
            sheet += "<row r=\"\(r + 1)\">"
            for (c, cell) in cells.enumerated() {
                let ref = "\(column(c))\(r + 1)"
                switch cell {
                case .text(let s): sheet += "<c r=\"\(ref)\" t=\"inlineStr\"\(r == 0 ? " s=\"1\"" : "")><is><t xml:space=\"preserve\">\(esc(s))</t></is></c>"
                case .number(let x): sheet += "<c r=\"\(ref)\"><v>\(Self.number(x))</v></c>"
                case .empty: break
                }
            }
            sheet += "</row>"
        }
        sheet += "</sheetData></worksheet>"
        let sheetName = esc(String(name.prefix(31)).replacingOccurrences(of: "/", with: "-"))
        let files: [(String, String)] = [
            (
                "[Content_Types].xml",
                #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#
            ),
            (
                "_rels/.rels",
                #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
            (
                "xl/workbook.xml",
                #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name=""#
                    + sheetName + #"" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
            (
                "xl/_rels/workbook.xml.rels",
                #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#
            ),
            (
                "xl/styles.xml",
                // Style 1: bold, for the header row.
                #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>"#
            ),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        return Zip.stored(files.map { ($0.0, Data($0.1.utf8)) })
    }
}

/// A ZIP archive of stored (uncompressed) entries: what an XLSX needs, nothing more.
enum Zip {
    static func stored(_ entries: [(name: String, data: Data)]) -> Data {
        var out = Data()
        var central = Data()
        // 1 January 2026, 00:00 in MS-DOS form: a fixed time, so the same table gives the same bytes.
        let (dosTime, dosDate): (UInt16, UInt16) = (0, UInt16((2026 - 1980) << 9 | 1 << 5 | 1))
        for (name, data) in entries {
            let offset = UInt32(out.count)
            let crc = CRC32.checksum(data)
            let nameBytes = Data(name.utf8)
            func header(_ signature: UInt32, central: Bool) -> Data {
                var h = Data()
                h.le(signature)
                if central { h.le(UInt16(20)) }  // version made by
                h.le(UInt16(20))  // version needed
                h.le(UInt16(0x0800))  // UTF-8 names
                h.le(UInt16(0))  // stored
                h.le(dosTime)
                h.le(dosDate)
                h.le(crc)
                h.le(UInt32(data.count))
                h.le(UInt32(data.count))
                h.le(UInt16(nameBytes.count))
                h.le(UInt16(0))  // extra
                if central {
                    h.le(UInt16(0))  // comment
                    h.le(UInt16(0))  // disk
                    h.le(UInt16(0))  // internal attributes
                    h.le(UInt32(0))  // external attributes
                    h.le(offset)
                }
                return h + nameBytes
            }
            out += header(0x0403_4B50, central: false) + data
            central += header(0x0201_4B50, central: true)
        }
        let start = UInt32(out.count)
        out += central
        var end = Data()
        end.le(UInt32(0x0605_4B50))
        end.le(UInt16(0))
        end.le(UInt16(0))
        end.le(UInt16(entries.count))
        end.le(UInt16(entries.count))
        end.le(UInt32(central.count))
        end.le(start)
        end.le(UInt16(0))
        return out + end
    }
}

enum CRC32 {
    static let table: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ data: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

extension Data {
    fileprivate mutating func le<T: FixedWidthInteger>(_ v: T) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }
}
