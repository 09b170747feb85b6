// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import PDF

/// The fonts MotCua ships, found relative to this file (resolving symlinks, so the test also
/// runs from a scratch package that links it). Precompressed once: compressing the font on
/// every render would dominate the test time.
private let templateFonts: Result<[String: TrueTypeFont], any Error> = Result {
    let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let dir = root.appendingPathComponent("Sources/Services/Resources/fonts")
    return [
        "regular": try TrueTypeFont(contentsOf: dir.appendingPathComponent("DejaVuSans.ttf")),
        "bold": try TrueTypeFont(contentsOf: dir.appendingPathComponent("DejaVuSans-Bold.ttf")),
    ]
}

/// poppler-utils, run on a rendered PDF.
private enum Poppler {
    static func run(_ tool: String, _ args: [String]) async throws -> String {
        let (status, output) = try await runChecker("/usr/bin/\(tool)", package: "poppler-utils", args)
        guard status == 0 else {
            Issue.record("\(tool) \(args.joined(separator: " ")) failed: \(output)")
            throw CocoaError(.fileReadCorruptFile)
        }
        return output
    }

    /// Writes `pdf` to a temporary file, runs `body` on its path, then removes it.
    static func withFile<T>(_ pdf: Data, _ body: (String) async throws -> T) async throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tpl-\(UUID().uuidString).pdf")
        try pdf.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        if let keep = ProcessInfo.processInfo.environment["MOTCUA_TEMPLATE_SAMPLE_DIR"] {
            try? pdf.write(to: URL(fileURLWithPath: keep).appendingPathComponent(url.lastPathComponent))
        }
        return try await body(url.path)
    }

    static func text(_ path: String, page: Int? = nil) async throws -> String {
        var args: [String] = []
        if let page { args += ["-f", String(page), "-l", String(page)] }
        return try await run("pdftotext", args + ["-enc", "UTF-8", path, "-"])
    }

    static func info(_ path: String) async throws -> [String: String] {
        var fields: [String: String] = [:]
        for line in try await run("pdfinfo", [path]).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }
}

