// SPDX-License-Identifier: Apache-2.0
import Documents
import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import Services

/// A browser form with files (`multipart/form-data`): text fields, and any number of file parts
/// (`file:<componentCode>`) streamed each to its own staged file, checked on the way (size
/// limit, PDF/JPEG/PNG/TIFF by content). Empty file inputs are skipped. The anti-forgery token
/// is checked before anything is kept; on any failure every staged file is discarded.
final class PageUpload: @unchecked Sendable {
    struct File {
        let field: String
        let name: String?
        let staged: StagedFile
    }

    private(set) var fields: [String: String] = [:]
    private(set) var files: [File] = []
    /// A file refused while reading: the field and why (shown next to that field).
    private(set) var refused: [String: String] = [:]

    private var headers: [String: String] = [:]
    private var fieldBytes: [UInt8] = []
    private var current: StagedFile?
    private var currentRefused = false
    private let limit: Int
    private let staging: URL
    /// Scans and photos only (PDF, JPEG, PNG, TIFF by content); false for data files.
    private let scans: Bool

    private init(limit: Int, staging: URL, scans: Bool) {
        self.limit = limit
        self.staging = staging
        self.scans = scans
    }

    static func read(_ req: Request, app: MotCua, scans: Bool = true) async throws -> PageUpload {
        guard let type = req.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = MultipartUpload.parameter("boundary", in: type)
        else { throw Problem.invalid("Content-Type", "this form is sent as multipart/form-data") }
        let u = PageUpload(limit: app.config.maxUploadBytes, staging: URL(fileURLWithPath: app.config.blobDir).appendingPathComponent("staging"), scans: scans)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in u.headers[name.lowercased()] = value }
        parser.onBody = { u.body(&$0) }
        parser.onPartComplete = { u.partComplete() }
        do {
            for try await chunk in req.body { try parser.execute(chunk) }
            try Form.checkToken(u.fields[UI.csrfField], req)
        } catch {
            u.discard()
            if error is Problem { throw error }
            throw Problem.invalid("$", "the form could not be read: \(error)")
        }
        return u
    }

    private var partName: String { MultipartUpload.parameter("name", in: headers["content-disposition"] ?? "") ?? "" }

    private func body(_ buffer: inout ByteBuffer) {
        let name = partName
        guard name.hasPrefix("file:") else {
            if fieldBytes.count + buffer.readableBytes <= 16_384 { fieldBytes += buffer.readableBytesView }
            return
        }
        guard !currentRefused, buffer.readableBytes > 0 else { return }
        do {
            if current == nil { current = try StagedFile(directory: staging) }
            try buffer.withUnsafeReadableBytes { try current!.write($0) }
            if current!.size > limit {
                refuse(name, "tooLarge")
            } else if scans, current!.head.count >= 8, FileKind.sniff(current!.head) == nil {
                refuse(name, "fileKind")
            }
        } catch { refuse(name, "unreadable") }
    }

    private func refuse(_ field: String, _ why: String) {
        currentRefused = true
        refused[String(field.dropFirst("file:".count))] = why
        current?.discard()
        current = nil
    }

    private func partComplete() {
        let name = partName
        if name.hasPrefix("file:") {
            if let staged = current, staged.size > 0 {
                if scans, FileKind.sniff(staged.head) == nil {
                    refuse(name, "fileKind")
                } else {
                    files.append(File(field: String(name.dropFirst("file:".count)), name: MultipartUpload.parameter("filename", in: headers["content-disposition"] ?? ""), staged: staged))
                }
            }
            current = nil
            currentRefused = false
        } else if !name.isEmpty {
            fields[name] = String(decoding: fieldBytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        headers = [:]
        fieldBytes = []
    }

    /// Drops every staged file (a refused form keeps nothing).
    func discard() {
        current?.discard()
        for f in files { f.staged.discard() }
        files = []
    }
}
