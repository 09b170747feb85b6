// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// A stored dossier component (a digitized file) with its quality and OCR state.
public struct StoredComponent: Sendable, Hashable {
    public let id: String
    public let dossierId: String
    public let componentCode: String
    public let version: Int
    public let kind: String
    public let blobSHA256: String
    public let originalName: String?
    public let mediaType: String
    public let size: Int
    public let uploadedAt: Date
    public let uploadedBy: String
    public let qcStatus: String
    /// JSON array of reasons, as written by the quality control.
    public let qcReasons: String
    public let ocrStatus: String
    public let ocrAttempts: Int
    public let ocrError: String?
    public let ocrText: String?
    /// JSON array of field suggestions.
    public let ocrSuggestions: String?
    public let searchableSHA256: String?
    public let pages: Int?
    /// The warehouse document this version reuses (DVCQG `DuocTaiSuDung`), if any.
    public let reusedFrom: String?
    /// Taken from the owner's data warehouse (DVCQG `DuocLayTuKhoDMQG`).
    public let fromWarehouse: Bool
    /// The copy signed at reception (PAdES, by the receiving officer or the agency), if any.
    public let signedSHA256: String?
    public let signedBy: String?
    public let signedAt: Date?
    /// Why the copy could not be signed (no signing identity, no PDF copy, a tool failure).
    public let signError: String?

    /// The bytes to hand out as "the digitized copy": signed, else searchable, else the upload.
    public var bestCopySHA256: String { signedSHA256 ?? searchableSHA256 ?? blobSHA256 }

    init(_ r: Row) throws {
        id = try r.require("id")
        dossierId = try r.require("dossier_id")
        componentCode = try r.require("component_code")
        version = r.int("version") ?? 1
        kind = try r.require("kind")
        blobSHA256 = try r.require("blob_sha256")
        originalName = r.string("original_name")
        mediaType = try r.require("media_type")
        size = r.int("size") ?? 0
        uploadedAt = r.date("uploaded_at") ?? Date(timeIntervalSince1970: 0)
        uploadedBy = try r.require("uploaded_by")
        qcStatus = try r.require("qc_status")
        qcReasons = r.string("qc_reasons") ?? "[]"
        ocrStatus = try r.require("ocr_status")
        ocrAttempts = r.int("ocr_attempts") ?? 0
        ocrError = r.string("ocr_error")
        ocrText = r.string("ocr_text")
        ocrSuggestions = r.string("ocr_suggestions")
        searchableSHA256 = r.string("searchable_sha256")
        pages = r.int("pages")
        reusedFrom = r.string("reused_from")
        fromWarehouse = r.bool("from_warehouse")
        signedSHA256 = r.string("signed_sha256")
        signedBy = r.string("signed_by")
        signedAt = r.date("signed_at")
        signError = r.string("sign_error")
    }
}

/// Blobs and components in SQL.
public enum ComponentStore {
    public static func recordBlob(sha256: String, size: Int, mediaType: String, at now: Date, on tx: any SQLExecutor) async throws {
        try await tx.query(
            "INSERT INTO blobs (sha256, size, media_type, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
            sha256, size, mediaType, now)
    }

    /// The version number a new file of a component gets (versions are never overwritten).
    static func nextVersion(dossierId: String, componentCode: String, on tx: any SQLExecutor) async throws -> Int {
        (try await tx.first(
            "SELECT MAX(version) AS v FROM dossier_components WHERE dossier_id = ? AND component_code = ?", dossierId, componentCode)?.int("v") ?? 0) + 1
    }

    /// Inserts the next version of a component (versions are never overwritten).
    public static func insert(
        id: String, dossierId: String, componentCode: String, kind: String, blob: String, originalName: String?, mediaType: String,
        size: Int, at now: Date, by username: String, ocrStatus: String, on tx: any SQLExecutor
    ) async throws -> StoredComponent {
        let next = try await nextVersion(dossierId: dossierId, componentCode: componentCode, on: tx)
        let rows = try await tx.query(
            """
            INSERT INTO dossier_components (id, dossier_id, component_code, version, kind, blob_sha256, original_name, media_type, size,
              uploaded_at, uploaded_by, qc_status, qc_reasons, ocr_status, ocr_attempts, ocr_next_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', '[]', ?, 0, ?) RETURNING *
            """,
            [id.sqlValue, dossierId.sqlValue, componentCode.sqlValue, next.sqlValue, kind.sqlValue, blob.sqlValue, originalName.sqlValue,
             mediaType.sqlValue, size.sqlValue, now.sqlValue, username.sqlValue, ocrStatus.sqlValue, now.sqlValue])
        guard let r = rows.first else { throw StorageError.failed("component insert returned nothing") }
        return try StoredComponent(r)
    }

    public static func components(dossierId: String, on db: any SQLExecutor) async throws -> [StoredComponent] {
        try await db.query("SELECT * FROM dossier_components WHERE dossier_id = ? ORDER BY component_code, version", dossierId).map(StoredComponent.init)
    }

    public static func component(id: String, on db: any SQLExecutor) async throws -> StoredComponent? {
        try await db.first("SELECT * FROM dossier_components WHERE id = ?", id).map(StoredComponent.init)
    }

