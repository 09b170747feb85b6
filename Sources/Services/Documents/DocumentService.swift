// SPDX-License-Identifier: Apache-2.0
import Documents
import Domain
import Foundation
import Storage

/// A file staged for a dossier: the upload's bytes (already on disk) and what it is for.
public struct ComponentUpload: Sendable {
    public let file: StagedFile
    public let componentCode: String
    public let originalName: String?

    public init(file: StagedFile, componentCode: String, originalName: String?) {
        self.file = file
        self.componentCode = componentCode
        self.originalName = originalName
    }
}

/// Digitized components of dossiers: upload (content-checked, versioned, content-addressed),
/// listing, and the digitization pipeline (OCR, inspection, quality control, search text).
public struct DocumentService: Sendable {
    let app: MotCua

    /// The code results are filed under, beside the procedure's component codes.
    public static let resultCode = "KQ"

    /// Stores bytes MotCua produced (a signed result or copy) in the blob store.
    static func store(_ data: Data, app: MotCua) async throws -> BlobRef {
        let staged = try StagedFile(directory: URL(fileURLWithPath: app.config.blobDir).appendingPathComponent("staging"))
        do {
            try data.withUnsafeBytes { try staged.write($0) }
            return try await app.blobs.adopt(staged)
        } catch {
            staged.discard()
            throw error
        }
    }

    /// Stores an uploaded file as the next version of a dossier component. Refuses files whose
    /// bytes are not PDF, JPEG, PNG or TIFF, components the procedure does not ask for, and
    /// callers who may not act on the dossier. The staged file is consumed either way.
    public func add(_ upload: ComponentUpload, to code: String, by actor: Actor) async throws -> StoredComponent {
        let now = app.clock.now()
        do {
            guard let kind = FileKind.sniff(upload.file.head) else {
                throw ServiceError.unsupportedMedia(FileKind.acceptedDescription)
            }
            guard let row = try await DossierStore.row(code: code, on: app.database) else { throw ServiceError.notFound(what: "dossier", key: code) }
            let (d, procedure) = try await DossierService.load(row, app: app)
            try Self.checkMayUpload(d, actor: actor)
            let version = procedure.version(number: d.procedureVersion)
            let isResult = upload.componentCode == Self.resultCode
            guard isResult || version?.components.contains(where: { $0.code == upload.componentCode }) == true else {
                let known = (version?.components.map(\.code) ?? []) + [Self.resultCode]
                throw ServiceError.invalid(field: "componentCode", message: "procedure \(procedure.code) has no component \(upload.componentCode); use one of \(known.joined(separator: ", "))")
            }
            let ref = try await app.blobs.adopt(upload.file)
            // Always queued: without ocrmypdf the worker still inspects and checks the file.
            let ocrStatus = "pending"
            return try await app.database.transaction { tx in
                try await ComponentStore.recordBlob(sha256: ref.sha256, size: ref.size, mediaType: kind.mediaType, at: now, on: tx)
                let stored = try await ComponentStore.insert(
                    id: TimeOrderedID.make(at: now), dossierId: d.id, componentCode: upload.componentCode, kind: isResult ? "result" : "component",
                    blob: ref.sha256, originalName: upload.originalName.map { String($0.prefix(255)) }, mediaType: kind.mediaType, size: ref.size,
                    at: now, by: actor.username, ocrStatus: ocrStatus, on: tx)
                try await IndexAggregates.refresh(dossierId: d.id, app: app, on: tx)
                return stored
            }
        } catch {
            upload.file.discard()
            throw error
        }
    }

    /// Whether `actor` may add files to `d` now (the pages show the upload form only then).
    public static func mayUpload(_ d: Dossier, actor: Actor) -> Bool { (try? checkMayUpload(d, actor: actor)) != nil }

