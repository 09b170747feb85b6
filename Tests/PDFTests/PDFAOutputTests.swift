// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import PDF

/// Payloads of the streams whose dictionary contains `key` (e.g. `/Length1` for font files),
/// still compressed. Relies on the writer's own layout: `<< /Length N … >>\nstream\n`.
private func streams(withKey key: String, in pdf: [UInt8]) -> [[UInt8]] {
    occurrences(of: key, in: pdf).compactMap { at in
        guard let open = occurrences(of: "<< /Length ", in: Array(pdf[..<at])).last,
            let start = occurrences(of: ">>\nstream\n", in: Array(pdf[at...])).first.map({ at + $0 + 10 })
        else { return nil }
        let digits = pdf[(open + 11)...].prefix { $0 >= 48 && $0 <= 57 }
        guard let length = Int(String(decoding: digits, as: UTF8.self)) else { return nil }
        return Array(pdf[start..<(start + length)])
    }
}

/// zlib-inflates with Python's zlib (an independent inflater).
private func inflate(_ compressed: [UInt8]) async throws -> [UInt8] {
    let input = try scratchFile(compressed, suffix: ".z"), output = try scratchFile([], suffix: ".raw")
    defer {
        try? FileManager.default.removeItem(at: input)
        try? FileManager.default.removeItem(at: output)
    }
    let (status, out) = try await runPython(
        "import sys,zlib; open(sys.argv[2],'wb').write(zlib.decompress(open(sys.argv[1],'rb').read()))", [input.path, output.path])
    #expect(status == 0, "inflate: \(out)")
    return [UInt8](try Data(contentsOf: output))
}

/// `pdfinfo` fields (values trimmed).
private func pdfinfo(_ url: URL, _ extra: [String] = []) async throws -> [String: String] {
    let (status, out) = try await runChecker("/usr/bin/pdfinfo", package: "poppler-utils", extra + [url.path])
    #expect(status == 0, "pdfinfo: \(out)")
    var fields: [String: String] = [:]
    for line in out.split(separator: "\n") {
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return fields
}

@Suite("Subset fonts in documents")
struct SubsetEmbeddingTests {
    @Test func receiptIsSmallSubsetAndStillExtracts() async throws {
        let (doc, _) = try PDFDocumentTests.buildReceipt()
        let data = doc.data()
        // Whole DejaVu Sans + Bold made this receipt ~836 KB; subsets bring it to ~40 KB.
        #expect(data.count < 120_000, "receipt is \(data.count) bytes")
        #expect(doc.data() == data, "output must be deterministic")

        let url = try PDFDocumentTests.writeTemp(data)
        defer { try? FileManager.default.removeItem(at: url) }
        let (_, fonts) = try await runChecker("/usr/bin/pdffonts", package: "poppler-utils", [url.path])
        let rows = fonts.split(separator: "\n").filter { $0.contains("CID TrueType") }
        #expect(rows.count == 2, "pdffonts: \(fonts)")
        for row in rows {
            let cols = row.split(separator: " ", omittingEmptySubsequences: true)
            // name, type (2 words), encoding, emb, sub, uni, object id, generation
            #expect(cols.count == 9, "pdffonts row: \(row)")
            let name = String(cols[0])
            #expect(name.range(of: "^[A-Z]{6}\\+DejaVuSans(-Bold)?$", options: .regularExpression) != nil, "font name \(name)")
            #expect(cols[4...6] == ["yes", "yes", "yes"], "emb/sub/uni: \(row)")
        }

        let text = try await PDFDocumentTests.extract(data)
        for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "25.000₫", "đồng", "Đơn đề nghị"] {
            #expect(text.contains(expected.precomposedStringWithCanonicalMapping), "pdftotext lacks \(expected)")
        }

        let (status, out) = try await runChecker("/usr/bin/qpdf", package: "qpdf", ["--check", url.path])
        #expect(status == 0 && out.contains("No syntax or stream encoding errors found"), "qpdf --check: \(out)")
    }

    @Test func embeddedFontProgramsParseBack() async throws {
        let (doc, _) = try PDFDocumentTests.buildReceipt()
        let pdf = [UInt8](doc.data())
        let programs = streams(withKey: "/Length1 ", in: pdf)
        #expect(programs.count == 2)
        let regular = try dejaVu()
        for compressed in programs {
            let program = try await inflate(compressed)
            let font = try TrueTypeFont(data: Data(program))
            #expect(font.unitsPerEm == 2048)
            #expect(font.postScriptName.hasPrefix("DejaVuSans"))
            #expect(program.count < 100_000, "font program is \(program.count) bytes")
            // /Length1 must be the decompressed size.
            #expect(!occurrences(of: "/Length1 \(program.count) ", in: pdf).isEmpty)
            if font.postScriptName == "DejaVuSans" {
                for s in "Chữ có dấu: ặ ữ ỡ ệ đ Đ ₫".unicodeScalars where s != " " {
                    #expect(font.glyph(for: s) == regular.glyph(for: s))
                }
            }
        }
    }
}