    /// Adds a component version that reuses a warehouse document: same bytes, already checked.
    public static func insertReused(
        id: String, dossierId: String, componentCode: String, document: WarehouseDocument, mediaType: String, size: Int, at now: Date,
        by username: String, on tx: any SQLExecutor
    ) async throws -> StoredComponent {
        let next = try await nextVersion(dossierId: dossierId, componentCode: componentCode, on: tx)
        let rows = try await tx.query(
            """
            INSERT INTO dossier_components (id, dossier_id, component_code, version, kind, blob_sha256, original_name, media_type, size,
              uploaded_at, uploaded_by, qc_status, qc_reasons, ocr_status, ocr_attempts, reused_from, from_warehouse)
            VALUES (?, ?, ?, ?, 'component', ?, ?, ?, ?, ?, ?, 'passed', '[]', 'reused', 0, ?, 1) RETURNING *
            """,
            [id.sqlValue, dossierId.sqlValue, componentCode.sqlValue, next.sqlValue, document.blobSHA256.sqlValue, document.title.sqlValue,
             mediaType.sqlValue, size.sqlValue, now.sqlValue, username.sqlValue, document.id.sqlValue])
        guard let r = rows.first else { throw StorageError.failed("component insert returned nothing") }
        return try StoredComponent(r)
    }

    public static func blob(_ sha256: String, on db: any SQLExecutor) async throws -> (size: Int, mediaType: String)? {
        guard let r = try await db.first("SELECT size, media_type FROM blobs WHERE sha256 = ?", sha256) else { return nil }
        return (r.int("size") ?? 0, r.string("media_type") ?? "application/octet-stream")
    }

    /// Claims the oldest component waiting for OCR whose retry time has come. On PostgreSQL,
    /// `SKIP LOCKED` lets several workers claim different rows; SQLite has one writer anyway.
    public static func claimForOCR(at now: Date, on tx: any SQLExecutor) async throws -> StoredComponent? {
        let lock = tx.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        guard
            let id = try await tx.first(
                "SELECT id FROM dossier_components WHERE ocr_status = 'pending' AND ocr_next_at <= ? ORDER BY ocr_next_at, id LIMIT 1\(lock)", now
            )?.string("id")
        else { return nil }
        let rows = try await tx.query(
            "UPDATE dossier_components SET ocr_status = 'running', ocr_attempts = ocr_attempts + 1 WHERE id = ? AND ocr_status = 'pending' RETURNING *",
            id)
        return try rows.first.map(StoredComponent.init)
    }

    /// Records the outcome of digitization: OCR state, text, suggestions, searchable copy and QC verdict.
    public static func finishDigitization(
        id: String, ocrStatus: String, ocrError: String?, ocrText: String?, suggestions: String?, searchable: String?, pages: Int?,
        qcStatus: String, qcReasons: String, retryAt: Date?, on tx: any SQLExecutor
    ) async throws {
        try await tx.query(
            """
            UPDATE dossier_components SET ocr_status = ?, ocr_error = ?, ocr_text = ?, ocr_suggestions = ?, searchable_sha256 = ?, pages = ?,
              qc_status = ?, qc_reasons = ?, ocr_next_at = ? WHERE id = ?
            """,
            [ocrStatus.sqlValue, ocrError.sqlValue, ocrText.sqlValue, suggestions.sqlValue, searchable.sqlValue, pages.sqlValue,
             qcStatus.sqlValue, qcReasons.sqlValue, retryAt.sqlValue, id.sqlValue])
    }

    /// Adds a result MotCua generated and signed itself: already a signed PDF/A, nothing to OCR or check.
    public static func insertIssuedResult(
        id: String, dossierId: String, componentCode: String, blob: String, size: Int, originalName: String, at now: Date, by username: String,
        signedBy: String?, on tx: any SQLExecutor
    ) async throws -> StoredComponent {
        let next = try await nextVersion(dossierId: dossierId, componentCode: componentCode, on: tx)
        let rows = try await tx.query(
            """
            INSERT INTO dossier_components (id, dossier_id, component_code, version, kind, blob_sha256, original_name, media_type, size,
              uploaded_at, uploaded_by, qc_status, qc_reasons, ocr_status, ocr_attempts, pages, signed_sha256, signed_by, signed_at)
            VALUES (?, ?, ?, ?, 'result', ?, ?, 'application/pdf', ?, ?, ?, 'passed', '[]', 'generated', 0, NULL, ?, ?, ?) RETURNING *
            """,
            [id.sqlValue, dossierId.sqlValue, componentCode.sqlValue, next.sqlValue, blob.sqlValue, originalName.sqlValue, size.sqlValue,
             now.sqlValue, username.sqlValue, (signedBy == nil ? nil : blob).sqlValue, signedBy.sqlValue, (signedBy == nil ? nil : now).sqlValue])
        guard let r = rows.first else { throw StorageError.failed("component insert returned nothing") }
        return try StoredComponent(r)
    }

    /// Records the reception signature of a digitized copy (or why there is none).
    public static func recordSignature(id: String, signed: String?, by signer: String?, at: Date?, error: String?, on tx: any SQLExecutor) async throws {
        try await tx.query(
            "UPDATE dossier_components SET signed_sha256 = ?, signed_by = ?, signed_at = ?, sign_error = ? WHERE id = ?",
            [signed.sqlValue, signer.sqlValue, at.sqlValue, error.sqlValue, id.sqlValue])
    }
}
