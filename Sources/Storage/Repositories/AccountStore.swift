// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// A stored account.
public struct StoredUser: Sendable, Hashable {
    public let username: String
    public let passwordHash: String
    public let fullName: String
    public let roles: Set<Role>
    public let unit: String?
    public let idNumber: String?
    public let active: Bool
    /// Wrong passwords in a row, and the lock they led to (migration 14).
    public var failedSignIns = 0
    public var lockedUntil: Date?
    /// The assurance of the token this account was found by: 1 password, 2 password and second factor.
    public var assurance = 1
    /// A second factor is set up and confirmed.
    public var hasSecondFactor = false
    /// An API client's scopes: those granted, or those of the token it was found by.
    public var scopes: Set<APIScope> = []
    /// Where this token's last write left the primary's log (with a standby configured).
    public var readFence: String?
    /// The single sign-on identity (`issuer#sub`) the account is bound to, once signed in that way.
    public var ssoSubject: String?

    public init(username: String, passwordHash: String, fullName: String, roles: Set<Role>, unit: String?, idNumber: String?, active: Bool = true) {
        self.username = username
        self.passwordHash = passwordHash
        self.fullName = fullName
        self.roles = roles
        self.unit = unit
        self.idNumber = idNumber
        self.active = active
    }

    /// The account acting with the assurance of the token it was found by.
    public var actor: Actor { Actor(username: username, roles: roles, unit: unit, idNumber: idNumber, assurance: assurance, scopes: scopes) }
}

/// Accounts, API tokens (stored as SHA-256 hashes only) and the personal-data access log.
public enum AccountStore {
    static let insertUser = "INSERT INTO users (username, password_hash, full_name, roles, unit_code, id_number, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"

    static func values(_ u: StoredUser, _ now: Date) -> [SQLValue] {
        [u.username.sqlValue, u.passwordHash.sqlValue, u.fullName.sqlValue, u.roles.map(\.rawValue).sorted().joined(separator: ",").sqlValue, u.unit.sqlValue,
         u.idNumber.sqlValue, (u.active ? 1 : 0).sqlValue, now.sqlValue]
    }

    public static func upsert(_ u: StoredUser, at now: Date, on db: any SQLExecutor) async throws {
        try await db.query(
            insertUser + """
                 ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, full_name = excluded.full_name,
                  roles = excluded.roles, unit_code = excluded.unit_code, id_number = excluded.id_number, active = excluded.active
                """, values(u, now))
    }

    /// A new account; false when the username is taken (nothing is changed then).
    public static func insert(_ u: StoredUser, at now: Date, on db: any SQLExecutor) async throws -> Bool {
        try await !db.query(insertUser + " ON CONFLICT (username) DO NOTHING RETURNING username", values(u, now)).isEmpty
    }

