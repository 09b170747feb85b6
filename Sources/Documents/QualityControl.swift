// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The quality standard for digitised files, kept as data (Resources/qc-rules.json) so a
/// province can tighten or relax it without a release.
public struct QCRules: Codable, Sendable, Equatable {
    /// How a failed check counts.
    public enum Severity: String, Codable, Sendable {
        case error, warning, off
    }

    /// The only rules format this build reads.
    public static let currentFormat = "motcua-qc/1"

    /// Schema tag, "motcua-qc/1".
    public var format: String
    /// Minimum measured resolution of a scanned image, dots per inch.
    public var minDpi: Double
    /// Relative slack on `minDpi`: poppler measures 199.6 for an image meant as 200 dpi.
    public var dpiTolerance: Double
    /// Images covering less of their page than this are logos or stamps, not scans, and are
    /// not held to `minDpi`.
    public var scanCoverage: Double
    /// Whether the digitised copy must be a PDF (images pass once OCR converts them).
    public var requirePdf: Bool
    /// Whether scans should be in colour (DOMAIN.md §5 says RGB; marked reconstructed, hence a warning).
    public var requireColor: Bool
    /// How a grey or black-and-white scan counts when `requireColor` is set.
    public var colorSeverity: Severity
    /// Most pages one file may have.
    public var maxPages: Int
    /// How many blank pages a file may have before `blankPageSeverity` applies.
    public var maxBlankPages: Int
    /// Share of dark pixels under which a page is blank (see `DocumentInspector.defaultBlankInkRatio`).
    public var blankInkRatio: Double
    /// How more than `maxBlankPages` blank pages count.
    public var blankPageSeverity: Severity
    /// Fewer recognised characters than this on a non-blank page makes it unreadable.
    public var minTextCharsPerPage: Int
    /// Whether a file without a text layer stays pending until OCR has run.
    public var requireOcr: Bool
    /// Largest accepted file; nil for no limit here (uploads have their own).
    public var maxFileSizeBytes: Int?

    private enum CodingKeys: String, CodingKey {
        case format, minDpi, dpiTolerance, scanCoverage, requirePdf, requireColor, colorSeverity, maxPages, maxBlankPages
        case blankInkRatio, blankPageSeverity, minTextCharsPerPage, requireOcr, maxFileSizeBytes
    }

    /// Decodes rules, checking the format tag before anything else so a file written for another
    /// version is reported as such rather than as a missing field. Every threshold is required:
    /// a silent default in a rules file would be a rule nobody wrote.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        guard format == QCRules.currentFormat else { throw QCRulesError.unsupportedFormat(format) }
        minDpi = try c.decode(Double.self, forKey: .minDpi)
        dpiTolerance = try c.decode(Double.self, forKey: .dpiTolerance)
        scanCoverage = try c.decode(Double.self, forKey: .scanCoverage)
        requirePdf = try c.decode(Bool.self, forKey: .requirePdf)
        requireColor = try c.decode(Bool.self, forKey: .requireColor)
        colorSeverity = try c.decode(Severity.self, forKey: .colorSeverity)
        maxPages = try c.decode(Int.self, forKey: .maxPages)
        maxBlankPages = try c.decode(Int.self, forKey: .maxBlankPages)
        blankInkRatio = try c.decode(Double.self, forKey: .blankInkRatio)
        blankPageSeverity = try c.decode(Severity.self, forKey: .blankPageSeverity)
        minTextCharsPerPage = try c.decode(Int.self, forKey: .minTextCharsPerPage)
        requireOcr = try c.decode(Bool.self, forKey: .requireOcr)
        maxFileSizeBytes = try c.decodeIfPresent(Int.self, forKey: .maxFileSizeBytes)
    }

    /// The rules shipped with MotCua.
    public static func bundled() throws -> QCRules {
        guard let url = Bundle.module.url(forResource: "qc-rules", withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "qc-rules", withExtension: "json")
        else { throw QCRulesError.missing }
        return try decode(Data(contentsOf: url))
    }

    /// Reads rules from JSON, refusing other formats (a rules file is law; guessing is not allowed).
    public static func decode(_ data: Data) throws -> QCRules {
        let rules = try JSONDecoder().decode(QCRules.self, from: data)
        guard rules.minDpi > 0, rules.maxPages > 0, rules.maxBlankPages >= 0, rules.blankInkRatio >= 0,
              rules.minTextCharsPerPage >= 0, (0...1).contains(rules.scanCoverage), (0..<1).contains(rules.dpiTolerance)
        else { throw QCRulesError.invalid("a threshold is out of range") }
        return rules
    }
}

