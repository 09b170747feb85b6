// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Documents
import Domain
import Foundation
import Services
import Storage
import Testing

/// The digitization pipeline with the real tools (ocrmypdf, Tesseract with Vietnamese, poppler),
/// which `make test` installs; scans are drawn by scripts/fixtures/make_scan.py.
@Suite("Digitization pipeline")
struct DigitizationTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/fixtures/make_scan.py")

    /// Draws a scan with /usr/bin/python3 (Debian's, which sees python3-pil).
    static func scan(_ name: String, _ args: [String], in dir: URL) async throws -> URL {
        let out = dir.appendingPathComponent(name)
        let r = try await Subprocess.run("/usr/bin/python3", [script.path, out.path] + args)
        try #require(r.status == 0, "make_scan.py failed: install python3-pil and fonts-dejavu-core: \(r.text.suffix(300))")
        return out
    }

    static func upload(_ t: TestApp, _ file: URL, component: String, to code: String) async throws -> StoredComponent {
        let staged = try StagedFile(directory: URL(fileURLWithPath: t.app.config.blobDir).appendingPathComponent("staging"))
        try Data(contentsOf: file).withUnsafeBytes { try staged.write($0) }
        return try await t.app.documents.add(ComponentUpload(file: staged, componentCode: component, originalName: file.lastPathComponent), to: code, by: TestApp.officer(TestApp.tanLap))
    }

    @Test("a 300 dpi scan becomes searchable and passes; a 72 dpi scan fails naming the resolution", arguments: TestDB.available)
    func pipeline(db: TestDB) async throws {
        try #require(OCR.isAvailable(), "install the Debian packages ocrmypdf and tesseract-ocr-vie")
        try await TestApp.with(db) { t in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-digi-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: TestApp.tanLap, applicant: TestApp.applicant()),
                by: TestApp.officer(TestApp.tanLap))
            let code = d.dossier.code
            let procedure = try await t.app.catalog.procedure(code: "1.001193")
            let required = (procedure.versions.last?.components ?? []).filter { $0.required }
            try #require(required.count >= 2)
            // The form, scanned well.
            let good = try await Self.upload(t, try await Self.scan("good.png", ["--dpi", "300", "--pages", "text"], in: dir), component: required[0].code, to: code)
            #expect(try await t.app.documents.digitizeNext())
            var list = try await t.app.documents.list(code: code, by: TestApp.officer(TestApp.tanLap))
            let done = try #require(list.items.first { $0.id == good.id })
            #expect(done.ocrStatus == "done")
            #expect(done.qcStatus == "passed", "reasons: \(done.qcReasons)")
            #expect(done.searchableSHA256 != nil)
            #expect(TextFolding.fold(done.ocrText ?? "").contains("nguyen van duc"))
            #expect(done.ocrSuggestions?.contains("001090012345") == true)
            // The words of the scan find the dossier (its applicant is someone else).
            let found = try await t.app.dossiers.search("nguyen van duc", by: TestApp.officer(TestApp.tanLap), limit: 5)
            #expect(found.map(\.dossier.code) == [code])
            // Filed in the owner's warehouse once accepted.
            let warehouse = try await t.app.documents.warehouse(owner: TestApp.applicant().idNumber, by: TestApp.citizen, purpose: "test")
            #expect(warehouse.contains { $0.sourceComponentId == good.id })
            // The same component scanned at 72 dpi: a new version, which fails on resolution.
            let poor = try await Self.upload(t, try await Self.scan("poor.png", ["--dpi", "72", "--pages", "text"], in: dir), component: required[0].code, to: code)
            #expect(poor.version == 2)
            #expect(try await t.app.documents.digitizeNext())
            #expect(try await t.app.documents.digitizeNext() == false)
            list = try await t.app.documents.list(code: code, by: TestApp.officer(TestApp.tanLap))
            let failed = try #require(list.items.first { $0.id == poor.id })
            #expect(failed.qcStatus == "failed")
            let reasons = try JSONDecoder().decode([QCVerdict.Reason].self, from: Data(failed.qcReasons.utf8))
            let resolution = try #require(reasons.first { $0.code == "resolution" })
            #expect(resolution.message.contains("72") && resolution.message.contains("200"))
            // The latest version failed, and other required components are missing: not fully digitized.
            #expect(!list.fullyDigitized)
            #expect(list.notPassed == [required[0].code])
            #expect(list.missing == Array(required.dropFirst().map(\.code)))
        }
    }

    /// Runs a command, returning its exit status and combined output.
    static func run(_ args: [String]) async throws -> (status: Int32, output: String) {
        let r = try await Subprocess.run("/usr/bin/env", args)
        return (r.status, r.text)
    }

    @Test("a copy that passes is signed at reception by the officer; its text, pdfsig, pyHanko and MotCua agree", arguments: TestDB.available)
    func signedCopy(db: TestDB) async throws {
        try #require(OCR.isAvailable(), "install the Debian packages ocrmypdf and tesseract-ocr-vie")
        try #require(PDFRewrite.isAvailable(), "install the Debian package qpdf")
        // pdfsig and pyHanko judge certificates at the real time: issue them before today.
        let start = VietnamTime.instant(LocalDate(year: 2026, month: 11, day: 2)!, minuteOfDay: 9 * 60)
        try await TestApp.with(db, at: start) { t in
            try await t.app.signatures.initDevelopmentPKI(authorityName: "MotCua Test CA")
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-sigcopy-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let officer = TestApp.officer(TestApp.tanLap)
            let d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: TestApp.tanLap, applicant: TestApp.applicant()), by: officer)
            let required = try await t.app.catalog.procedure(code: "1.001193").versions.last!.components.filter(\.required)
            let c = try await Self.upload(t, try await Self.scan("good.png", ["--dpi", "300", "--pages", "text"], in: dir), component: required[0].code, to: d.dossier.code)
            #expect(try await t.app.documents.digitizeNext())
            let done = try #require(try await t.app.documents.list(code: d.dossier.code, by: officer).items.first { $0.id == c.id })
            #expect(done.qcStatus == "passed")
            let signedSHA = try #require(done.signedSHA256, "not signed: \(done.signError ?? "?")")
            #expect(done.signedBy == officer.username && done.signError == nil)
            #expect(done.bestCopySHA256 == signedSHA)
            // The warehouse keeps the signed copy.
            let warehouse = try await t.app.documents.warehouse(owner: TestApp.applicant().idNumber, by: TestApp.citizen, purpose: "test")
            #expect(warehouse.contains { $0.blobSHA256 == signedSHA })
            let pdf = try Data(contentsOf: try await t.app.blobs.localURL(signedSHA))
            let report = try t.app.signatures.verify(pdf)
            #expect(report.valid && report.signatures.count == 1, "\(report.reasons)")
            let file = dir.appendingPathComponent("signed.pdf")
            try pdf.write(to: file)
            // The OCR text layer survives signing, diacritics included.
            let text = try await Self.run(["pdftotext", file.path, "-"]).output
            #expect(text.contains("Nguyễn Văn Đức") || TextFolding.fold(text).contains("nguyen van duc"), "\(text)")
            #expect(text.contains("Nguyễn"), "OCR lost the diacritics: \(text)")
            // Independent validators with the dev CA as the trust root.
            let ca = dir.appendingPathComponent("ca.pem")
            try Data(try t.app.signatures.trustAnchorsPEM().utf8).write(to: ca)
            let nss = dir.appendingPathComponent("nss")
            try FileManager.default.createDirectory(at: nss, withIntermediateDirectories: true)
            _ = try await Self.run(["certutil", "-N", "-d", "sql:\(nss.path)", "--empty-password"])
            _ = try await Self.run(["certutil", "-A", "-d", "sql:\(nss.path)", "-n", "ca", "-t", "CT,C,C", "-i", ca.path])
            let sig = try await Self.run(["pdfsig", "-nssdir", "sql:\(nss.path)", file.path])
            #expect(sig.output.contains("Signature is Valid.") && sig.output.contains("Total document signed"), "\(sig.output)")
            let hanko = try await Self.run(["pyhanko", "sign", "validate", "--trust-replace", "--trust", ca.path, file.path])
            #expect(hanko.status == 0, "\(hanko.output)")
        }
    }
}
