// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import Documents

@Suite("Image headers")
struct ImageHeaderTests {
    @Test func pngWithoutDpiClaim() async throws {
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = try await Fixtures.make("a.png", in: dir, "--dpi", "300", "--embed-dpi", "none")
        #expect(try FileKind.sniff(file: png) == .png)
        let h = try ImageHeader.read(file: png, kind: .png)
        #expect(h.frames.count == 1)
        let f = h.frames[0]
        // A4 at 300 dpi: 8.27 × 11.69 in.
        #expect(f.widthPx == 2481 && f.heightPx == 3507)
        #expect(f.colorSpace == "rgb" && f.colorComponents == 3 && f.bitsPerComponent == 8 && !f.hasAlpha)
        #expect(f.claimedXDpi == nil && f.claimedYDpi == nil)
    }

    @Test func pngClaimingAFalseDpi() async throws {
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 72 dpi worth of pixels, claiming 300: the claim is reported, the measurement wins.
        let png = try await Fixtures.make("liar.png", in: dir, "--dpi", "72", "--embed-dpi", "300", "--gray")
        let f = try ImageHeader.read(file: png, kind: .png).frames[0]
        #expect(f.widthPx == 595 && f.heightPx == 842)
        #expect(f.colorSpace == "gray" && f.colorComponents == 1)
        // pHYs stores pixels per metre as an integer, so 300 dpi comes back as 299.9994.
        #expect(abs((f.claimedXDpi ?? 0) - 300) < 0.5)
        let i = try await DocumentInspector.inspect(file: png, kind: .png)
        #expect(Int(i.images[0].measuredDpi!.rounded()) == 72)
        #expect(i.images[0].dpiBasis == .assumedA4)
        #expect(abs((i.images[0].claimedXDpi ?? 0) - 300) < 0.5)
    }

    @Test func jpegGreyWithoutClaim() async throws {
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let jpg = try await Fixtures.make("g.jpg", in: dir, "--dpi", "150", "--embed-dpi", "none", "--gray")
        #expect(try FileKind.sniff(file: jpg) == .jpeg)
        let f = try ImageHeader.read(file: jpg, kind: .jpeg).frames[0]
        #expect(f.widthPx == 1240 && f.heightPx == 1754)
        #expect(f.colorSpace == "gray" && f.colorComponents == 1 && f.bitsPerComponent == 8)
        #expect(f.claimedXDpi == nil)
    }

    @Test func jpegColourWithClaim() async throws {
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let jpg = try await Fixtures.make("c.jpg", in: dir, "--dpi", "200")
        let f = try ImageHeader.read(file: jpg, kind: .jpeg).frames[0]
        #expect(f.widthPx == 1654 && f.heightPx == 2338)
        #expect(f.colorSpace == "ycbcr" && f.colorComponents == 3)
        #expect(f.claimedXDpi == 200 && f.claimedYDpi == 200)
    }

    @Test func multiPageTiff() async throws {
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tif = try await Fixtures.make("t.tiff", in: dir, "--dpi", "100", "--pages", "text,blank", "--embed-dpi", "300")
        #expect(try FileKind.sniff(file: tif) == .tiff)
        let i = try await DocumentInspector.inspect(file: tif, kind: .tiff)
        #expect(i.pages == 2)
        #expect(i.images.map(\.page) == [1, 2])
        #expect(i.images.allSatisfy { $0.widthPx == 827 && $0.heightPx == 1169 && $0.colorComponents == 3 })
        #expect(i.images.allSatisfy { $0.claimedXDpi == 300 && Int($0.measuredDpi!.rounded()) == 100 })
        // Blank pages of images are measured after OCR, and the inspection says so.
        #expect(i.blankPages.isEmpty && i.inkPerPage == nil && i.unmeasured["blankPages"] != nil)
    }

