// SPDX-License-Identifier: Apache-2.0
import Documents
import Domain
import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import Services
import Storage

/// A component as the API shows it.
struct ComponentDTO: Encodable {
    struct QC: Encodable {
        let status: String
        let reasons: [QCVerdict.Reason]
    }

    struct OCRState: Encodable {
        let status: String
        let attempts: Int
        let error: String?
        let suggestions: [FieldSuggestion]
    }

    let id: String
    let componentCode: String
    let version: Int
    let kind: String
    let sha256: String
    let size: Int
    let mediaType: String
    let originalName: String?
    let uploadedAt: String
    let uploadedBy: String
    let pages: Int?
    let searchable: Bool
    let qc: QC
    let ocr: OCRState
    /// DVCQG `DuocTaiSuDung`: this version reuses a document the state already holds.
    let reused: Bool
    /// DVCQG `DuocLayTuKhoDMQG`: taken from the owner's data warehouse.
    let fromWarehouse: Bool
    let reusedFrom: String?
    /// The reception signature of the digitized copy (PAdES), or why there is none.
    let signature: SignatureState

    struct SignatureState: Encodable {
        let signed: Bool
        let signedBy: String?
        let signedAt: String?
        let sha256: String?
        let error: String?
    }

    init(_ c: StoredComponent) {
        id = c.id
        componentCode = c.componentCode
        version = c.version
        kind = c.kind
        sha256 = c.blobSHA256
        size = c.size
        mediaType = c.mediaType
        originalName = c.originalName
        uploadedAt = SharedFormat.iso(c.uploadedAt)
        uploadedBy = c.uploadedBy
        pages = c.pages
        searchable = c.searchableSHA256 != nil
        reused = c.reusedFrom != nil
        fromWarehouse = c.fromWarehouse
        reusedFrom = c.reusedFrom
        signature = SignatureState(
            signed: c.signedSHA256 != nil, signedBy: c.signedBy, signedAt: c.signedAt.map(SharedFormat.iso), sha256: c.signedSHA256, error: c.signError)
        qc = QC(status: c.qcStatus, reasons: (try? JSONDecoder().decode([QCVerdict.Reason].self, from: Data(c.qcReasons.utf8))) ?? [])
        ocr = OCRState(
            status: c.ocrStatus, attempts: c.ocrAttempts, error: c.ocrError,
            suggestions: c.ocrSuggestions.flatMap { try? JSONDecoder().decode([FieldSuggestion].self, from: Data($0.utf8)) } ?? [])
    }
}

/// Receives a multipart upload as a stream: the file part goes straight to a staged file
/// (hashed on the way), so memory stays flat whatever the size; the limit is enforced while reading.
final class MultipartUpload: @unchecked Sendable {
    var headers: [String: String] = [:]
    var fields: [String: String] = [:]
    var fieldBytes: [UInt8] = []
    var fileName: String?
    var staged: StagedFile?
    var failure: (any Error)?
    let limit: Int
    let staging: URL

    init(limit: Int, staging: URL) {
        self.limit = limit
        self.staging = staging
    }

    var partName: String? { Self.parameter("name", in: headers["content-disposition"] ?? "") }