/// Problems loading QC rules.
public enum QCRulesError: Error, Sendable, Equatable {
    case missing
    case unsupportedFormat(String)
    case invalid(String)
}

/// The recorded quality decision on one file, with every reason behind it.
public struct QCVerdict: Codable, Sendable, Equatable {
    /// pending until every check could run; failed if any error-severity reason exists.
    public enum Status: String, Codable, Sendable {
        case pending, passed, failed
    }

    /// Whether a reason fails the file or only informs the officer.
    public enum Severity: String, Codable, Sendable {
        case error, warning
    }

    /// One finding.
    public struct Reason: Codable, Sendable, Equatable {
        /// Stable machine code: resolution, format, colour, page-count, blank-page, unreadable,
        /// integrity, encrypted, file-size, ocr-pending, ocr-unavailable, ocr-failed, qc-unavailable.
        public var code: String
        public var severity: Severity
        /// Vietnamese text shown to the officer.
        public var message: String
        /// Machine-readable figures behind the message (measured values, pages, thresholds).
        public var detail: [String: String]

        /// Creates a reason.
        public init(code: String, severity: Severity, message: String, detail: [String: String] = [:]) {
            self.code = code
            self.severity = severity
            self.message = message
            self.detail = detail
        }
    }

    public var status: Status
    public var reasons: [Reason]

    /// Creates a verdict.
    public init(status: Status, reasons: [Reason]) {
        self.status = status
        self.reasons = reasons
    }

    /// A file not yet checked.
    public static let pending = QCVerdict(status: .pending, reasons: [])

    /// The reasons that fail the file.
    public var errors: [Reason] { reasons.filter { $0.severity == .error } }

    /// The first reason with a code, if any.
    public func reason(_ code: String) -> Reason? { reasons.first { $0.code == code } }
}