    /// Officials of the receiving or handling unit digitize; the applicant adds files while the
    /// dossier waits for them (online submission or a supplement request). Closed dossiers take nothing.
    static func checkMayUpload(_ d: Dossier, actor: Actor) throws {
        if d.status.isClosed {
            throw ServiceError.conflict(
                message: "dossier \(d.code) is closed (\(d.status.vietnameseName)); files can no longer be added", status: d.status,
                allowedActions: [], currentVersion: d.version)
        }
        let official = (actor.has(.officer) || actor.has(.specialist) || actor.has(.leader)) && actor.unit != nil
            && (actor.unit == d.receivingUnit || actor.unit == d.handlingUnit)
        let owner = actor.has(.citizen) && actor.idNumber == d.applicant.idNumber
            && (d.status == .registered || d.status == .supplementRequested)
        guard official || owner else { throw ServiceError.forbidden("you may not add files to dossier \(d.code)") }
    }

    /// A dossier's files and whether it is fully digitized.
    public struct Components: Sendable {
        /// Every version of every component, oldest first per component.
        public let items: [StoredComponent]
        /// True when every required component and, once issued, the result have a latest version that passed QC.
        public let fullyDigitized: Bool
        /// Required components (or KQ, the result) with no file yet.
        public let missing: [String]
        /// Required components whose latest version failed or is still pending QC.
        public let notPassed: [String]
    }

    /// Every version of every component of a dossier the caller may read, and its digitization state.
    public func list(code: String, by actor: Actor) async throws -> Components {
        guard let row = try await DossierStore.row(code: code, on: app.database) else { throw ServiceError.notFound(what: "dossier", key: code) }
        let (d, procedure) = try await DossierService.load(row, app: app)
        guard DossierPolicy.canRead(d, by: actor) else { throw ServiceError.forbidden("you may not read dossier \(code)") }
        let items = try await ComponentStore.components(dossierId: d.id, on: app.database)
        let version = procedure.version(number: d.procedureVersion)
        var needed = (version?.components ?? []).filter(\.required).map(\.code)
        if version?.result != nil, d.status == .processed || d.status == .returned { needed.append(Self.resultCode) }
        var latest: [String: StoredComponent] = [:]
        for c in items where (latest[c.componentCode]?.version ?? 0) < c.version { latest[c.componentCode] = c }
        let missing = needed.filter { latest[$0] == nil }
        let notPassed = needed.filter { latest[$0] != nil && latest[$0]!.qcStatus != "passed" }
        return Components(items: items, fullyDigitized: missing.isEmpty && notPassed.isEmpty, missing: missing, notPassed: notPassed)
    }