@Suite("PDF/A-2b")
struct PDFAOutputTests {
    static let date = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z

    static func simpleDocument(title: String?, author: String?, conformance: PDFConformance = .pdfA2b) throws -> Data {
        var doc = PDFDocument(fonts: ["regular": try dejaVu()], title: title, author: author, creationDate: date)
        doc.conformance = conformance
        doc.addPage()
        try doc.drawText("Phiếu tiếp nhận hồ sơ", x: 56, y: 780, font: "regular", size: 12)
        try doc.drawRect(x: 56, y: 700, width: 100, height: 40, fillGray: 0.9)
        return doc.data()
    }

    @Test func isPDFAByDefault() {
        #expect(PDFDocument(fonts: [:]).conformance == .pdfA2b)
    }

    @Test func fileStructureMeetsPart2() throws {
        let (doc, _) = try PDFDocumentTests.buildReceipt()
        let pdf = [UInt8](doc.data())
        // §6.1.2: header, then a comment line with at least four bytes above 127.
        #expect(pdf.starts(with: Array("%PDF-1.7\n%".utf8)))
        let second = pdf[9...].prefix { $0 != 10 && $0 != 13 }
        #expect(second.filter { $0 > 127 }.count >= 4)
        // §6.1.3: a trailer /ID, and nothing after %%EOF but an end-of-line.
        let tail = String(decoding: pdf.suffix(400), as: UTF8.self)
        #expect(tail.range(of: "/ID \\[<[0-9A-F]{32}> <[0-9A-F]{32}>\\]", options: .regularExpression) != nil, "trailer: \(tail)")
        #expect(tail.hasSuffix("%%EOF\n"))
        // Catalog points at metadata and the output intent.
        #expect(!occurrences(of: "/Type /Catalog /Pages 2 0 R /Metadata ", in: pdf).isEmpty)
        #expect(occurrences(of: "/OutputIntents [", in: pdf).count == 1)
        #expect(occurrences(of: "/S /GTS_PDFA1 ", in: pdf).count == 1)
        // The metadata stream is stored uncompressed and readable as is.
        #expect(occurrences(of: "/Type /Metadata /Subtype /XML >>\nstream\n<?xpacket begin=", in: pdf).count == 1)
        // Nothing level B forbids: encryption, JavaScript, actions, transparency, embedded files.
        for key in ["/Encrypt", "/JavaScript", "/JS ", "/AA ", "/OpenAction", "/SMask", "/Transparency", "/EmbeddedFiles", "/CA "] {
            #expect(occurrences(of: key, in: pdf).isEmpty, "found \(key)")
        }
    }