/// Applies `QCRules` to what inspection and OCR measured.
public enum QualityControl {
    /// Judges one file. `kind` is the sniffed kind of the file inspected; `ocr` is nil until OCR
    /// has run; `expectedSHA256` is the hash recorded at upload (nil skips the integrity check).
    public static func evaluate(
        _ i: Inspection, kind: FileKind, ocr: OCROutcome?, expectedSHA256: String?, rules: QCRules
    ) -> QCVerdict {
        var reasons: [QCVerdict.Reason] = []
        var awaiting = false

        // Integrity: the bytes checked are the bytes uploaded.
        if let expected = expectedSHA256 {
            if let actual = i.sha256 {
                if actual.lowercased() != expected.lowercased() {
                    reasons.append(.init(
                        code: "integrity", severity: .error,
                        message: "Mã băm SHA-256 của tệp không khớp với mã đã ghi nhận khi tải lên: tệp đã bị thay đổi hoặc hỏng.",
                        detail: ["expected": expected.lowercased(), "actual": actual.lowercased()]))
                }
            } else {
                reasons.append(.init(
                    code: "integrity", severity: .warning,
                    message: "Chưa tính được mã băm SHA-256 để kiểm tra tính toàn vẹn của tệp.",
                    detail: ["measured": "false", "why": i.unmeasured["sha256"] ?? "no hash"]))
            }
        }

        if let max = rules.maxFileSizeBytes, i.fileSize > max {
            reasons.append(.init(
                code: "file-size", severity: .error,
                message: "Dung lượng tệp \(megabytes(i.fileSize)) MB vượt quá giới hạn \(megabytes(max)) MB.",
                detail: ["bytes": "\(i.fileSize)", "maxBytes": "\(max)"]))
        }

        if i.encrypted == true {
            reasons.append(.init(
                code: "encrypted", severity: .error,
                message: "Tệp PDF đã bị mã hóa hoặc đặt mật khẩu nên không thể số hóa.", detail: [:]))
        }

        if i.pages == 0 {
            reasons.append(.init(code: "page-count", severity: .error, message: "Tệp không có trang nào.",
                                 detail: ["pages": "0"]))
        } else if i.pages > rules.maxPages {
            reasons.append(.init(
                code: "page-count", severity: .error,
                message: "Tệp có \(i.pages) trang, vượt quá giới hạn \(rules.maxPages) trang.",
                detail: ["pages": "\(i.pages)", "maxPages": "\(rules.maxPages)"]))
        }

        // Format: an image becomes a PDF/A when OCR runs, so before OCR it is waiting, not wrong.
        if rules.requirePdf, kind != .pdf, ocr == nil {
            awaiting = true
            reasons.append(.init(
                code: "format", severity: .warning,
                message: "Bản số hóa phải là tệp PDF; tệp ảnh \(kind.rawValue.uppercased()) này sẽ được chuyển sang PDF khi nhận dạng ký tự (OCR).",
                detail: ["kind": kind.rawValue, "required": "pdf"]))
        }

        // Resolution, measured from pixels and placement; only scan-sized images count.
        let scans = i.images.filter { ($0.pageCoverage ?? 1) >= rules.scanCoverage }
        let floor = rules.minDpi * (1 - rules.dpiTolerance)
        let low = scans.filter { ($0.measuredDpi ?? .infinity) < floor }
        if let worst = low.min(by: { $0.measuredDpi! < $1.measuredDpi! }) {
            let dpi = Int(worst.measuredDpi!.rounded())
            var message = "Độ phân giải \(dpi) dpi thấp hơn mức tối thiểu \(Int(rules.minDpi.rounded())) dpi (\(pagePhrase(low.map(\.page))))."
            var detail = ["measuredDpi": "\(dpi)", "minDpi": "\(Int(rules.minDpi.rounded()))",
                          "pages": pageList(low.map(\.page)), "basis": worst.dpiBasis.rawValue]
            if worst.dpiBasis == .assumedA4 {
                message += " Độ phân giải được tính từ số điểm ảnh, coi ảnh là bản quét trang A4."
            }
            if let claimed = worst.claimedXDpi.map({ min($0, worst.claimedYDpi ?? $0) }) {
                detail["claimedDpi"] = "\(Int(claimed.rounded()))"
                if claimed >= floor {
                    message += " Tệp tự khai báo \(Int(claimed.rounded())) dpi nhưng số điểm ảnh thực tế không đủ."
                }
            }
            reasons.append(.init(code: "resolution", severity: .error, message: message, detail: detail))
        }
        let unknown = scans.filter { $0.measuredDpi == nil }
        if !unknown.isEmpty {
            reasons.append(.init(
                code: "resolution", severity: .warning,
                message: "Không đo được độ phân giải của ảnh quét (\(pagePhrase(unknown.map(\.page)))).",
                detail: ["measured": "false", "pages": pageList(unknown.map(\.page))]))
        }

        if rules.requireColor, rules.colorSeverity != .off {
            let gray = scans.filter(\.isGray)
            if !gray.isEmpty {
                reasons.append(.init(
                    code: "colour", severity: rules.colorSeverity == .error ? .error : .warning,
                    message: "Ảnh quét đen trắng hoặc thang xám (\(pagePhrase(gray.map(\.page)))); tiêu chuẩn số hóa yêu cầu ảnh màu RGB.",
                    detail: ["pages": pageList(gray.map(\.page)), "required": "rgb"]))
            }
        }

        // Blank pages: from the inspected PDF, or for images from the PDF that OCR produced.
        let ink = i.inkPerPage ?? ocr?.inkPerPage
        let blank: [Int]? = ink.map { r in r.indices.filter { r[$0] < rules.blankInkRatio }.map { $0 + 1 } }
        if let blank, blank.count > rules.maxBlankPages, rules.blankPageSeverity != .off {
            let message = blank.count == 1
                ? "Trang \(blank[0]) để trống (không có nội dung)."
                : "Các trang \(shortList(blank)) để trống (không có nội dung)."
            reasons.append(.init(
                code: "blank-page", severity: rules.blankPageSeverity == .error ? .error : .warning, message: message,
                detail: ["pages": pageList(blank), "maxBlankPages": "\(rules.maxBlankPages)"]))
        } else if blank == nil, rules.blankPageSeverity != .off, !(kind.isImage && ocr == nil) {
            reasons.append(.init(
                code: "blank-page", severity: .warning, message: "Chưa kiểm tra được trang trắng.",
                detail: ["measured": "false", "why": i.unmeasured["blankPages"] ?? "no rendering"]))
        }

        // Readability, by text density: OCR's count when it ran, else an existing text layer.
        let blankSet = Set(blank ?? [])
        if let ocr {
            let weak = ocr.charsPerPage.enumerated()
                .filter { !blankSet.contains($0.offset + 1) && $0.element < rules.minTextCharsPerPage }
            if !weak.isEmpty {
                let fewest = weak.map(\.element).min()!
                reasons.append(.init(
                    code: "unreadable", severity: .error,
                    message: "Không đọc được nội dung \(pagePhrase(weak.map { $0.offset + 1 })): chỉ nhận dạng được \(fewest) ký tự, tối thiểu \(rules.minTextCharsPerPage) ký tự mỗi trang.",
                    detail: ["pages": pageList(weak.map { $0.offset + 1 }), "chars": "\(fewest)",
                             "minChars": "\(rules.minTextCharsPerPage)"]))
            }
        } else if rules.requireOcr, i.pages > 0 {
            let text = i.textCharsPerPage ?? []
            let readable = text.count == i.pages
                && text.enumerated().allSatisfy { blankSet.contains($0.offset + 1) || $0.element >= rules.minTextCharsPerPage }
            if !readable {
                awaiting = true
                reasons.append(.init(
                    code: "ocr-pending", severity: .warning,
                    message: "Chưa nhận dạng ký tự (OCR) nên chưa kiểm tra được độ rõ của nội dung.", detail: [:]))
            }
        }

        let status: QCVerdict.Status = reasons.contains { $0.severity == .error } ? .failed : (awaiting ? .pending : .passed)
        return QCVerdict(status: status, reasons: reasons)
    }

