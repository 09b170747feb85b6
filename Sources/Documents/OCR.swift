// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// A value OCR found that an officer may confirm into a form field; never applied silently.
public struct FieldSuggestion: Codable, Sendable, Equatable {
    /// The fields a pattern can find reliably.
    public enum Field: String, Codable, Sendable {
        /// A 12-digit personal ID that passes `PersonalID.validate`.
        case idNumber
        /// A calendar date that exists, normalised to `yyyy-MM-dd`.
        case date
    }

    public var field: Field
    /// Normalised value: the 12 digits, or an ISO date.
    public var value: String
    /// The text as it appeared in the document ("15/03/2026", "ngày 5 tháng 3 năm 2026").
    public var raw: String
    /// 1-based page where it was first seen.
    public var page: Int?
}

/// What an OCR run produced.
public struct OCROutcome: Codable, Sendable, Equatable {
    /// The text of every page, pages separated by a form feed (U+000C).
    public var text: String
    public var pages: Int
    /// Non-whitespace characters recognised per page: the text density QC judges readability by.
    public var charsPerPage: [Int]
    public var suggestions: [FieldSuggestion]
    /// Share of dark pixels per page of the output PDF (blank-page evidence for image inputs);
    /// nil when poppler-utils is not installed.
    public var inkPerPage: [Double]?
    /// False when ocrmypdf wrote a valid PDF but could not make it PDF/A (its exit code 10).
    public var isPDFA: Bool
    /// Wall-clock seconds the ocrmypdf run took.
    public var seconds: Double
    /// Things the officer or operator should know about the output (e.g. why it is not PDF/A).
    public var notes: [String]

    /// The text of each page.
    public var pageTexts: [String] { text.split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init) }
}

/// Why OCR could not run or failed.
public enum OCRError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A tool or language pack is missing; the string says what to install.
    case unavailable(String)
    /// The input cannot be OCRed as it is (the string says why).
    case badInput(String)
    /// ocrmypdf exited with `exitCode`; `stderr` holds its last lines.
    case failed(exitCode: Int32, stderr: String)

    public var description: String {
        switch self {
        case .unavailable(let s): "OCR unavailable: \(s)"
        case .badInput(let s): "OCR refused the input: \(s)"
        case .failed(let c, let e): "ocrmypdf failed (exit \(c)): \(e)"
        }
    }
}

/// What to do with PDF pages that already carry text.
public enum ExistingTextPolicy: String, Sendable, Codable {
    /// Leave pages with text alone and OCR the others (`--skip-text`): cheap and never
    /// destroys born-digital text.
    case skip
    /// Strip an earlier OCR layer and redo it (`--redo-ocr`), for scanner-made OCR of poor quality.
    case redo
}

/// Searchable-PDF conversion through ocrmypdf with Tesseract's Vietnamese and English models.
public enum OCR {
    /// The message for a machine without OCR.
    public static let installHint = "install the Debian packages ocrmypdf and tesseract-ocr-vie"

    /// Where Debian, Homebrew and source builds put Tesseract's language models.
    private static var tessdataDirs: [String] {
        var dirs: [String] = []
        if let env = ProcessInfo.processInfo.environment["TESSDATA_PREFIX"] { dirs += [env, env + "/tessdata"] }
        dirs += ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata"]
        return dirs
    }

    /// True when ocrmypdf, tesseract and the Vietnamese model are installed (no process is started).
    public static func isAvailable() -> Bool {
        guard Tool.locate("ocrmypdf") != nil, Tool.locate("tesseract") != nil else { return false }
        return tessdataDirs.contains { FileManager.default.fileExists(atPath: $0 + "/vie.traineddata") }
    }

