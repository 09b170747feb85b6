// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The file types accepted for dossier components and results, recognised by content.
public enum FileKind: String, Sendable, Codable, CaseIterable {
    case pdf, jpeg, png, tiff

    /// How many leading bytes `sniff` needs.
    public static let headLength = 8

    /// Identifies a file from its first bytes (magic numbers), never from its name:
    /// a renamed executable or text file is nil, whatever its extension says.
    public static func sniff(_ head: [UInt8]) -> FileKind? {
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        // "%PDF-" must open the file. Readers tolerate junk before it, but accepting that
        // would let a polyglot (e.g. a script with a PDF appended) through.
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        // Classic TIFF only, little- or big-endian. BigTIFF (43) is refused: the header
        // parser below reads 32-bit offsets only.
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        return nil
    }

    /// Reads the first bytes of a file and sniffs them.
    public static func sniff(file: URL) throws -> FileKind? {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let head = try handle.read(upToCount: headLength) ?? Data()
        return sniff([UInt8](head))
    }

    /// The IANA media type, for Content-Type headers and problem details.
    public var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .tiff: "image/tiff"
        }
    }

    /// The kind for a media type this module produced (`mediaType`); nil for anything else.
    public init?(mediaType: String) {
        let base = mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let kind = FileKind.allCases.first(where: { $0.mediaType == base }) else { return nil }
        self = kind
    }

    /// Whether the file is a raster image (needs conversion to PDF when digitised).
    public var isImage: Bool { self != .pdf }

    /// Every accepted kind, in the order shown to users.
    public static let accepted: [FileKind] = [.pdf, .jpeg, .png, .tiff]

    /// The accepted media types, e.g. for an `accept` attribute or a problem+json field.
    public static var acceptedMediaTypes: [String] { accepted.map(\.mediaType) }

    /// One sentence in Vietnamese then English saying what is accepted, for refusals.
    public static let acceptedDescription =
        "Chỉ chấp nhận tệp PDF, JPEG, PNG hoặc TIFF (nhận dạng theo nội dung tệp, không theo tên tệp). "
        + "Accepted: PDF, JPEG, PNG or TIFF files (recognised by their content, not their name)."
}
