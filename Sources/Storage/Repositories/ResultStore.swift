// SPDX-License-Identifier: Apache-2.0
import Foundation

/// An electronic result as registered: the signed PDF's hash and its status. The public page
/// behind the QR code on the result shows exactly this (no personal data).
public struct StoredResult: Sendable, Hashable {
    /// Valid until revoked, or superseded by a later result for the same dossier.
    public enum Status: String, Sendable, Codable {
        case valid, revoked, superseded
    }

    /// Unguessable: it is printed in the QR code and opens the public page.
    public let id: String
    public let dossierId: String
    public let componentId: String?
    public let sha256: String
    public let template: String?
    public let title: String
    public let issuer: String
    /// Who signed, in signing order.
    public let signers: [String]
    public let status: Status
    public let issuedAt: Date
    public let issuedBy: String
    public let statusChangedAt: Date?
    public let statusReason: String?
    public let supersededBy: String?

    init(_ r: Row) throws {
        id = try r.require("id")
        dossierId = try r.require("dossier_id")
        componentId = r.string("component_id")
        sha256 = try r.require("blob_sha256")
        template = r.string("template")
        title = try r.require("title")
        issuer = try r.require("issuer")
        signers = (try? JSONDecoder().decode([String].self, from: Data((r.string("signers") ?? "[]").utf8))) ?? []
        status = Status(rawValue: try r.require("status")) ?? .valid
        issuedAt = r.date("issued_at") ?? Date(timeIntervalSince1970: 0)
        issuedBy = try r.require("issued_by")
        statusChangedAt = r.date("status_changed_at")
        statusReason = r.string("status_reason")
        supersededBy = r.string("superseded_by")
    }
}

/// Results and result drafts in SQL.
public enum ResultStore {
    /// Registers a result; earlier valid results of the dossier become superseded by it.
    public static func insert(
        id: String, dossierId: String, componentId: String?, sha256: String, template: String?, title: String, issuer: String, signers: [String],
        at now: Date, by username: String, on tx: any SQLExecutor
    ) async throws {
        try await tx.query(
            """
            UPDATE results SET status = 'superseded', status_changed_at = ?, status_reason = ?, superseded_by = ?
            WHERE dossier_id = ? AND status = 'valid'
            """,
            [now.sqlValue, "replaced by a later result".sqlValue, id.sqlValue, dossierId.sqlValue])
        let signersJSON = String(decoding: try JSONEncoder().encode(signers), as: UTF8.self)
        try await tx.query(
            """
            INSERT INTO results (id, dossier_id, component_id, blob_sha256, template, title, issuer, signers, status, issued_at, issued_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'valid', ?, ?)
            """,
            [id.sqlValue, dossierId.sqlValue, componentId.sqlValue, sha256.sqlValue, template.sqlValue, title.sqlValue, issuer.sqlValue,
             signersJSON.sqlValue, now.sqlValue, username.sqlValue])
    }

    public static func result(id: String, on db: any SQLExecutor) async throws -> StoredResult? {
        try await db.first("SELECT * FROM results WHERE id = ?", id).map(StoredResult.init)
    }

    /// Results registered with these exact bytes (normally one).
    public static func results(sha256: String, on db: any SQLExecutor) async throws -> [StoredResult] {
        try await db.query("SELECT * FROM results WHERE blob_sha256 = ? ORDER BY issued_at DESC, id", sha256).map(StoredResult.init)
    }

    /// A dossier's results, newest first.
    public static func results(dossierId: String, on db: any SQLExecutor) async throws -> [StoredResult] {
        try await db.query("SELECT * FROM results WHERE dossier_id = ? ORDER BY issued_at DESC, id DESC", dossierId).map(StoredResult.init)
    }

    /// Revokes a valid result; false when it was not valid.
    public static func revoke(id: String, reason: String, at now: Date, on tx: any SQLExecutor) async throws -> Bool {
        let rows = try await tx.query(
            "UPDATE results SET status = 'revoked', status_changed_at = ?, status_reason = ? WHERE id = ? AND status = 'valid' RETURNING id",
            [now.sqlValue, reason.sqlValue, id.sqlValue])
        return !rows.isEmpty
    }

    /// The specialist's draft of the result's fields (JSON object of strings).
    public static func draft(dossierId: String, on db: any SQLExecutor) async throws -> (fields: [String: String], updatedAt: Date?, updatedBy: String?)? {
        guard let r = try await db.first("SELECT * FROM result_drafts WHERE dossier_id = ?", dossierId) else { return nil }
        let fields = (try? JSONDecoder().decode([String: String].self, from: Data((r.string("fields") ?? "{}").utf8))) ?? [:]
        return (fields, r.date("updated_at"), r.string("updated_by"))
    }

    public static func putDraft(dossierId: String, fields: [String: String], at now: Date, by username: String, on tx: any SQLExecutor) async throws {
        let json = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
        try await tx.query(
            """
            INSERT INTO result_drafts (dossier_id, fields, updated_at, updated_by) VALUES (?, ?, ?, ?)
            ON CONFLICT (dossier_id) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """,
            [dossierId.sqlValue, json.sqlValue, now.sqlValue, username.sqlValue])
    }
}