    /// Accounts by username, for many at once.
    public static func users(usernames: [String], on db: any SQLExecutor) async throws -> [String: StoredUser] {
        guard !usernames.isEmpty else { return [:] }
        let rows = try await db.query("SELECT * FROM users WHERE username IN (\(SQLText.marks(usernames.count)))", usernames.map(\.sqlValue))
        return Dictionary(rows.compactMap(map).map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The active accounts of a unit.
    public static func users(unit: String, on db: any SQLExecutor) async throws -> [StoredUser] {
        try await db.query("SELECT * FROM users WHERE unit_code = ? AND active = 1 ORDER BY username", unit).compactMap(map)
    }

    public static func user(_ username: String, on db: any SQLExecutor) async throws -> StoredUser? {
        guard let r = try await db.first("SELECT * FROM users WHERE username = ?", username) else { return nil }
        return map(r)
    }

    public static func users(on db: any SQLExecutor) async throws -> [StoredUser] {
        try await db.query("SELECT * FROM users ORDER BY username", []).compactMap(map)
    }

    static func map(_ r: Row) -> StoredUser? {
        guard let name = r.string("username"), let hash = r.string("password_hash") else { return nil }
        var user = StoredUser(
            username: name, passwordHash: hash, fullName: r.string("full_name") ?? name,
            roles: Set((r.string("roles") ?? "").split(separator: ",").compactMap { Role(rawValue: String($0)) }), unit: r.string("unit_code"),
            idNumber: r.string("id_number"), active: r.bool("active"))
        user.failedSignIns = r.int("failed_sign_ins") ?? 0
        user.lockedUntil = r.date("locked_until")
        user.assurance = r.int("level") ?? 1
        user.hasSecondFactor = r.string("totp_confirmed_at") != nil
        user.scopes = APIScope.parse(r.string("token_scopes") ?? r.string("scopes") ?? "") ?? []
        user.readFence = r.string("read_fence")
        user.ssoSubject = r.string("sso_subject")
        return user
    }

    /// Counts a wrong password; when `lock` says so, locks the account until then and records the
    /// lock in the ledger. Returns the failures in a row and the lock, if any.
    public static func recordFailedSignIn(
        _ username: String, at now: Date, lock: @escaping @Sendable (Int) -> TimeInterval?, on db: any Database
    ) async throws -> (failures: Int, lockedUntil: Date?) {
        try await db.transaction { tx in
            let failures = try await tx.first("UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE username = ? RETURNING failed_sign_ins", username)?
                .int("failed_sign_ins") ?? 0
            guard let seconds = lock(failures) else { return (failures, nil) }
            let until = now.addingTimeInterval(seconds)
            try await tx.query("UPDATE users SET locked_until = ? WHERE username = ?", until, username)
            try await recordEvent(
                id: TimeOrderedID.make(at: now), at: now, username: username, actor: "system", action: "locked",
                detail: "\(failures) wrong passwords in a row; locked until \(SQLTime.format(until))", on: tx)
            return (failures, until)
        }
    }

    /// An account's second factor: the TOTP secret as stored (sealed by the services), when it
    /// was confirmed, the last time step used, and the SHA-256 of each unused recovery code.
    public struct SecondFactor: Sendable {
        public let storedSecret: String
        public let confirmedAt: Date?
        public let lastStep: Int64?
        public let recoveryCodeHashes: [String]
    }

    public static func secondFactor(_ username: String, on db: any SQLExecutor) async throws -> SecondFactor? {
        guard let r = try await db.first("SELECT totp_secret, totp_confirmed_at, totp_last_step, recovery_codes FROM users WHERE username = ?", username),
            let secret = r.string("totp_secret")
        else { return nil }
        let codes = (r.string("recovery_codes") ?? "").split(separator: ",").map(String.init)
        return SecondFactor(storedSecret: secret, confirmedAt: r.date("totp_confirmed_at"), lastStep: r.int("totp_last_step").map(Int64.init), recoveryCodeHashes: codes)
    }

    /// The account bound to a single sign-on identity.
    public static func user(ssoSubject: String, on db: any SQLExecutor) async throws -> StoredUser? {
        guard let r = try await db.first("SELECT * FROM users WHERE sso_subject = ?", ssoSubject) else { return nil }
        return map(r)
    }

    /// Binds an account to a single sign-on identity if it is bound to none yet; false when it
    /// was bound meanwhile (or the identity is another account's).
    public static func bindSSO(_ username: String, subject: String, on tx: any SQLExecutor) async throws -> Bool {
        guard try await tx.first("SELECT 1 AS x FROM users WHERE sso_subject = ?", subject) == nil else { return false }
        return try await tx.first("UPDATE users SET sso_subject = ? WHERE username = ? AND sso_subject IS NULL RETURNING username", subject, username) != nil
    }

    /// Unbinds an account from its single sign-on identity (the person's portal account was
    /// replaced); the next single sign-on binds it again.
    public static func unbindSSO(_ username: String, on tx: any SQLExecutor) async throws {
        try await tx.query("UPDATE users SET sso_subject = NULL WHERE username = ?", username)
    }

    /// The accounts whose TOTP secret is stored, and the stored text.
    public static func storedSecondFactorSecrets(on db: any SQLExecutor) async throws -> [(username: String, stored: String)] {
        try await db.query("SELECT username, totp_secret FROM users WHERE totp_secret IS NOT NULL ORDER BY username").compactMap { r in
            r.string("totp_secret").map { (r.string("username") ?? "", $0) }
        }
    }

    /// Replaces a stored secret's text if it is still `old` (sealing one stored before sealing).
    public static func replaceStoredSecret(_ username: String, old: String, new: String, on db: any SQLExecutor) async throws {
        try await db.query("UPDATE users SET totp_secret = ? WHERE username = ? AND totp_secret = ?", new, username, old)
    }

    /// Starts (or restarts, or with nil removes) an account's second factor: nothing confirmed yet.
    public static func setSecondFactor(_ username: String, secret: String?, on db: any SQLExecutor) async throws {
        try await db.query(
            "UPDATE users SET totp_secret = ?, totp_confirmed_at = NULL, totp_last_step = NULL, recovery_codes = NULL WHERE username = ?", secret, username)
    }

    public static func confirmSecondFactor(_ username: String, step: Int64, recoveryCodeHashes: [String], at now: Date, on tx: any SQLExecutor) async throws {
        try await tx.query(
            "UPDATE users SET totp_confirmed_at = ?, totp_last_step = ?, recovery_codes = ? WHERE username = ?",
            now, Int(step), recoveryCodeHashes.joined(separator: ","), username)
    }

    /// Marks a time step used; false when it (or a later one) already was, so a code works once.
    public static func useStep(_ username: String, _ step: Int64, on db: any SQLExecutor) async throws -> Bool {
        try await db.first(
            "UPDATE users SET totp_last_step = ? WHERE username = ? AND (totp_last_step IS NULL OR totp_last_step < ?) RETURNING username", Int(step), username, Int(step)
        ) != nil
    }

    /// Uses up one recovery code; false when it is not one of the account's unused codes.
    public static func useRecoveryCode(_ username: String, hash: String, on db: any Database) async throws -> Bool {
        try await db.transaction { tx in
            let lock = tx.dialect == .postgres ? " FOR UPDATE" : ""
            guard let r = try await tx.first("SELECT recovery_codes FROM users WHERE username = ?" + lock, username) else { return false }
            var codes = (r.string("recovery_codes") ?? "").split(separator: ",").map(String.init)
            guard let i = codes.firstIndex(of: hash) else { return false }
            codes.remove(at: i)
            try await tx.query("UPDATE users SET recovery_codes = ? WHERE username = ?", codes.joined(separator: ","), username)
            return true
        }
    }

    /// Raises a token's assurance (the pages' second step of sign-in).
    public static func setTokenLevel(hash: String, level: Int, on db: any SQLExecutor) async throws {
        try await db.query("UPDATE access_tokens SET level = ? WHERE token_hash = ?", level, hash)
    }

    /// A right password starts the count again.
    public static func recordSuccessfulSignIn(_ username: String, on db: any SQLExecutor) async throws {
        try await db.query("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE username = ? AND (failed_sign_ins > 0 OR locked_until IS NOT NULL)", username)
    }

    /// `kind` is "api" (bearer tokens) or "session" (the pages' sign-in cookie).
    public static func insertToken(
        hash: String, username: String, issuedAt: Date, expiresAt: Date, kind: String, level: Int = 1, scopes: Set<APIScope>? = nil, on db: any SQLExecutor
    ) async throws {
        try await db.query(
            "INSERT INTO access_tokens (token_hash, username, issued_at, expires_at, kind, level, scopes) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [hash.sqlValue, username.sqlValue, issuedAt.sqlValue, expiresAt.sqlValue, kind.sqlValue, level.sqlValue, scopes.map(APIScope.text).sqlValue])
    }

    /// Registers an API client (an account with the role `client`) with its granted scopes.
    public static func insertClient(_ u: StoredUser, scopes: Set<APIScope>, at now: Date, on tx: any SQLExecutor) async throws -> Bool {
        guard try await insert(u, at: now, on: tx) else { return false }
        try await tx.query("UPDATE users SET scopes = ? WHERE username = ?", APIScope.text(scopes), u.username)
        return true
    }

    /// Disables an account and ends its tokens at once.
    public static func deactivate(_ username: String, on tx: any SQLExecutor) async throws {
        try await tx.query("UPDATE users SET active = 0 WHERE username = ? AND active = 1", username)
        try await tx.query("DELETE FROM access_tokens WHERE username = ?", username)
    }

    /// Records where the primary's log stands now as the token's read fence (PostgreSQL only:
    /// called after a write when a standby serves reads).
    public static func setReadFence(hash: String, on db: any SQLExecutor) async throws {
        try await db.query("UPDATE access_tokens SET read_fence = pg_current_wal_lsn()::text WHERE token_hash = ?", [.text(hash)])
    }

    public static func deleteToken(hash: String, on db: any SQLExecutor) async throws {
        try await db.query("DELETE FROM access_tokens WHERE token_hash = ?", hash)
    }

    /// The user a live token of `kind` belongs to.
    public static func userForToken(hash: String, kind: String, at now: Date, on db: any SQLExecutor) async throws -> StoredUser? {
        guard
            let r = try await db.first(
                "SELECT u.*, t.level, t.scopes AS token_scopes, t.read_fence FROM access_tokens t JOIN users u ON u.username = t.username WHERE t.token_hash = ? AND t.kind = ? AND t.expires_at > ? AND u.active = 1",
                hash, kind, now)
        else { return nil }
        return map(r)
    }

    /// Logs a look-up of a person's data, with its audit ledger entry (subject: the ID number),
    /// in a transaction of its own.
    public static func logPersonalDataAccess(id: String, at now: Date, actor: String, dossierCode: String?, idNumber: String, purpose: String, on db: any Database) async throws {
        try await db.transaction { tx in
            let values = [id.sqlValue, now.sqlValue, actor.sqlValue, dossierCode.sqlValue, idNumber.sqlValue, purpose.sqlValue]
            try await tx.query("INSERT INTO personal_data_access (id, at, actor, dossier_code, id_number, purpose) VALUES (?, ?, ?, ?, ?, ?)", values)
            try await AuditStore.append(.dataAccess, ref: id, at: now, actor: actor, subject: idNumber, values: values, on: tx)
        }
    }

    /// A look-up of a person's data, with who made it.
    public struct DataAccess: Sendable {
        public let at: Date
        public let actor: String
        public let actorName: String?
        public let actorUnit: String?
        public let dossierCode: String?
        public let purpose: String
    }

    /// The look-ups of a person's data, newest first.
    public static func dataAccesses(idNumber: String, limit: Int, on db: any SQLExecutor) async throws -> [DataAccess] {
        try await db.query(
            """
            SELECT p.at, p.actor, p.dossier_code, p.purpose, u.full_name, u.unit_code FROM personal_data_access p
            LEFT JOIN users u ON u.username = p.actor WHERE p.id_number = ? ORDER BY p.at DESC, p.id DESC LIMIT ?
            """, idNumber, limit
        ).compactMap { r in
            guard let at = r.date("at"), let actor = r.string("actor") else { return nil }
            return DataAccess(
                at: at, actor: actor, actorName: r.string("full_name"), actorUnit: r.string("unit_code"), dossierCode: r.string("dossier_code"),
                purpose: r.string("purpose") ?? "")
        }
    }

    /// Ties a look-up made before its dossier existed to the dossier, and records the row as it
    /// now is in the ledger (the latest entry of a ref is the one its row must match). Nil when no
    /// such look-up by `actor` is recent enough.
    public static func linkPersonalDataAccess(
        id: String, dossierCode: String, actor: String, idNumber: String, purpose: String, since: Date, at now: Date, on tx: any SQLExecutor
    ) async throws -> Bool {
        let source = AuditStore.Source.dataAccess
        guard
            let row = try await tx.first(
                """
                UPDATE personal_data_access SET dossier_code = ? WHERE id = ? AND actor = ? AND id_number = ? AND purpose = ? AND at >= ? AND dossier_code IS NULL
                RETURNING \(source.columns.joined(separator: ", "))
                """, dossierCode, id, actor, idNumber, purpose, since)
        else { return false }
        try await AuditStore.append(source, ref: id, at: now, actor: actor, subject: idNumber, values: AuditStore.values(source, row), on: tx)
        return true
    }

    /// Records a change to an account's security (password or factor set or reset, lock-out),
    /// with its audit ledger entry (subject: the username).
    public static func recordEvent(id: String, at now: Date, username: String, actor: String, action: String, detail: String?, on tx: any SQLExecutor) async throws {
        let values = [id.sqlValue, now.sqlValue, username.sqlValue, actor.sqlValue, action.sqlValue, detail.sqlValue]
        try await tx.query("INSERT INTO account_events (id, at, username, actor, action, detail) VALUES (?, ?, ?, ?, ?, ?)", values)
        try await AuditStore.append(.accountEvent, ref: id, at: now, actor: actor, subject: username, values: values, on: tx)
    }

    /// A sign-in sent to an OpenID Connect provider (migration 15); the state is stored hashed.
    public struct SignInRequest: Sendable {
        public let provider: String
        public let nonce: String
        public let codeVerifier: String
        public let nextPath: String
        public let createdAt: Date

        public init(provider: String, nonce: String, codeVerifier: String, nextPath: String, createdAt: Date) {
            self.provider = provider
            self.nonce = nonce
            self.codeVerifier = codeVerifier
            self.nextPath = nextPath
            self.createdAt = createdAt
        }
    }

    /// Stores a request, and forgets those older than `expired` (abandoned sign-ins).
    public static func insertSignInRequest(stateHash: String, _ r: SignInRequest, expired: Date, on db: any Database) async throws {
        try await db.transaction { tx in
            try await tx.query("DELETE FROM sign_in_requests WHERE created_at < ?", expired)
            try await tx.query(
                "INSERT INTO sign_in_requests (state_hash, provider, nonce, code_verifier, next_path, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [stateHash.sqlValue, r.provider.sqlValue, r.nonce.sqlValue, r.codeVerifier.sqlValue, r.nextPath.sqlValue, r.createdAt.sqlValue])
        }
    }

    /// Takes a request out: it answers once, whoever asks first.
    public static func takeSignInRequest(stateHash: String, on db: any SQLExecutor) async throws -> SignInRequest? {
        guard
            let r = try await db.first(
                "DELETE FROM sign_in_requests WHERE state_hash = ? RETURNING provider, nonce, code_verifier, next_path, created_at", stateHash),
            let provider = r.string("provider"), let nonce = r.string("nonce"), let verifier = r.string("code_verifier"),
            let next = r.string("next_path"), let created = r.date("created_at")
        else { return nil }
        return SignInRequest(provider: provider, nonce: nonce, codeVerifier: verifier, nextPath: next, createdAt: created)
    }

    /// The citizen account of a personal ID number, if any.
    public static func citizen(idNumber: String, on db: any SQLExecutor) async throws -> StoredUser? {
        try await db.query("SELECT * FROM users WHERE id_number = ? ORDER BY username", idNumber).compactMap(map).first { $0.roles.contains(.citizen) }
    }

    public static func setting(_ key: String, on db: any SQLExecutor) async throws -> String? {
        try await db.first("SELECT value FROM settings WHERE key = ?", key)?.string("value")
    }

    public static func setSetting(_ key: String, _ value: String, on db: any SQLExecutor) async throws {
        try await db.query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
    }
}