    @Test func truncatedHeadersAreErrorsNotCrashes() throws {
        let pngHead: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48]
        #expect(throws: DocumentError.self) { try ImageHeader.parse(pngHead, kind: .png) }
        #expect(throws: DocumentError.self) { try ImageHeader.parse([0xFF, 0xD8, 0xFF, 0xE0, 0x00], kind: .jpeg) }
        // A TIFF whose first directory points back at itself must stop, not loop.
        var loop: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0, 0, 0]
        loop += [8, 0, 0, 0]
        #expect(throws: DocumentError.self) { try ImageHeader.parse(loop, kind: .tiff) }
    }

    @Test func a4Measurement() {
        let portrait = DocumentInspector.a4Dpi(widthPx: 2481, heightPx: 3507)
        #expect(Int(portrait.x.rounded()) == 300 && Int(portrait.y.rounded()) == 300)
        let landscape = DocumentInspector.a4Dpi(widthPx: 3507, heightPx: 2481)
        #expect(Int(landscape.x.rounded()) == 300 && Int(landscape.y.rounded()) == 300)
    }
}

@Suite("PDF inspection (poppler-utils)")
struct PDFInspectionTests {
    @Test func goodScanAt300Dpi() async throws {
        try Fixtures.requirePoppler()
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = try await Fixtures.make("good.pdf", in: dir, "--dpi", "300")
        #expect(try FileKind.sniff(file: pdf) == .pdf)
        let i = try await DocumentInspector.inspect(file: pdf, kind: .pdf)
        #expect(i.pages == 1)
        #expect(i.images.count == 1)
        let img = i.images[0]
        #expect(img.dpiBasis == .placement && img.xDpi == 300 && img.yDpi == 300)
        #expect(img.colorComponents == 3 && img.bitsPerComponent == 8)
        #expect((img.pageCoverage ?? 0) > 0.95)
        #expect(i.blankPages.isEmpty)
        #expect((i.inkPerPage?[0] ?? 0) > 0.01)
        #expect(i.textCharsPerPage == [0])  // a scan: no text layer yet
        #expect(i.encrypted == false && i.pdfVersion != nil)
        #expect(i.sha256?.count == 64)
        #expect(i.fileSize == (try FileManager.default.attributesOfItem(atPath: pdf.path)[.size] as? Int))
    }

    @Test func badScanAt72Dpi() async throws {
        try Fixtures.requirePoppler()
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = try await Fixtures.make("bad.pdf", in: dir, "--dpi", "72")
        let i = try await DocumentInspector.inspect(file: pdf, kind: .pdf)
        #expect(i.images.count == 1 && i.images[0].xDpi == 72 && i.images[0].yDpi == 72)
        let v = QualityControl.evaluate(i, kind: .pdf, ocr: nil, expectedSHA256: i.sha256, rules: try Fixtures.rules())
        #expect(v.status == .failed)
        let r = try #require(v.reason("resolution"))
        #expect(r.severity == .error)
        #expect(r.message.contains("72") && r.message.contains("200"))
        #expect(r.message == "Độ phân giải 72 dpi thấp hơn mức tối thiểu 200 dpi (trang 1).")
        #expect(r.detail["measuredDpi"] == "72" && r.detail["basis"] == "placement")
    }

    @Test func blankPageIsFlagged() async throws {
        try Fixtures.requirePoppler()
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The blank page has paper tint and dust specks, as a real flatbed leaves.
        let pdf = try await Fixtures.make("mixed.pdf", in: dir, "--dpi", "200", "--pages", "text,blank,text", "--noise")
        let i = try await DocumentInspector.inspect(file: pdf, kind: .pdf)
        #expect(i.pages == 3)
        #expect(i.blankPages == [2])
        #expect(i.images.map(\.page) == [1, 2, 3])
        let v = QualityControl.evaluate(i, kind: .pdf, ocr: nil, expectedSHA256: nil, rules: try Fixtures.rules())
        #expect(v.status == .failed)
        let r = try #require(v.reason("blank-page"))
        #expect(r.severity == .error && r.message == "Trang 2 để trống (không có nội dung)." && r.detail["pages"] == "2")
    }