    @Test func xmpMirrorsInfo() async throws {
        // Markup characters must be escaped, a control character dropped from both copies.
        let title = "Giấy <tiếp nhận> & \"hẹn\" trả\u{7} kết quả"
        let author = "Nguyễn Thị Ánh"
        let data = try Self.simpleDocument(title: title, author: author)
        let url = try PDFDocumentTests.writeTemp(data)
        defer { try? FileManager.default.removeItem(at: url) }

        let info = try await pdfinfo(url, ["-isodates"])
        let expectedTitle = "Giấy <tiếp nhận> & \"hẹn\" trả kết quả"
        #expect(info["Title"]?.precomposedStringWithCanonicalMapping == expectedTitle.precomposedStringWithCanonicalMapping)
        #expect(info["Author"]?.precomposedStringWithCanonicalMapping == author.precomposedStringWithCanonicalMapping)
        #expect(info["CreationDate"] == "2027-01-15T08:00:00Z")
        #expect(info["ModDate"] == "2027-01-15T08:00:00Z")
        // The /Info dates carry an explicit offset, the same instant as the XMP ones.
        #expect(!occurrences(of: "/CreationDate (D:20270115080000+00'00') /ModDate (D:20270115080000+00'00')", in: [UInt8](data)).isEmpty)

        // pdfinfo -meta prints the packet; Python's XML parser checks it is well-formed and reads it.
        let (metaStatus, xmp) = try await runChecker("/usr/bin/pdfinfo", package: "poppler-utils", ["-meta", url.path])
        #expect(metaStatus == 0)
        let xmpURL = try scratchFile(Array(xmp.utf8), suffix: ".xmp")
        defer { try? FileManager.default.removeItem(at: xmpURL) }
        let script = """
            import sys, json, xml.etree.ElementTree as ET
            text = open(sys.argv[1], encoding='utf-8').read()
            assert text.startswith('<?xpacket begin="\\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'), text[:80]
            assert text.rstrip().endswith('<?xpacket end="w"?>')
            root = ET.fromstring(text[text.index('<x:xmpmeta'):text.index('</x:xmpmeta>') + 12])
            ns = {'rdf': 'http://www.w3.org/1999/02/22-rdf-syntax-ns#', 'pdfaid': 'http://www.aiim.org/pdfa/ns/id/',
                  'dc': 'http://purl.org/dc/elements/1.1/', 'xmp': 'http://ns.adobe.com/xap/1.0/', 'pdf': 'http://ns.adobe.com/pdf/1.3/'}
            one = lambda path: root.find('.//' + path, ns).text
            title = root.find('.//dc:title/rdf:Alt/rdf:li', ns)
            print(json.dumps({
                'part': one('pdfaid:part'), 'conformance': one('pdfaid:conformance'),
                'title': title.text, 'lang': title.get('{http://www.w3.org/XML/1998/namespace}lang'),
                'creator': [li.text for li in root.findall('.//dc:creator/rdf:Seq/rdf:li', ns)],
                'create': one('xmp:CreateDate'), 'modify': one('xmp:ModifyDate'), 'metadata': one('xmp:MetadataDate'),
                'producer': one('pdf:Producer')}))
            """
        let (status, json) = try await runPython(script, [xmpURL.path])
        #expect(status == 0, "XMP: \(json)\n\(xmp)")
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(fields["part"] as? String == "2")
        #expect(fields["conformance"] as? String == "B")
        #expect((fields["title"] as? String)?.precomposedStringWithCanonicalMapping == info["Title"]?.precomposedStringWithCanonicalMapping)
        #expect(fields["lang"] as? String == "x-default")
        #expect((fields["creator"] as? [String])?.map(\.precomposedStringWithCanonicalMapping) == [author.precomposedStringWithCanonicalMapping])
        #expect(fields["producer"] as? String == info["Producer"])
        for key in ["create", "modify", "metadata"] {
            #expect(fields[key] as? String == "2027-01-15T08:00:00+00:00")
        }
    }