@Suite("TemplateRenderer")
struct TemplateRendererTests {
    /// A Mẫu 02 (request to supplement a dossier) written the way the real template files are.
    static let mau02 = #"""
        {
          "id": "mau-02", "version": 1,
          "name": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ {{dossier.code}}",
          "header": {
            "agency": ["{{unit.parentName}}", "{{unit.name|upper}}"],
            "number": "Số: {{number}}",
            "motto": true,
            "dateLine": "{{place}}, ngày {{date.day}} tháng {{date.month}} năm {{date.year}}"
          },
          "blocks": [
            {"title": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"},
            {"subtitle": "Mã hồ sơ: {{dossier.code}}"},
            {"spacer": 8},
            {"fields": [["Kính gửi", "{{applicant.fullName}}"], ["Địa chỉ", "{{applicant.address}}"],
                        ["Nội dung yêu cầu giải quyết", "{{procedure.name}}"]]},
            {"paragraph": "Sau khi xem xét thành phần hồ sơ, {{unit.name}} đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"},
            {"table": "missing", "columns": [
              {"title": "STT", "value": "{{index}}", "width": 0.08, "align": "center"},
              {"title": "Tên giấy tờ", "value": "{{name}}", "width": 0.5},
              {"title": "Hình thức", "value": "{{form}}", "width": 0.24, "align": "center"},
              {"title": "Số lượng", "value": "{{count}}", "width": 0.18, "align": "center"}
            ], "empty": "Không có"},
            {"paragraph": "Lý do: {{reason}}", "when": "reason"},
            {"paragraph": "Ghi chú: không có lý do cụ thể.", "unless": "reason"},
            {"paragraph": "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ {{officer.fullName}}, số điện thoại {{officer.phone}} để được hướng dẫn."},
            {"qr": "{{trackingURL}}", "caption": "Quét mã để tra cứu hồ sơ {{dossier.code}}", "size": 80},
            {"signatures": [
              {"title": "NGƯỜI NỘP HỒ SƠ", "note": "(Ký và ghi rõ họ tên)", "name": "{{applicant.fullName}}"},
              {"title": "NGƯỜI HƯỚNG DẪN", "note": "(Ký và ghi rõ họ tên)", "name": "{{officer.fullName}}"}
            ], "space": 70}
          ]
        }
        """#

    static let values: [String: String] = [
        "dossier.code": "G12.34-250101-0001",
        "unit.parentName": "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
        "unit.name": "Ủy ban nhân dân phường Hoàn Kiếm",
        "number": "15/PYCBS",
        "place": "Hà Nội",
        "date.day": "05", "date.month": "03", "date.year": "2025",
        "applicant.fullName": "Nguyễn Thị Hường",
        "applicant.address": "Số 12 phố Hàng Bạc, phường Hoàn Kiếm, thành phố Hà Nội",
        "procedure.name": "Đăng ký thường trú",
        "reason": "Bản sao giấy khai sinh chưa được chứng thực",
        "officer.fullName": "Trần Văn Đức",
        "officer.phone": "024 3825 1234",
        "trackingURL": "https://dichvucong.hanoi.gov.vn/tra-cuu/G12.34-250101-0001",
    ]

    static let missing: [[String: String]] = [
        ["name": "Giấy khai sinh", "form": "Bản sao chứng thực", "count": "01"],
        ["name": "Giấy chứng nhận quyền sử dụng đất", "form": "Bản chính", "count": "01"],
        ["name": "Tờ khai thay đổi thông tin cư trú (mẫu CT01)", "form": "Bản chính", "count": "02"],
    ]

    static let date = Date(timeIntervalSince1970: 1_741_140_000)

    static func render(
        _ json: String, values: [String: String] = values, tables: [String: [[String: String]]] = ["missing": missing],
        configure: (inout PDFDocument) throws -> Void = { _ in }
    ) throws -> Data {
        let template = try DocumentTemplate.decode(Data(json.utf8))
        return try TemplateRenderer.render(
            template, values: values, tables: tables, fonts: try templateFonts.get(), creationDate: date, configure: configure)
    }

    /// A minimal template around `blocks` (a JSON array body).
    static func template(_ blocks: String, id: String = "t", extra: String = "") -> String {
        #"{"id": "\#(id)", "version": 1, "name": "Test"\#(extra), "blocks": [\#(blocks)]}"#
    }

    /// Expects `body` to throw a ``TemplateError`` and returns it.
    static func templateError(_ body: () throws -> Void) -> TemplateError? {
        do {
            try body()
            Issue.record("expected a TemplateError")
        } catch let error as TemplateError {
            return error
        } catch {
            Issue.record("expected a TemplateError, got \(error)")
        }
        return nil
    }

    /// pdftotext joins lines with newlines and may break at any space; compare on single spaces.
    static func flat(_ s: String) -> String {
        s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func mau02RendersOnOnePageWithVietnameseText() async throws {
        let pdf = try Self.render(Self.mau02)
        // Same inputs, same bytes: documents are re-rendered for verification and archiving.
        #expect(pdf == (try Self.render(Self.mau02)))
        try await Poppler.withFile(pdf) { path in
            let info = try await Poppler.info(path)
            #expect(info["Pages"] == "1")
            #expect(info["Title"] == "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ G12.34-250101-0001")
            let text = Self.flat(try await Poppler.text(path))
            for expected in [
                "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                "ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM",  // |upper
                "Số: 15/PYCBS", "Hà Nội, ngày 05 tháng 03 năm 2025",
                "Giấy chứng nhận quyền sử dụng đất", "Bản sao chứng thực",
                "Lý do: Bản sao giấy khai sinh chưa được chứng thực",
                "Quét mã để tra cứu hồ sơ G12.34-250101-0001",
                "NGƯỜI NỘP HỒ SƠ", "NGƯỜI HƯỚNG DẪN", "Nguyễn Thị Hường", "Trần Văn Đức",
            ] {
                #expect(text.contains(expected), "missing \(expected)")
            }
            #expect(!text.contains("Ghi chú: không có lý do cụ thể."), "unless block shown although reason is set")
            #expect(!text.contains("{{"))
        }
    }

    @Test func longTableBreaksAcrossPagesRepeatingTheHeader() async throws {
        let rows = (1...120).map { i in
            ["name": "Giấy tờ R\(i < 10 ? "00" : i < 100 ? "0" : "")\(i)", "form": "Bản sao", "count": "01"]
        }
        let pdf = try Self.render(Self.mau02, tables: ["missing": rows])
        try await Poppler.withFile(pdf) { path in
            let pages = Int(try await Poppler.info(path)["Pages"] ?? "") ?? 0
            #expect(pages >= 3)
            for page in 1...max(pages, 1) {
                let text = try await Poppler.text(path, page: page)
                // With 120 rows every page, the last included, holds rows and thus the header.
                #expect(text.contains("Giấy tờ R"), "no rows on page \(page)")
                #expect(text.contains("Tên giấy tờ"), "no header row on page \(page)")
                #expect(text.contains("Hình thức"), "no header row on page \(page)")
            }
            let all = try await Poppler.text(path)
            for row in rows {
                let name = try #require(row["name"])
                #expect(all.components(separatedBy: name).count - 1 == 1, "\(name) not found exactly once")
            }
            // Pages after the first are numbered in the top margin.
            #expect(try await Poppler.text(path, page: 2).split(whereSeparator: \.isNewline).contains("2"))
        }
    }

    @Test func landscapeIsA4Rotated() async throws {
        // A Mẫu 07-like register: wide tables are why landscape exists.
        let json = #"""
            {"id": "mau-07", "version": 1, "name": "Sổ theo dõi hồ sơ", "orientation": "landscape",
             "header": {"agency": ["{{unit.name|upper}}"], "motto": true},
             "blocks": [
               {"title": "SỔ THEO DÕI HỒ SƠ"},
               {"table": "dossiers", "columns": [
                 {"title": "STT", "value": "{{index}}", "width": 0.05, "align": "center"},
                 {"title": "Mã hồ sơ", "value": "{{code}}", "width": 0.2},
                 {"title": "Người nộp", "value": "{{applicant}}", "width": 0.25},
                 {"title": "Ngày nhận", "value": "{{received}}", "width": 0.15, "align": "center"},
                 {"title": "Hẹn trả", "value": "{{due}}", "width": 0.15, "align": "center"},
                 {"title": "Tình trạng", "value": "{{status}}", "width": 0.2}
               ], "empty": "Chưa có hồ sơ"}
             ]}
            """#
        let rows = [["code": "G12.34-250101-0001", "applicant": "Phạm Thị Lụa", "received": "01/01/2025", "due": "08/01/2025", "status": "Đúng hạn"]]
        try await Poppler.withFile(try Self.render(json, tables: ["dossiers": rows])) { path in
            let size = try #require(try await Poppler.info(path)["Page size"])
            #expect(size.hasPrefix("841.89 x 595.28"), "page size \(size)")
            let text = Self.flat(try await Poppler.text(path))
            #expect(text.contains("Phạm Thị Lụa") && text.contains("Đúng hạn") && text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
        }
        // An empty register prints the header row and the `empty` text.
        try await Poppler.withFile(try Self.render(json, tables: ["dossiers": []])) { path in
            let text = try await Poppler.text(path)
            #expect(text.contains("Tình trạng") && text.contains("Chưa có hồ sơ"))
        }
    }

    @Test func unknownPlaceholderIsAnErrorNamingIt() throws {
        let typo = Self.template(#"{"paragraph": "Mã: {{dossier.cod}}"}"#, id: "mau-x")
        #expect(Self.templateError { _ = try Self.render(typo) } == .unknownPlaceholder("dossier.cod", templateId: "mau-x"))
        // Also inside a block hidden by `when`: the check does not depend on the data.
        let hidden = Self.template(#"{"paragraph": "{{nope}}", "when": "empty"}"#)
        #expect(Self.templateError { _ = try Self.render(hidden, values: ["empty": ""]) } == .unknownPlaceholder("nope", templateId: "t"))
        // Tables and row keys are reported as in placeholders().
        let table = Self.template(#"{"table": "rows", "columns": [{"title": "A", "value": "{{a}}", "width": 1}]}"#)
        #expect(Self.templateError { _ = try Self.render(table, tables: [:]) } == .unknownPlaceholder("rows[]", templateId: "t"))
        #expect(
            Self.templateError { _ = try Self.render(table, tables: ["rows": [["b": "x"]]]) }
                == .unknownPlaceholder("rows[].a", templateId: "t"))
        // A cell falls back to global values.
        _ = try Self.render(table, values: ["a": "global"], tables: ["rows": [["b": "x"]]])
        // Unconditional emptiness is explicit: "" is a value.
        _ = try Self.render(typo.replacingOccurrences(of: "dossier.cod", with: "x"), values: ["x": ""])
    }

    @Test func whenAndUnlessSelectBlocks() async throws {
        let json = Self.template(
            #"""
            {"paragraph": "ALPHA {{reason}}", "when": "reason"},
            {"paragraph": "BRAVO", "unless": "reason"},
            {"paragraph": "CHARLIE", "when": "missing"},
            {"paragraph": "DELTA", "unless": "missing"},
            {"paragraph": "ECHO", "when": "blank"}
            """#)
        func text(reason: String, rows: [[String: String]]) async throws -> String {
            let pdf = try Self.render(json, values: ["reason": reason, "blank": "  "], tables: ["missing": rows])
            return try await Poppler.withFile(pdf) { try await Poppler.text($0) }
        }
        let a = try await text(reason: "thiếu giấy tờ", rows: [["x": "1"]])
        #expect(a.contains("ALPHA thiếu giấy tờ") && !a.contains("BRAVO") && a.contains("CHARLIE") && !a.contains("DELTA"))
        let b = try await text(reason: "", rows: [])
        #expect(!b.contains("ALPHA") && b.contains("BRAVO") && !b.contains("CHARLIE") && b.contains("DELTA"))
        #expect(!a.contains("ECHO") && !b.contains("ECHO"), "a whitespace-only value counts as empty")
        // A condition key that is neither a value nor a table is an error like any other key.
        #expect(
            Self.templateError { _ = try Self.render(json, values: ["reason": "", "blank": ""], tables: [:]) }
                == .unknownPlaceholder("missing", templateId: "t"))
    }

    @Test func columnWidthsMustSumToOne() throws {
        let bad = Self.template(
            #"{"title": "X"}, {"table": "rows", "columns": [{"title": "A", "value": "a", "width": 0.5}, {"title": "B", "value": "b", "width": 0.4}]}"#
        )
        guard case .invalidBlock("t", 1, let reason) = Self.templateError({ _ = try DocumentTemplate.decode(Data(bad.utf8)) }) else {
            Issue.record("expected invalidBlock at index 1")
            return
        }
        #expect(reason.contains("0.9"))
        // Within the ±0.01 tolerance is accepted (and scaled to the full width).
        let ok = bad.replacingOccurrences(of: "0.4", with: "0.495")
        _ = try DocumentTemplate.decode(Data(ok.utf8))
    }

    @Test func unknownBlockKindNamesTheIndex() {
        let json = Self.template(#"{"title": "A"}, {"spacer": 4}, {"image": "logo.png", "when": "x"}"#, id: "mau-07")
        #expect(
            Self.templateError { _ = try DocumentTemplate.decode(Data(json.utf8)) }
                == .unknownBlockKind(templateId: "mau-07", index: 2, keys: ["image"]))
    }

    @Test func strictDecodingRejectsTyposAndBadSyntax() {
        func decodeError(_ json: String) -> TemplateError? {
            Self.templateError { _ = try DocumentTemplate.decode(Data(json.utf8)) }
        }
        let cases: [(String, (TemplateError) -> Bool)] = [
            (Self.template(#"{"paragraph": "a {{b"}"#), { if case .invalidBlock("t", 0, _) = $0 { true } else { false } }),
            (Self.template(#"{"paragraph": "{{b|lower}}"}"#), { if case .invalidBlock("t", 0, _) = $0 { true } else { false } }),
            (Self.template(#"{"paragraph": "{{ b c }}"}"#), { if case .invalidBlock("t", 0, _) = $0 { true } else { false } }),
            (Self.template(#"{"paragraph": "a", "bolt": true}"#), { if case .invalidBlock("t", 0, _) = $0 { true } else { false } }),
            (Self.template(#"{"paragraph": "a", "title": "b"}"#), { if case .invalidBlock("t", 0, _) = $0 { true } else { false } }),
            (Self.template(#"{"paragraph": 3}"#), { if case .invalidBlock("t", 0, _) = $0 { true } else { false } }),
            (Self.template(#"{"signatures": []}"#), { if case .invalidBlock("t", 0, _) = $0 { true } else { false } }),
            (Self.template(#"{"qr": "x", "size": 500}"#), { if case .invalidBlock("t", 0, _) = $0 { true } else { false } }),
            (Self.template(#"{"paragraph": "a", "when": "{{x}}"}"#), { if case .invalidBlock("t", 0, _) = $0 { true } else { false } }),
            (Self.template(#"{"rule": false}"#), { if case .invalidBlock("t", 0, _) = $0 { true } else { false } }),
            (Self.template("", extra: #", "orientaton": "landscape""#), { if case .invalidTemplate("t", _) = $0 { true } else { false } }),
            (Self.template("", extra: #", "orientation": "sideways""#), { if case .invalidTemplate("t", _) = $0 { true } else { false } }),
            (Self.template("", extra: #", "header": {"motto": true, "date": "x"}"#), { if case .invalidTemplate("t", _) = $0 { true } else { false } }),
            (#"{"version": 1, "name": "x", "blocks": []}"#, { if case .invalidTemplate = $0 { true } else { false } }),
        ]
        for (json, matches) in cases {
            let error = decodeError(json)
            #expect(error.map(matches) == true, "\(json) → \(String(describing: error))")
        }
    }

    @Test func placeholdersListGlobalTableAndRowKeys() throws {
        let template = try DocumentTemplate.decode(Data(Self.mau02.utf8))
        #expect(
            template.placeholders() == [
                "dossier.code", "unit.parentName", "unit.name", "number", "place", "date.day", "date.month", "date.year",
                "applicant.fullName", "applicant.address", "procedure.name", "reason", "officer.fullName", "officer.phone",
                "trackingURL", "missing[]", "missing[].name", "missing[].form", "missing[].count",
            ])
        // The sample's values cover exactly what the template asks for.
        #expect(Set(Self.values.keys) == template.placeholders().filter { !$0.contains("[]") })
    }

    @Test func jsonRoundTrips() throws {
        let template = try DocumentTemplate.decode(Data(Self.mau02.utf8))
        let encoded = try JSONEncoder().encode(template)
        #expect(try DocumentTemplate.decode(encoded) == template)
    }

    @Test func signaturesMoveWholeToTheNextPage() async throws {
        // The spacer leaves less room than the signature block needs, but more than its title.
        let json = Self.template(
            #"""
            {"title": "TRANG MỘT"}, {"spacer": 640},
            {"signatures": [{"title": "NGƯỜI KÝ", "note": "(Ký, ghi rõ họ tên)", "name": "Lê Văn Bình"}]}
            """#)
        try await Poppler.withFile(try Self.render(json)) { path in
            #expect(try await Poppler.info(path)["Pages"] == "2")
            let first = try await Poppler.text(path, page: 1), second = try await Poppler.text(path, page: 2)
            #expect(first.contains("TRANG MỘT") && !first.contains("NGƯỜI KÝ"))
            #expect(second.contains("NGƯỜI KÝ") && second.contains("Lê Văn Bình"))
        }
    }

    @Test func paragraphsContinueLineByLineAcrossPages() async throws {
        let words = (1...900).map { "từ\($0)" }.joined(separator: " ")
        let json = Self.template(#"{"paragraph": "{{long}}"}"#)
        try await Poppler.withFile(try Self.render(json, values: ["long": words])) { path in
            #expect(Int(try await Poppler.info(path)["Pages"] ?? "") ?? 0 >= 2)
            let text = Self.flat(try await Poppler.text(path))
            #expect(text.contains("từ1 từ2 từ3") && text.contains("từ899 từ900"))
        }
    }

    @Test func rowTallerThanAPageIsAnError() {
        let json = Self.template(
            #"{"spacer": 1}, {"table": "rows", "columns": [{"title": "A", "value": "{{a}}", "width": 0.05}, {"title": "B", "value": "b", "width": 0.95}]}"#)
        let tall = (1...400).map { "dòng\($0)" }.joined(separator: " ")
        #expect(
            Self.templateError { _ = try Self.render(json, tables: ["rows": [["a": tall]]]) } == .blockTooTall(templateId: "t", index: 1))
    }

    @Test func missingGlyphAndConfigurePassThrough() async throws {
        let json = Self.template(#"{"paragraph": "{{x}}"}"#)
        #expect(throws: PDFError.missingGlyph("𓀀", font: "regular")) { try Self.render(json, values: ["x": "𓀀"]) }
        let pdf = try Self.render(json, values: ["x": "Có tác giả"]) { $0.author = "Bộ phận Một cửa" }
        try await Poppler.withFile(pdf) { path async throws in
            #expect(try await Poppler.info(path)["Author"] == "Bộ phận Một cửa")
        }
    }
}