    /// Turns `input` (a PDF or an image) into a searchable PDF/A at `output` and returns its text.
    ///
    /// Images are placed on the page at their A4-measured resolution (`--image-dpi`) unless
    /// `imageDpi` is given: trusting a claimed dpi would let a tiny image become a small page
    /// that later measures as high resolution, and phone photos claim 72 dpi whatever they are.
    public static func run(
        input: URL,
        kind: FileKind,
        output: URL,
        languages: String = "vie+eng",
        existingText: ExistingTextPolicy = .skip,
        imageDpi: Int? = nil,
        timeout: Double? = nil
    ) async throws -> OCROutcome {
        guard let ocrmypdf = Tool.locate("ocrmypdf") else { throw OCRError.unavailable(installHint) }
        guard let tesseract = Tool.locate("tesseract") else {
            throw OCRError.unavailable("install the Debian package tesseract-ocr (and tesseract-ocr-vie)")
        }
        let installed = try await Tool.run(tesseract, ["--list-langs"], timeout: 30)
        let have = Set(installed.stdoutText.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) })
        let missing = languages.split(separator: "+").map(String.init).filter { !have.contains($0) }
        if !missing.isEmpty {
            throw OCRError.unavailable("install the Debian packages " + missing.map { "tesseract-ocr-\($0)" }.joined(separator: " "))
        }

        // Ghostscript 10.00.0–10.02.0 (Debian 12 ships 10.00.0) garbles existing text when it
        // rewrites a PDF as PDF/A: Vietnamese letters come out as mojibake. ocrmypdf's own advice
        // is --output-type pdf for such files, which keeps the text and skips Ghostscript.
        var notes: [String] = []
        var outputType = "pdfa"
        if kind == .pdf, try await hasText(input), let gs = try await ghostscriptVersion(),
           !gs.lexicographicallyPrecedes([10, 0, 0]), gs.lexicographicallyPrecedes([10, 2, 1])
        {
            outputType = "pdf"
            notes.append("kept as plain PDF, not PDF/A: Ghostscript \(gs.map(String.init).joined(separator: ".")) corrupts existing text when converting to PDF/A")
        }
        var args = ["-l", languages, "--jobs", "1", "--output-type", outputType]
        let sidecar = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-ocr-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: sidecar) }
        args += ["--sidecar", sidecar.path]
        if kind == .pdf {
            args.append(existingText == .skip ? "--skip-text" : "--redo-ocr")
        } else {
            let header: ImageHeader
            do { header = try ImageHeader.read(file: input, kind: kind) } catch { throw OCRError.badInput("\(error)") }
            // ocrmypdf refuses transparency; say so in words rather than through its exit code.
            if header.frames.contains(where: \.hasAlpha) {
                throw OCRError.badInput("the image has an alpha (transparency) channel; save it without transparency")
            }
            let dpi = imageDpi ?? header.frames.map {
                let m = DocumentInspector.a4Dpi(widthPx: $0.widthPx, heightPx: $0.heightPx)
                return Int(max(m.x, m.y).rounded())
            }.max() ?? 300
            args += ["--image-dpi", String(max(dpi, 1))]
        }
        args += ["--", input.path, output.path]

        let started = Date()
        // One Tesseract thread per page: OpenMP would otherwise take every core per page.
        let result = try await Tool.run(ocrmypdf, args, environment: ["OMP_THREAD_LIMIT": "1"], timeout: timeout)
        let seconds = Date().timeIntervalSince(started)
        switch result.status {
        case 0: break
        case 10: notes.append("ocrmypdf wrote a valid PDF but could not make it PDF/A")
        case 8: throw OCRError.badInput("the PDF is encrypted or password-protected")
        default: throw OCRError.failed(exitCode: result.status, stderr: result.stderrTail())
        }

        let sidecarText = (try? String(contentsOf: sidecar, encoding: .utf8)) ?? ""
        // ocrmypdf puts a form feed between pages (not after the last) and writes one
        // placeholder, "[OCR skipped on page(s) 2-4]", for each run of pages that already had
        // text (--skip-text). Those pages' text is taken from the output PDF itself.
        let chunks = sidecarText.split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init)
        var fromPDF: [String] = []
        if chunks.contains(where: { skippedRange($0) != nil }), let pdftotext = Tool.locate("pdftotext") {
            let out = try await Tool.run(pdftotext, ["-layout", "-enc", "UTF-8", output.path, "-"], timeout: 300)
            if out.status == 0 {
                fromPDF = out.stdoutText.split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init)
            }
        }
        var pages: [String] = []
        for chunk in chunks {
            if let range = skippedRange(chunk) {
                for p in range { pages.append(p - 1 < fromPDF.count ? fromPDF[p - 1] : "") }
            } else {
                pages.append(chunk)
            }
        }
        var ink: [Double]?
        if let pdftoppm = Tool.locate("pdftoppm") {
            let render = try await Tool.run(pdftoppm, ["-scale-to", "351", "-gray", output.path], timeout: 300)
            if render.status == 0, let images = try? PGM.parseAll(render.stdout) {
                ink = images.map(\.inkRatio)
                // The rendered page count is authoritative; pad pages the sidecar said nothing about.
                while pages.count < images.count { pages.append("") }
            }
        }

        let counts = pages.map { p in p.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.count }
        let year = VietnamTime.date(of: Date()).year
        return OCROutcome(text: pages.joined(separator: "\u{0C}"), pages: pages.count, charsPerPage: counts,
                          suggestions: suggestions(inPages: pages, currentYear: year), inkPerPage: ink,
                          isPDFA: result.status == 0 && outputType == "pdfa", seconds: seconds, notes: notes)
    }

    /// Whether any page of a PDF already has text (poppler); assumed true when poppler is missing,
    /// so the text-preserving path is taken.
    static func hasText(_ pdf: URL) async throws -> Bool {
        guard let pdftotext = Tool.locate("pdftotext") else { return true }
        let out = try await Tool.run(pdftotext, ["-enc", "UTF-8", pdf.path, "-"], timeout: 120)
        guard out.status == 0 else { return true }
        return out.stdoutText.unicodeScalars.contains { !CharacterSet.whitespacesAndNewlines.contains($0) }
    }

    /// Ghostscript's version as numbers ("10.00.0" → [10, 0, 0]); nil when gs is not installed.
    static func ghostscriptVersion() async throws -> [Int]? {
        guard let gs = Tool.locate("gs") else { return nil }
        let out = try await Tool.run(gs, ["--version"], timeout: 30)
        let parts = out.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").compactMap { Int($0) }
        return parts.isEmpty ? nil : parts + Array(repeating: 0, count: max(0, 3 - parts.count))
    }

    /// The pages a sidecar placeholder stands for, or nil when the chunk is real text.
    static func skippedRange(_ chunk: String) -> ClosedRange<Int>? {
        let t = chunk.trimmingCharacters(in: .whitespacesAndNewlines)
        let prefix = "[OCR skipped on page(s) "
        guard t.hasPrefix(prefix), t.hasSuffix("]") else { return nil }
        let nums = t.dropFirst(prefix.count).dropLast().split(separator: "-").compactMap { Int($0) }
        switch nums.count {
        case 1 where nums[0] >= 1: return nums[0]...nums[0]
        case 2 where nums[0] >= 1 && nums[0] <= nums[1]: return nums[0]...nums[1]
        default: return nil
        }
    }

    // MARK: Field suggestions

    // Lookarounds keep a 12-digit ID from matching inside a longer number (an account number).
    private static let idPattern = try! NSRegularExpression(pattern: "(?<![0-9])[0-9]{12}(?![0-9])")
    private static let numericDate = try! NSRegularExpression(
        pattern: "(?<![0-9])([0-9]{1,2})([/.\\-])([0-9]{1,2})\\2([0-9]{4})(?![0-9])")
    // The formal Vietnamese way of writing a date: "ngày 15 tháng 3 năm 2026".
    private static let wordDate = try! NSRegularExpression(
        pattern: "ngày\\s+([0-9]{1,2})\\s+tháng\\s+([0-9]{1,2})\\s+năm\\s+([0-9]{4})(?![0-9])",
        options: [.caseInsensitive])

    /// Finds ID numbers and dates in per-page text. Only values that check out are kept: the ID
    /// must pass `PersonalID.validate` and the date must exist (30/02 does not) and fall in 1900–2100.
    public static func suggestions(inPages pages: [String], currentYear: Int) -> [FieldSuggestion] {
        var out: [FieldSuggestion] = []
        var seen = Set<String>()
        func add(_ s: FieldSuggestion) {
            if seen.insert("\(s.field.rawValue)|\(s.value)").inserted { out.append(s) }
        }
        for (index, raw) in pages.enumerated() {
            // OCR output may be decomposed (NFD); the patterns are written precomposed.
            let text = raw.precomposedStringWithCanonicalMapping
            let ns = text as NSString
            let all = NSRange(location: 0, length: ns.length)
            for m in idPattern.matches(in: text, range: all) {
                let id = ns.substring(with: m.range)
                if PersonalID.validate(id, currentYear: currentYear) == nil {
                    add(FieldSuggestion(field: .idNumber, value: id, raw: id, page: index + 1))
                }
            }
            var dates: [(NSRange, Int, Int, Int)] = []
            for m in numericDate.matches(in: text, range: all) {
                dates.append((m.range, Int(ns.substring(with: m.range(at: 1)))!, Int(ns.substring(with: m.range(at: 3)))!,
                              Int(ns.substring(with: m.range(at: 4)))!))
            }
            for m in wordDate.matches(in: text, range: all) {
                dates.append((m.range, Int(ns.substring(with: m.range(at: 1)))!, Int(ns.substring(with: m.range(at: 2)))!,
                              Int(ns.substring(with: m.range(at: 3)))!))
            }
            for (range, d, mo, y) in dates.sorted(by: { $0.0.location < $1.0.location }) {
                guard (1900...2100).contains(y), let date = LocalDate(year: y, month: mo, day: d) else { continue }
                add(FieldSuggestion(field: .date, value: date.description, raw: ns.substring(with: range), page: index + 1))
            }
        }
        return out
    }
}