    /// Digitizes the next waiting component, if any: OCR to a searchable PDF (when `ocrmypdf` is
    /// installed), inspection, quality control, search text, and filing in the owner's warehouse
    /// when it passes. Returns false when nothing was waiting. Failures are retried with backoff
    /// (30 s, 60 s, …) up to `maxAttempts`, then recorded as failed with the tool's message.
    @discardableResult
    public func digitizeNext(maxAttempts: Int = 3) async throws -> Bool {
        let now = app.clock.now()
        guard let c = try await app.database.transaction({ tx in try await ComponentStore.claimForOCR(at: now, on: tx) }) else { return false }
        let rules = try QCRules.bundled()
        let kind = FileKind(mediaType: c.mediaType) ?? .pdf
        let input = try await app.blobs.localURL(c.blobSHA256)
        let staging = URL(fileURLWithPath: app.config.blobDir).appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let output = staging.appendingPathComponent("ocr-\(c.id).pdf")
        defer { try? FileManager.default.removeItem(at: output) }
        do {
            // Resolution and colour are measured on the original scan: OCR output may resample it.
            let original = try await DocumentInspector.inspect(file: input, kind: kind)
            var searchable: BlobRef?
            var outcome: OCROutcome?
            var checked = original
            if OCR.isAvailable() {
                let o = try await OCR.run(input: input, kind: kind, output: output)
                let staged = try StagedFile(directory: staging)
                let handle = try FileHandle(forReadingFrom: output)
                defer { try? handle.close() }
                while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                    try chunk.withUnsafeBytes { try staged.write($0) }
                }
                let ref = try await app.blobs.adopt(staged)
                var pdf = try await DocumentInspector.inspect(file: try await app.blobs.localURL(ref.sha256), kind: .pdf)
                pdf.images = original.images
                checked = pdf
                searchable = ref
                outcome = o
            }
            let verdict = QualityControl.evaluate(checked, kind: kind, ocr: outcome, expectedSHA256: nil, rules: rules)
            let suggestions = try outcome.map { String(decoding: try JSONEncoder().encode($0.suggestions), as: UTF8.self) }
            let reasons = String(decoding: try JSONEncoder().encode(verdict.reasons), as: UTF8.self)
            let filing = verdict.status == .passed ? try await warehouseEntry(for: c) : nil
            // A copy that meets the standard is signed at reception (Circular 01/2023: digitized
            // copies carry the digitizing officer's or the agency's signature).
            let pdfCopy = searchable?.sha256 ?? (kind == .pdf ? c.blobSHA256 : nil)
            let signature = verdict.status == .passed ? await signCopy(c, pdf: pdfCopy, staging: staging) : nil
            let (ocr, searchableCopy, pages) = (outcome, searchable, checked.pages)
            try await app.database.transaction { tx in
                let outcome = ocr
                let searchable = searchableCopy
                if let s = searchable {
                    try await ComponentStore.recordBlob(sha256: s.sha256, size: s.size, mediaType: "application/pdf", at: now, on: tx)
                }
                try await ComponentStore.finishDigitization(
                    id: c.id, ocrStatus: outcome == nil ? "unavailable" : "done", ocrError: outcome == nil ? "ocrmypdf is not installed (Debian: ocrmypdf, tesseract-ocr-vie)" : nil,
                    ocrText: outcome?.text, suggestions: suggestions, searchable: searchable?.sha256, pages: pages,
                    qcStatus: verdict.status.rawValue, qcReasons: reasons, retryAt: nil, on: tx)
                try await IndexAggregates.refresh(dossierId: c.dossierId, app: app, on: tx)
                if let text = outcome?.text { try await SearchStore.append(dossierId: c.dossierId, text: text, on: tx) }
                if let sig = signature {
                    if let b = sig.blob { try await ComponentStore.recordBlob(sha256: b.sha256, size: b.size, mediaType: "application/pdf", at: now, on: tx) }
                    try await ComponentStore.recordSignature(id: c.id, signed: sig.blob?.sha256, by: sig.signer, at: sig.blob == nil ? nil : now, error: sig.error, on: tx)
                }
                if let f = filing {
                    try await WarehouseStore.file(
                        id: TimeOrderedID.make(at: now), owner: f.owner, type: f.type, title: f.title, issuer: f.issuer, issuedOn: f.issuedOn,
                        blob: signature?.blob?.sha256 ?? searchable?.sha256 ?? c.blobSHA256, dossierId: c.dossierId, componentId: c.id, at: now, on: tx)
                }
            }
        } catch {
            // A damaged or refused file fails for good; a missing tool or a failed run is retried
            // with backoff, and recorded as failed once the attempts are used up.
            let message = String("\(error)".prefix(500))
            var verdict = QualityControl.verdict(for: error)
            let retry = verdict.status != .failed && c.ocrAttempts < maxAttempts
            if !retry && verdict.status != .failed { verdict = QCVerdict(status: .failed, reasons: verdict.reasons) }
            let at = now.addingTimeInterval(30 * pow(2, Double(max(0, c.ocrAttempts - 1))))
            let reasons = String(decoding: try JSONEncoder().encode(verdict.reasons), as: UTF8.self)
            let status = verdict.status.rawValue
            try await app.database.transaction { tx in
                try await ComponentStore.finishDigitization(
                    id: c.id, ocrStatus: retry ? "pending" : "failed", ocrError: message, ocrText: nil, suggestions: nil, searchable: nil,
                    pages: nil, qcStatus: status, qcReasons: reasons, retryAt: retry ? at : nil, on: tx)
                try await IndexAggregates.refresh(dossierId: c.dossierId, app: app, on: tx)
            }
        }
        return true
    }

    /// Signs the PDF copy of a digitized component as the official who digitized it, or with the
    /// receiving unit's seal when a citizen uploaded it. Never fails digitization: a copy that
    /// cannot be signed says why (`sign_error`) and can be signed later.
    func signCopy(_ c: StoredComponent, pdf: String?, staging: URL) async -> (blob: BlobRef?, signer: String?, error: String?) {
        guard let pdf else { return (nil, nil, "no PDF copy to sign: OCR (ocrmypdf) is needed to turn an image into PDF") }
        do {
            guard let row = try await app.database.first("SELECT code, receiving_unit FROM dossiers WHERE id = ?", c.dossierId) else {
                return (nil, nil, "dossier not found")
            }
            let code = try row.require("code")
            let unit = try row.require("receiving_unit")
            let units = try await app.catalog.unitsByCode()
            let uploader = try await AccountStore.user(c.uploadedBy, on: app.database)
            let official = uploader.map { !$0.roles.contains(.citizen) } ?? false
            let candidates = (official ? [c.uploadedBy] : []) + [SignatureService.agencySigner(unit)]
            let rewritten = staging.appendingPathComponent("sign-\(c.id).pdf")
            defer { try? FileManager.default.removeItem(at: rewritten) }
            try await PDFRewrite.classicXref(input: try await app.blobs.localURL(pdf), output: rewritten)
            let bytes = try Data(contentsOf: rewritten)
            for signer in candidates {
                guard let signed = try await app.signatures.sign(
                    bytes, as: signer, reason: "Số hóa \(c.componentCode) hồ sơ \(code)", location: units[unit]?.name ?? unit)
                else { continue }
                return (try await Self.store(signed, app: app), signer, nil)
            }
            return (nil, nil, "no signing identity for \(candidates.joined(separator: " or ")); issue one with motcua pki")
        } catch {
            return (nil, nil, String("\(error)".prefix(500)))
        }
    }

    /// What an accepted file is filed as in its owner's warehouse: the component's document type,
    /// or for a result the procedure's result type, issued by the handling unit today.
    func warehouseEntry(for c: StoredComponent) async throws -> (owner: String, type: String, title: String, issuer: String?, issuedOn: LocalDate?)? {
        guard let row = try await app.database.first("SELECT * FROM dossiers WHERE id = ?", c.dossierId) else { return nil }
        let (d, procedure) = try await DossierService.load(row, app: app)
        guard let version = procedure.version(number: d.procedureVersion) else { return nil }
        if c.kind == "result" {
            guard let result = version.result, let type = result.documentType else { return nil }
            let issuer = try await app.catalog.unitsByCode()[d.handlingUnit]?.name
            return (d.applicant.idNumber, type, result.name, issuer, VietnamTime.date(of: app.clock.now()))
        }
        guard let required = version.components.first(where: { $0.code == c.componentCode }) else { return nil }
        return (d.applicant.idNumber, required.documentType, required.name, nil, nil)
    }

    /// For each reusable component the dossier's procedure asks for, the valid documents of that
    /// type already in the applicant's warehouse.
    public func reuseOffers(code: String, by actor: Actor) async throws -> [(component: RequiredComponent, documents: [WarehouseDocument])] {
        let (d, procedure) = try await loadForUpload(code: code, actor: actor)
        guard let version = procedure.version(number: d.procedureVersion) else { return [] }
        let reusable = version.components.filter(\.reusable)
        let docs = try await WarehouseStore.documents(owner: d.applicant.idNumber, types: reusable.map(\.documentType), on: app.database)
        let today = VietnamTime.date(of: app.clock.now())
        try await logWarehouseLookup(owner: d.applicant.idNumber, dossier: d.code, actor: actor, purpose: "reuse-offers")
        return reusable.map { c in (c, docs.filter { $0.documentType == c.documentType && $0.isValid(on: today) }) }
    }

    /// Reuses a warehouse document as a component of the dossier, instead of asking for paper again.
    public func reuse(documentId: String, as componentCode: String, in code: String, by actor: Actor) async throws -> StoredComponent {
        let now = app.clock.now()
        let (d, procedure) = try await loadForUpload(code: code, actor: actor)
        guard let required = procedure.version(number: d.procedureVersion)?.components.first(where: { $0.code == componentCode }) else {
            throw ServiceError.invalid(field: "componentCode", message: "procedure \(procedure.code) has no component \(componentCode)")
        }
        guard required.reusable else {
            throw ServiceError.invalid(field: "componentCode", message: "\(required.name) may not be reused; it must be submitted for this dossier")
        }
        guard let doc = try await WarehouseStore.document(id: documentId, on: app.database), doc.ownerIdNumber == d.applicant.idNumber else {
            throw ServiceError.invalid(field: "documentId", message: "no document \(documentId) in the applicant's warehouse")
        }
        guard doc.documentType == required.documentType else {
            throw ServiceError.invalid(field: "documentId", message: "the document is a \(doc.documentType), the component needs a \(required.documentType)")
        }
        guard doc.isValid(on: VietnamTime.date(of: now)) else {
            throw ServiceError.invalid(field: "documentId", message: "the document expired on \(doc.validUntil ?? "?")")
        }
        let blob = try await ComponentStore.blob(doc.blobSHA256, on: app.database)
        let app = self.app
        return try await app.database.transaction { tx in
            let stored = try await ComponentStore.insertReused(
                id: TimeOrderedID.make(at: now), dossierId: d.id, componentCode: componentCode, document: doc,
                mediaType: blob?.mediaType ?? "application/pdf", size: blob?.size ?? 0, at: now, by: actor.username, on: tx)
            try await IndexAggregates.refresh(dossierId: d.id, app: app, on: tx)
            return stored
        }
    }

    /// An owner's warehouse: the owner sees their own; officials see it with the look-up logged.
    public func warehouse(owner: String, by actor: Actor, purpose: String) async throws -> [WarehouseDocument] {
        // Reception may happen at any branch (non-territorial), so any one-stop officer may look a
        // person's documents up to reuse them, with the purpose logged; specialists and leaders
        // see the documents of the dossiers they handle, not the warehouse.
        let own = actor.has(.citizen) && actor.idNumber == owner
        guard own || (actor.has(.officer) && actor.unit != nil) else {
            throw ServiceError.forbidden("a person's warehouse is for that person and the one-stop officers receiving their dossiers")
        }
        if !own { try await logWarehouseLookup(owner: owner, dossier: nil, actor: actor, purpose: purpose) }
        return try await WarehouseStore.documents(owner: owner, on: app.database)
    }

    func logWarehouseLookup(owner: String, dossier: String?, actor: Actor, purpose: String) async throws {
        guard actor.isOfficial else { return }
        let now = app.clock.now()
        try await AccountStore.logPersonalDataAccess(
            id: TimeOrderedID.make(at: now), at: now, actor: actor.username, dossierCode: dossier, idNumber: owner, purpose: purpose, on: app.database)
    }

    func loadForUpload(code: String, actor: Actor) async throws -> (Dossier, Procedure) {
        guard let row = try await DossierStore.row(code: code, on: app.database) else { throw ServiceError.notFound(what: "dossier", key: code) }
        let (d, procedure) = try await DossierService.load(row, app: app)
        try Self.checkMayUpload(d, actor: actor)
        return (d, procedure)
    }
}