    static func parameter(_ key: String, in disposition: String) -> String? {
        for piece in disposition.split(separator: ";") {
            let kv = piece.trimmingCharacters(in: .whitespaces)
            if kv.hasPrefix("\(key)=") {
                return String(kv.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    func body(_ buffer: inout ByteBuffer) {
        guard failure == nil else { return }
        if partName == "file" {
            do {
                if staged == nil {
                    staged = try StagedFile(directory: staging)
                    fileName = Self.parameter("filename", in: headers["content-disposition"] ?? "")
                }
                try buffer.withUnsafeReadableBytes { try staged!.write($0) }
                if staged!.size > limit {
                    failure = ServiceError.tooLarge("the file is larger than the limit of \(limit >> 20) MB (MOTCUA_MAX_UPLOAD_MB)")
                } else if staged!.head.count >= 8, FileKind.sniff(staged!.head) == nil {
                    // Refuse as soon as the first bytes show what it is, without reading the rest.
                    failure = ServiceError.unsupportedMedia(FileKind.acceptedDescription)
                }
            } catch { failure = error }
        } else if fieldBytes.count + buffer.readableBytes <= 4096 {
            fieldBytes += buffer.readableBytesView
        }
    }

    func partComplete() {
        if let name = partName, name != "file" {
            fields[name] = String(decoding: fieldBytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        headers = [:]
        fieldBytes = []
    }
}

/// File downloads with the headers browsers and caches need.
enum Download {
    static func response(_ bytes: Data, type: String, filename: String, inline: Bool = false, sha256: String? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentDisposition] = "\(inline ? "inline" : "attachment"); filename=\"\(filename)\""
        headers[.cacheControl] = "private, no-store"
        if let sha256 { headers[.eTag] = "\"\(sha256)\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

enum DocumentRoutes {
    static func register(_ on: On, app: MotCua) {
        on(.post, "/api/v1/dossiers/{code}/components") { req, ctx in
            let actor = try ctx.requireActor()
            let code = try ctx.path("code")
            guard let type = req.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
                let boundary = MultipartUpload.parameter("boundary", in: type)
            else {
                throw Problem.invalid("Content-Type", "send multipart/form-data with the parts file and componentCode")
            }
            let upload = MultipartUpload(limit: app.config.maxUploadBytes, staging: URL(fileURLWithPath: app.config.blobDir).appendingPathComponent("staging"))
            let parser = MultipartParser(boundary: boundary)
            parser.onHeader = { name, value in upload.headers[name.lowercased()] = value }
            parser.onBody = { upload.body(&$0) }
            parser.onPartComplete = { upload.partComplete() }
            do {
                for try await chunk in req.body {
                    try parser.execute(chunk)
                    if let f = upload.failure { throw f }
                }
            } catch {
                upload.staged?.discard()
                if error is ServiceError { throw error }
                throw Problem.invalid("$", "the multipart body could not be read: \(error)")
            }
            guard let staged = upload.staged else { throw Problem.invalid("file", "a file part named \"file\" is required") }
            guard let componentCode = upload.fields["componentCode"], !componentCode.isEmpty else {
                staged.discard()
                throw Problem.invalid("componentCode", "name the required component this file satisfies (or KQ for the result)")
            }
            let c = try await app.documents.add(ComponentUpload(file: staged, componentCode: componentCode, originalName: upload.fileName), to: code, by: actor)
            var r = try JSON.response(ComponentDTO(c), status: .created)
            r.headers[.location] = "/api/v1/dossiers/\(code)/components"
            return r
        }
        on(.get, "/api/v1/dossiers/{code}/components") { _, ctx in
            let actor = try ctx.requireActor()
            let list = try await app.documents.list(code: try ctx.path("code"), by: actor)
            return try JSON.response(ComponentsDTO(items: list.items.map(ComponentDTO.init), fullyDigitized: list.fullyDigitized, missing: list.missing, notPassed: list.notPassed))
        }
        on(.get, "/api/v1/dossiers/{code}/reusable") { _, ctx in
            let actor = try ctx.requireActor()
            let offers = try await app.documents.reuseOffers(code: try ctx.path("code"), by: actor)
            return try JSON.response(PageDTO(items: offers.map { ReuseOfferDTO(componentCode: $0.component.code, componentName: $0.component.name, documentType: $0.component.documentType, documents: $0.documents.map(WarehouseDocumentDTO.init)) }, nextCursor: nil))
        }
        on(.post, "/api/v1/dossiers/{code}/components/reuse") { req, ctx in
            let actor = try ctx.requireActor()
            let body = try await JSON.decode(ReuseBody.self, from: req, context: ctx)
            let c = try await app.documents.reuse(documentId: body.documentId, as: body.componentCode, in: try ctx.path("code"), by: actor)
            return try JSON.response(ComponentDTO(c), status: .created)
        }
        on(.get, "/api/v1/warehouse") { req, ctx in
            let actor = try ctx.requireActor()
            guard let owner = req.query("owner") ?? actor.idNumber else { throw Problem.invalid("owner", "give the owner's ID number (CCCD or enterprise code)") }
            let docs = try await app.documents.warehouse(owner: owner, by: actor, purpose: req.query("purpose") ?? "view-warehouse")
            return try JSON.response(PageDTO(items: docs.map(WarehouseDocumentDTO.init), nextCursor: nil))
        }
        on(.get, "/api/v1/dossiers/{code}/components/{id}/file") { req, ctx in
            let actor = try ctx.requireActor()
            let copy = req.query("copy") ?? "best"
            guard ["best", "original", "searchable", "signed"].contains(copy) else {
                throw Problem.invalid("copy", "one of best (signed, else searchable, else original), original, searchable, signed")
            }
            let list = try await app.documents.list(code: try ctx.path("code"), by: actor)
            guard let c = list.items.first(where: { $0.id == (try? ctx.path("id")) }) else { throw Problem.notFound("no component \((try? ctx.path("id")) ?? "") in this dossier") }
            let sha: String? = switch copy {
            case "original": c.blobSHA256
            case "searchable": c.searchableSHA256
            case "signed": c.signedSHA256
            default: c.bestCopySHA256
            }
            guard let sha else { throw Problem.notFound("this component has no \(copy) copy\(copy == "signed" ? (c.signError.map { ": \($0)" } ?? " yet") : "")") }
            let bytes = try Data(contentsOf: try await app.blobs.localURL(sha))
            let type = sha == c.blobSHA256 ? c.mediaType : "application/pdf"
            return Download.response(bytes, type: type, filename: "\(c.componentCode)-v\(c.version)\(type == "application/pdf" ? ".pdf" : "")", sha256: sha)
        }
        on(.get, "/api/v1/dossiers/{code}/forms/{form}") { _, ctx in
            let actor = try ctx.requireActor()
            let form = try ctx.path("form")
            guard FormService.formIds.contains(form) else {
                throw Problem.notFound("unknown form \"\(form)\"; forms are \(FormService.formIds.joined(separator: ", "))")
            }
            let pdf = try await app.forms.form(form, code: try ctx.path("code"), by: actor)
            return Download.response(pdf, type: "application/pdf", filename: "\(form).pdf", inline: true)
        }
        on(.get, "/api/v1/units/{unit}/tracking-book") { req, ctx in
            let actor = try ctx.requireActor()
            guard let f = req.query("from"), let from = LocalDate(iso: f) else { throw Problem.invalid("from", "give the first day as YYYY-MM-DD") }
            guard let t = req.query("to"), let to = LocalDate(iso: t) else { throw Problem.invalid("to", "give the last day as YYYY-MM-DD") }
            guard from <= to, to.julianDay - from.julianDay <= 366 else { throw Problem.invalid("to", "the period runs from \"from\" to \"to\" inclusive, at most a year") }
            let pdf = try await app.forms.trackingBook(unit: try ctx.path("unit"), from: from, to: to.adding(days: 1), by: actor)
            return Download.response(pdf, type: "application/pdf", filename: "mau-07.pdf", inline: true)
        }
        on(.get, "/api/v1/search") { req, ctx in
            let actor = try ctx.requireActor()
            guard actor.isOfficial else { throw Problem.from(.forbidden("search is for officials; citizens list their own dossiers at /api/v1/dossiers")) }
            guard let q = req.query("q"), !TextFolding.searchTokens(q).isEmpty else { throw Problem.invalid("q", "type a code, name, ID number, phone or words of a document") }
            var limit = 20
            if let l = req.query("limit") {
                guard let n = Int(l), (1...100).contains(n) else { throw Problem.invalid("limit", "must be 1–100") }
                limit = n
            }
            let found = try await app.dossiers.search(q, by: actor, limit: limit)
            let now = app.clock.now()
            return try JSON.response(PageDTO(items: found.map { DossierDTO($0, now: now, fullPersonalData: false) }, nextCursor: nil))
        }
    }
}

struct ReuseBody: Decodable {
    let componentCode: String
    let documentId: String
}

/// A warehouse document as the API shows it.
struct WarehouseDocumentDTO: Encodable {
    let id: String
    let ownerIdNumber: String
    let documentType: String
    let title: String
    let number: String?
    let issuer: String?
    let issuedOn: String?
    let validUntil: String?
    let sha256: String
    let filedAt: String

    init(_ d: WarehouseDocument) {
        id = d.id
        ownerIdNumber = d.ownerIdNumber
        documentType = d.documentType
        title = d.title
        number = d.number
        issuer = d.issuer
        issuedOn = d.issuedOn
        validUntil = d.validUntil
        sha256 = d.blobSHA256
        filedAt = SharedFormat.iso(d.createdAt)
    }
}

struct ReuseOfferDTO: Encodable {
    let componentCode: String
    let componentName: String
    let documentType: String
    let documents: [WarehouseDocumentDTO]
}

/// The components of a dossier and whether it is fully digitized (766 group 4).
struct ComponentsDTO: Encodable {
    let items: [ComponentDTO]
    let fullyDigitized: Bool
    let missing: [String]
    let notPassed: [String]
}