    @Test func damagedPDFIsCorrupt() async throws {
        try Fixtures.requirePoppler()
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try await Fixtures.make("good.pdf", in: dir, "--dpi", "100")
        let cut = dir.appendingPathComponent("cut.pdf")
        let bytes = try Data(contentsOf: good)
        try bytes.prefix(bytes.count / 3).write(to: cut)
        #expect(try FileKind.sniff(file: cut) == .pdf)  // the header still says PDF
        do {
            _ = try await DocumentInspector.inspect(file: cut, kind: .pdf)
            Issue.record("a truncated PDF was inspected as if whole")
        } catch let e as DocumentError {
            guard case .corrupt = e else { Issue.record("expected corrupt, got \(e)"); return }
            let v = QualityControl.verdict(for: e)
            #expect(v.status == .failed && v.reasons.first?.code == "integrity")
        }
    }

    @Test func missingToolNamesThePackage() {
        #expect(throws: DocumentError.toolMissing(tool: "motcua-no-such-tool", debianPackage: "poppler-utils")) {
            try Tool.require("motcua-no-such-tool", package: "poppler-utils")
        }
        let v = QualityControl.verdict(for: DocumentError.toolMissing(tool: "pdfinfo", debianPackage: "poppler-utils"))
        #expect(v.status == .pending)
        #expect(v.reasons.first?.message.contains("poppler-utils") == true)
    }

    @Test func hashMatchesCoreutils() async throws {
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("abc.txt")
        try Data("abc".utf8).write(to: f)
        #expect(try await DocumentInspector.sha256(of: f) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

@Suite("Tool output parsing")
struct ParsingTests {
    @Test func pdfimagesList() {
        let out = """
            page   num  type   width height color comp bpc  enc interp  object ID x-ppi y-ppi size ratio
            --------------------------------------------------------------------------------------------
               1     0 image    2481  3507  rgb     3   8  jpeg   no         1  0   300   300  251K 1.0%
               1     1 smask    2481  3507  gray    1   8  image  no         1  0   300   300  1.2K 0.0%
               2     2 image     100    40  index   1   8  image  no         9  0    72    72  2.0K 5.0%
               3     3 image    1654  2338  icc     1   1  ccitt  no        12  0   200   200 40.1K 8.3%
            """
        let imgs = DocumentInspector.parsePdfimagesList(out)
        #expect(imgs.count == 3)
        #expect(imgs[0].page == 1 && imgs[0].xDpi == 300 && imgs[0].colorComponents == 3)
        #expect(imgs[1].colorSpace == "index" && imgs[1].colorComponents == nil)  // palette: colour unknown
        #expect(imgs[2].isGray && imgs[2].bitsPerComponent == 1)
    }

    @Test func pdfinfoFields() {
        let f = DocumentInspector.parsePdfinfo("""
            Pages:           2
            Encrypted:       yes (print:yes copy:no change:no addNotes:no algorithm:AES)
            Page    1 size:  595.44 x 841.68 pts (A4)
            Page    2 size:  841.68 x 595.44 pts (A4)
            PDF version:     1.7
            """)
        #expect(f.pages == 2 && f.encrypted == true && f.version == "1.7")
        #expect(f.pageSizes[2]?.0 == 841.68)
    }

    @Test func textDensity() {
        #expect(DocumentInspector.charsPerPage("Họ và tên\n\u{0C}\n\u{0C}", pages: 2) == [7, 0])
        #expect(DocumentInspector.charsPerPage("", pages: 3) == [0, 0, 0])
    }

    @Test func pgmInk() throws {
        // Two 40×40 pages: one plain paper (value 240), one with a dark 10×10 square.
        func page(_ dark: Bool) -> [UInt8] {
            var px = [UInt8](repeating: 240, count: 1600)
            if dark { for y in 15..<25 { for x in 15..<25 { px[y * 40 + x] = 10 } } }
            return Array("P5\n40 40\n255\n".utf8) + px
        }
        let images = try PGM.parseAll(Data(page(false) + page(true)))
        #expect(images.count == 2)
        #expect(images[0].inkRatio == 0)
        // 100 dark pixels inside the 36×36 area left after the 5 % margins.
        #expect(abs(images[1].inkRatio - 100.0 / 1296.0) < 1e-9)
        #expect(throws: DocumentError.self) { try PGM.parseAll(Data(Array("P5\n40 40\n255\n".utf8) + [1, 2, 3])) }
    }
}
