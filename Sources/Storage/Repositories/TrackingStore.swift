// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// One-time tracking codes, the grants they open, and the outbox of messages (migration 16).
public enum TrackingStore {
    /// The code waiting for a dossier.
    public struct Pending: Sendable {
        public let codeHash: String
        public let phone: String
        public let sentAt: Date
        public let expiresAt: Date
        public let attempts: Int
        public let hourStartedAt: Date
        public let sentInHour: Int

        public init(codeHash: String, phone: String, sentAt: Date, expiresAt: Date, attempts: Int, hourStartedAt: Date, sentInHour: Int) {
            self.codeHash = codeHash
            self.phone = phone
            self.sentAt = sentAt
            self.expiresAt = expiresAt
            self.attempts = attempts
            self.hourStartedAt = hourStartedAt
            self.sentInHour = sentInHour
        }
    }

    /// A dossier's pending code, locked for the rest of the transaction (PostgreSQL; SQLite has one writer).
    public static func pending(dossierCode: String, on db: any SQLExecutor) async throws -> Pending? {
        let lock = db.dialect == .postgres ? " FOR UPDATE" : ""
        guard let r = try await db.first("SELECT * FROM tracking_codes WHERE dossier_code = ?" + lock, dossierCode),
            let hash = r.string("code_hash"), let phone = r.string("phone"), let sent = r.date("sent_at"), let expires = r.date("expires_at"),
            let hour = r.date("hour_started_at")
        else { return nil }
        return Pending(codeHash: hash, phone: phone, sentAt: sent, expiresAt: expires, attempts: r.int("attempts") ?? 0, hourStartedAt: hour, sentInHour: r.int("sent_in_hour") ?? 0)
    }

    /// Makes sure the dossier has a row to lock: with none, `FOR UPDATE` locks nothing and
    /// parallel first requests would each send a code. The placeholder holds no usable code.
    public static func reserve(dossierCode: String, at now: Date, on tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            INSERT INTO tracking_codes (dossier_code, code_hash, phone, sent_at, expires_at, attempts, hour_started_at, sent_in_hour)
            VALUES (?, '', '', ?, ?, 0, ?, 0) ON CONFLICT (dossier_code) DO NOTHING
            """, [dossierCode.sqlValue, Date(timeIntervalSince1970: 0).sqlValue, now.sqlValue, now.sqlValue])
    }

    public static func savePending(dossierCode: String, _ p: Pending, on tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            INSERT INTO tracking_codes (dossier_code, code_hash, phone, sent_at, expires_at, attempts, hour_started_at, sent_in_hour) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dossier_code) DO UPDATE SET code_hash = excluded.code_hash, phone = excluded.phone, sent_at = excluded.sent_at,
            expires_at = excluded.expires_at, attempts = excluded.attempts, hour_started_at = excluded.hour_started_at, sent_in_hour = excluded.sent_in_hour
            """,
            [dossierCode.sqlValue, p.codeHash.sqlValue, p.phone.sqlValue, p.sentAt.sqlValue, p.expiresAt.sqlValue, p.attempts.sqlValue, p.hourStartedAt.sqlValue, p.sentInHour.sqlValue])
    }

    public static func countWrongAttempt(dossierCode: String, on db: any SQLExecutor) async throws {
        try await db.query("UPDATE tracking_codes SET attempts = attempts + 1 WHERE dossier_code = ?", dossierCode)
    }

    /// Used up: the code cannot open a second grant. The hour's count stays with the row.
    public static func usePending(dossierCode: String, at now: Date, on tx: any SQLExecutor) async throws {
        try await tx.query("UPDATE tracking_codes SET code_hash = '', expires_at = ? WHERE dossier_code = ?", now, dossierCode)
    }

    public static func insertGrant(tokenHash: String, dossierCode: String, phone: String, expiresAt: Date, on tx: any SQLExecutor) async throws {
        try await tx.query(
            "INSERT INTO tracking_grants (token_hash, dossier_code, phone, expires_at) VALUES (?, ?, ?, ?)",
            [tokenHash.sqlValue, dossierCode.sqlValue, phone.sqlValue, expiresAt.sqlValue])
    }

    /// The phone a live grant for this dossier was opened with.
    public static func grant(tokenHash: String, dossierCode: String, at now: Date, on db: any SQLExecutor) async throws -> String? {
        try await db.first("SELECT phone FROM tracking_grants WHERE token_hash = ? AND dossier_code = ? AND expires_at > ?", tokenHash, dossierCode, now)?.string("phone")
    }

    /// Forgets expired grants and codes whose hour has passed.
    public static func purge(at now: Date, on db: any SQLExecutor) async throws {
        try await db.query("DELETE FROM tracking_grants WHERE expires_at < ?", now)
        try await db.query("DELETE FROM tracking_codes WHERE expires_at < ? AND hour_started_at < ?", now, now.addingTimeInterval(-3600))
    }

    // MARK: Outbox

    public struct Message: Sendable {
        public let id: String
        public let channel: String
        public let recipient: String
        /// With `{secret}` where the code goes.
        public let body: String
        public let secret: String?
        public let attempts: Int

        /// The text to send.
        public var text: String { body.replacingOccurrences(of: "{secret}", with: secret ?? "") }
    }

    public static func enqueue(
        id: String, channel: String, recipient: String, body: String, secret: String?, purpose: String, dossierCode: String?, at now: Date, on tx: any SQLExecutor
    ) async throws {
        try await tx.query(
            "INSERT INTO notifications (id, channel, recipient, body, secret, purpose, dossier_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [id.sqlValue, channel.sqlValue, recipient.sqlValue, body.sqlValue, secret.sqlValue, purpose.sqlValue, dossierCode.sqlValue, now.sqlValue])
    }

    /// Messages not sent yet, oldest first, that have not failed `maxAttempts` times.
    public static func unsent(limit: Int, maxAttempts: Int, on db: any SQLExecutor) async throws -> [Message] {
        try await db.query(
            "SELECT id, channel, recipient, body, secret, attempts FROM notifications WHERE sent_at IS NULL AND attempts < ? ORDER BY created_at LIMIT ?", maxAttempts, limit
        ).compactMap { r in
            guard let id = r.string("id"), let channel = r.string("channel"), let to = r.string("recipient"), let body = r.string("body") else { return nil }
            return Message(id: id, channel: channel, recipient: to, body: body, secret: r.string("secret"), attempts: r.int("attempts") ?? 0)
        }
    }

    /// Takes a message to send: true for exactly one of several senders that saw it at `attempts`.
    public static func claim(_ m: Message, on db: any SQLExecutor) async throws -> Bool {
        try await db.first("UPDATE notifications SET attempts = attempts + 1 WHERE id = ? AND sent_at IS NULL AND attempts = ? RETURNING id", m.id, m.attempts) != nil
    }

    /// Sent: the code is erased, only the text around it stays.
    public static func markSent(id: String, at now: Date, on db: any SQLExecutor) async throws {
        try await db.query("UPDATE notifications SET sent_at = ?, secret = NULL, last_error = NULL WHERE id = ?", now, id)
    }

    public static func markFailed(id: String, error: String, on db: any SQLExecutor) async throws {
        try await db.query("UPDATE notifications SET last_error = ? WHERE id = ?", error, id)
    }
}