    /// The verdict when inspection or OCR threw: damaged files fail, missing tools leave the
    /// file pending (the rest of the system keeps working and QC can be rerun).
    public static func verdict(for error: any Error) -> QCVerdict {
        switch error {
        case DocumentError.corrupt(let why):
            return QCVerdict(status: .failed, reasons: [.init(
                code: "integrity", severity: .error, message: "Tệp bị hỏng hoặc không đọc được.", detail: ["why": why])])
        case DocumentError.timedOut(let tool, let s):
            return QCVerdict(status: .failed, reasons: [.init(
                code: "integrity", severity: .error, message: "Tệp bị hỏng hoặc không đọc được (xử lý quá thời gian cho phép).",
                detail: ["tool": tool, "seconds": "\(Int(s))"])])
        case DocumentError.toolMissing(let tool, let package):
            return QCVerdict(status: .pending, reasons: [.init(
                code: "qc-unavailable", severity: .warning,
                message: "Chưa kiểm tra được chất lượng: máy chủ thiếu công cụ \(tool) (gói Debian \(package)).",
                detail: ["tool": tool, "package": package])])
        case OCRError.unavailable(let hint):
            return QCVerdict(status: .pending, reasons: [.init(
                code: "ocr-unavailable", severity: .warning,
                message: "Chưa nhận dạng ký tự (OCR) được: máy chủ chưa cài đặt công cụ OCR.", detail: ["hint": hint])])
        case OCRError.badInput(let why):
            return QCVerdict(status: .failed, reasons: [.init(
                code: "format", severity: .error, message: "Không thể số hóa tệp này ở dạng hiện tại.", detail: ["why": why])])
        case OCRError.failed(let code, let stderr):
            return QCVerdict(status: .pending, reasons: [.init(
                code: "ocr-failed", severity: .warning, message: "Nhận dạng ký tự (OCR) không thành công.",
                detail: ["exitCode": "\(code)", "stderr": stderr])])
        default:
            return QCVerdict(status: .pending, reasons: [.init(
                code: "qc-unavailable", severity: .warning, message: "Chưa kiểm tra được chất lượng tệp.",
                detail: ["why": "\(error)"])])
        }
    }

    // MARK: Wording

    private static func megabytes(_ bytes: Int) -> String {
        let mb = Double(bytes) / 1_048_576
        return mb >= 10 ? "\(Int(mb.rounded()))" : String(format: "%.1f", mb).replacingOccurrences(of: ".", with: ",")
    }

    private static func pageList(_ pages: [Int]) -> String {
        Array(Set(pages)).sorted().map(String.init).joined(separator: ",")
    }

    /// "1, 2, 3" — at most ten pages, then an ellipsis and the count.
    private static func shortList(_ pages: [Int]) -> String {
        let p = Array(Set(pages)).sorted()
        let head = p.prefix(10).map(String.init).joined(separator: ", ")
        return p.count > 10 ? "\(head)… (\(p.count) trang)" : head
    }

    /// "trang 3" or "các trang 1, 2".
    private static func pagePhrase(_ pages: [Int]) -> String {
        Set(pages).count == 1 ? "trang \(pages[0])" : "các trang \(shortList(pages))"
    }
}