    @Test func outputIntentProfileIsSRGB() async throws {
        let pdf = [UInt8](try Self.simpleDocument(title: "x", author: nil))
        let embedded = try await inflate(try #require(streams(withKey: "/N 3", in: pdf).first))
        let icc = SRGBProfile.bytes
        #expect(embedded == icc)

        // Header (ICC.1:2001-04 §6.1): size, version 2.1, display class, RGB data, XYZ PCS, 'acsp'.
        let r = ByteReader(bytes: icc)
        #expect(Int(try r.u32(0)) == icc.count)
        #expect(try r.u32(8) == 0x0210_0000)
        #expect(String(decoding: icc[12..<24], as: UTF8.self) == "mntrRGB XYZ ")
        #expect(String(decoding: icc[36..<40], as: UTF8.self) == "acsp")
        var tags: [String] = []
        for i in 0..<Int(try r.u32(128)) {
            let e = 132 + i * 12
            tags.append(String(decoding: icc[e..<(e + 4)], as: UTF8.self))
            let offset = Int(try r.u32(e + 4)), size = Int(try r.u32(e + 8))
            #expect(offset % 4 == 0 && offset + size <= icc.count)
        }
        #expect(Set(tags) == ["desc", "cprt", "wtpt", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"])

        // Little CMS (via Pillow) loads it, and converting through it to its own built-in sRGB
        // changes no colour: primaries and tone curve are right.
        let url = try scratchFile(embedded, suffix: ".icc")
        defer { try? FileManager.default.removeItem(at: url) }
        let script = """
            import sys
            from PIL import Image, ImageCms
            p = ImageCms.getOpenProfile(sys.argv[1])
            assert ImageCms.getProfileDescription(p).strip() == 'sRGB IEC61966-2.1', ImageCms.getProfileDescription(p)
            t = ImageCms.buildTransform(p, ImageCms.createProfile('sRGB'), 'RGB', 'RGB', renderingIntent=1)
            colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255), (0, 0, 0), (128, 128, 128), (10, 20, 30), (200, 100, 50)]
            img = Image.new('RGB', (len(colours), 1)); img.putdata(colours)
            out = ImageCms.applyTransform(img, t)
            worst = max(abs(a - b) for x in range(len(colours)) for a, b in zip(out.getpixel((x, 0)), colours[x]))
            print(worst)
            """
        let (status, out) = try await runPython(script, [url.path])
        #expect(status == 0, "Pillow/ImageCms: \(out)")
        let worst = Int(out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? "")
        #expect(worst != nil && worst! <= 1, "largest channel difference: \(out)")
    }

    @Test func plainConformanceWritesNoPDFAParts() throws {
        let pdf = [UInt8](try Self.simpleDocument(title: "x", author: nil, conformance: .plain))
        for key in ["/Metadata", "/OutputIntents", "/DestOutputProfile", "<?xpacket"] {
            #expect(occurrences(of: key, in: pdf).isEmpty, "plain PDF contains \(key)")
        }
        // Fonts are subset in both modes.
        #expect(pdf.count < 40_000)
    }

    /// Apache PDFBox Preflight validates PDF/A-1b only (Debian packages libpdfbox2-java,
    /// libactivation-java, libjaxb-api-java, installed by make test). The two PDF/A-1-only rules our PDF/A-2b files do not meet are expected:
    /// PDF/A-1 requires a CIDSet for subset CID fonts (optional in PDF/A-2) and pdfaid:part 1.
    @Test func preflightFindsOnlyPDFA1OnlyDifferences() async throws {
        let jars = ["preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation", "jaxb-api"]
            .map { "/usr/share/java/\($0).jar" }
        try #require(
            jars.allSatisfy(FileManager.default.fileExists(atPath:)) && FileManager.default.isExecutableFile(atPath: "/usr/bin/java"),
            "install the Debian packages libpdfbox2-java libactivation-java libjaxb-api-java default-jre-headless (scripts/ensure-packages.sh test)")
        let (doc, _) = try PDFDocumentTests.buildReceipt()
        let url = try PDFDocumentTests.writeTemp(doc.data())
        defer { try? FileManager.default.removeItem(at: url) }
        let (_, out) = try await runChecker(
            "/usr/bin/java", package: "default-jre-headless",
            ["-cp", jars.joined(separator: ":"), "org.apache.pdfbox.preflight.Validator_A1b", url.path])
        let errors = out.split(separator: "\n").filter { $0.range(of: "^[0-9.]+ : ", options: .regularExpression) != nil }
        let unexpected = errors.filter { !$0.contains("CIDSet entry is missing") && !$0.contains("part must be 1") }
        #expect(unexpected.isEmpty, "Preflight: \(out)")
        #expect(errors.contains { $0.contains("part must be 1") }, "Preflight did not run as expected: \(out)")
    }
}
