// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// A document in an owner's data warehouse.
public struct WarehouseDocument: Sendable, Hashable, Codable {
    public let id: String
    public let ownerIdNumber: String
    public let documentType: String
    public let title: String
    public let number: String?
    public let issuer: String?
    public let issuedOn: String?
    public let validUntil: String?
    public let blobSHA256: String
    public let sourceDossierId: String?
    public let sourceComponentId: String?
    public let createdAt: Date

    init(_ r: Row) throws {
        id = try r.require("id")
        ownerIdNumber = try r.require("owner_id_number")
        documentType = try r.require("document_type")
        title = try r.require("title")
        number = r.string("number")
        issuer = r.string("issuer")
        issuedOn = r.string("issued_on")
        validUntil = r.string("valid_until")
        blobSHA256 = try r.require("blob_sha256")
        sourceDossierId = r.string("source_dossier_id")
        sourceComponentId = r.string("source_component_id")
        createdAt = r.date("created_at") ?? Date(timeIntervalSince1970: 0)
    }

    /// Valid on a date: no expiry, or expiring on or after it.
    public func isValid(on day: LocalDate) -> Bool {
        guard let v = validUntil, let until = LocalDate(iso: v) else { return true }
        return until >= day
    }
}

/// The owners' data warehouses in SQL.
public enum WarehouseStore {
    /// Files a document (once per owner, type and content).
    public static func file(
        id: String, owner: String, type: String, title: String, issuer: String?, issuedOn: LocalDate?, blob: String, dossierId: String?,
        componentId: String?, at now: Date, on tx: any SQLExecutor
    ) async throws {
        try await tx.query(
            """
            INSERT INTO warehouse_documents (id, owner_id_number, document_type, title, issuer, issued_on, blob_sha256, source_dossier_id,
              source_component_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (owner_id_number, document_type, blob_sha256) DO NOTHING
            """,
            [id.sqlValue, owner.sqlValue, type.sqlValue, title.sqlValue, issuer.sqlValue, issuedOn?.description.sqlValue ?? .null, blob.sqlValue,
             dossierId.sqlValue, componentId.sqlValue, now.sqlValue])
    }

    public static func documents(owner: String, types: [String]? = nil, on db: any SQLExecutor) async throws -> [WarehouseDocument] {
        var sql = "SELECT * FROM warehouse_documents WHERE owner_id_number = ?"
        var binds: [SQLValue] = [.text(owner)]
        if let types, !types.isEmpty {
            sql += " AND document_type IN (\(types.map { _ in "?" }.joined(separator: ", ")))"
            binds += types.map { .text($0) }
        }
        return try await db.query(sql + " ORDER BY created_at DESC, id", binds).map(WarehouseDocument.init)
    }

    public static func document(id: String, on db: any SQLExecutor) async throws -> WarehouseDocument? {
        try await db.first("SELECT * FROM warehouse_documents WHERE id = ?", id).map(WarehouseDocument.init)
    }
}
