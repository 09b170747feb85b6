// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation
import HummingbirdBcrypt
import Storage

/// An issued API token.
public struct IssuedToken: Sendable {
    public let accessToken: String
    public let expiresIn: Int
    /// 1: the password only; 2: the password and the second factor.
    public let assurance: Int
    /// Whom it was issued to.
    public let user: StoredUser
}

/// Sign-in with username and password (bcrypt), and bearer tokens stored only as hashes.
public struct AccountService: Sendable {
    let app: MotCua

    public func hashPassword(_ password: String) -> String {
        Bcrypt.hash(password, cost: app.config.bcryptCost)
    }

    /// Creates an account; a taken username is refused and left as it was.
    public func create(username: String, password: String, fullName: String, roles: Set<Role>, unit: String?) async throws {
        let user = StoredUser(username: username, passwordHash: hashPassword(password), fullName: fullName, roles: roles, unit: unit, idNumber: nil)
        guard try await AccountStore.insert(user, at: app.clock.now(), on: app.database) else {
            throw ServiceError.invalid(field: "username", message: "the username \(username) is taken")
        }
    }

    /// The active accounts of a unit (a leader assigns among its specialists).
    public func users(unit: String) async throws -> [StoredUser] { try await AccountStore.users(unit: unit, on: app.database) }

    /// Creates or updates an account.
    public func save(username: String, password: String, fullName: String, roles: Set<Role>, unit: String?, idNumber: String? = nil) async throws {
        try await AccountStore.upsert(
            StoredUser(username: username, passwordHash: hashPassword(password), fullName: fullName, roles: roles, unit: unit, idNumber: idNumber),
            at: app.clock.now(), on: app.database)
    }

    /// What a token opens: the API (bearer) or the pages (the sign-in cookie); one never opens the other.
    public enum TokenKind: String, Sendable { case api, session }

    /// Checks the password and issues a token. The same answer for an unknown user and a wrong
    /// password, so the endpoint does not reveal which usernames exist; wrong passwords in a row
    /// lock the account for a while (``SignInThrottle``), and a locked account is not even asked
    /// for its password.
    ///
    /// With `secondFactor` (a TOTP code or a recovery code) for an account that has one, the token
    /// has assurance 2; a wrong one fails the sign-in and counts like a wrong password.
    public func login(username: String, password: String, secondFactor: String? = nil, kind: TokenKind = .api) async throws -> IssuedToken {
        let now = app.clock.now()
        let user = try await AccountStore.user(username, on: app.database)
        if let user, let until = user.lockedUntil, until > now { throw Self.locked(until, now: now) }
        let ok = Self.verify(password, of: user)
        guard let user, user.active else { throw ServiceError.unauthorized("wrong username or password") }
        guard ok else {
            throw try await wrongAttempt(user.username, at: now, .unauthorized("wrong username or password"))
        }
        guard !user.roles.contains(.client) else {
            throw ServiceError.unauthorized("\(user.username) is an API client: ask for a token at /api/v1/oauth/token with grant_type=client_credentials")
        }
        var assurance = 1
        if let code = secondFactor, !code.isEmpty, user.hasSecondFactor {
            guard try await checkSecondFactor(user.username, code, at: now) else {
                throw try await wrongAttempt(user.username, at: now, .unauthorized("wrong or already used code"))
            }
            assurance = 2
        }
        if user.failedSignIns > 0 || user.lockedUntil != nil { try await AccountStore.recordSuccessfulSignIn(user.username, on: app.database) }
        return try await issue(to: user, assurance: assurance, kind: kind, at: now)
    }

    /// A new token for someone who has proved who they are (a password, a sign-in provider, an
    /// API client's secret); `scopes` are a client token's.
    func issue(to user: StoredUser, assurance: Int, kind: TokenKind, scopes: Set<APIScope>? = nil, at now: Date) async throws -> IssuedToken {
        let token = RandomBytes.token()
        try await AccountStore.insertToken(
            hash: Self.digest(token), username: user.username, issuedAt: now, expiresAt: now.addingTimeInterval(app.config.tokenLifetime),
            kind: kind.rawValue, level: assurance, scopes: scopes, on: app.database)
        var issued = user
        if let scopes { issued.scopes = scopes }
        return IssuedToken(accessToken: token, expiresIn: Int(app.config.tokenLifetime), assurance: assurance, user: issued)
    }

    /// Whether `password` is the account's. Checked against a fixed hash when there is no such
    /// account, to keep the timing alike; an account that signs in only through a provider has
    /// no password to match.
    static func verify(_ password: String, of user: StoredUser?) -> Bool {
        let dummy = "$2b$10$0000000000000000000000000000000000000000000000000000."
        let stored = user?.passwordHash ?? dummy
        return Bcrypt.verify(password, hash: stored == unusablePassword ? dummy : stored) && stored != unusablePassword
    }

    /// Ends a session (or revokes a token): it stops working at once.
    public func logout(token: String) async throws {
        try await AccountStore.deleteToken(hash: Self.digest(token), on: app.database)
    }

    /// Every account (the pages list a unit's specialists for assignment).
    public func users() async throws -> [StoredUser] { try await AccountStore.users(on: app.database) }

    /// The account behind a live token of `kind`, or nil when it is unknown, expired or of the other kind.
    public func authenticate(token: String, kind: TokenKind = .api) async throws -> StoredUser? {
        guard token.count == 64 else { return nil }
        return try await AccountStore.userForToken(hash: Self.digest(token), kind: kind.rawValue, at: app.clock.now(), on: app.database)
    }

    /// After a write made with `token`: its next reads must see it, so they go to the standby
    /// only once it has replayed this far (nothing to do without a standby).
    public func fenceReads(token: String) async throws {
        guard app.replica != nil else { return }
        try await AccountStore.setReadFence(hash: Self.digest(token), on: app.database)
    }

    // MARK: second factor

    /// What an authenticator app needs: the secret (to type) and the `otpauth://` address (the QR).
    public struct Enrolment: Sendable {
        public let secret: String
        public let uri: String
    }

    /// Starts setting up a second factor: a new secret, not in force until a code from it is
    /// confirmed. An account that has one must have it reset by an administrator first.
    public func beginSecondFactor(for user: StoredUser) async throws -> Enrolment {
        if let f = try await AccountStore.secondFactor(user.username, on: app.database), f.confirmedAt != nil {
            throw ServiceError.conflict(message: "a second factor is already set up; an administrator can reset it", status: nil, allowedActions: [], currentVersion: nil)
        }
        let secret = TOTP.newSecret()
        try await AccountStore.setSecondFactor(user.username, secret: try app.secretBox().seal(Base32.encode(secret), for: user.username), on: app.database)
        return Enrolment(secret: Base32.encode(secret), uri: TOTP.provisioningURI(secret: secret, account: user.username, issuer: "MotCua"))
    }

    /// The set-up begun and not yet confirmed, to show again (a mistyped first code).
    public func pendingSecondFactor(for username: String) async throws -> Enrolment? {
        guard let (f, secret) = try await secondFactor(username), f.confirmedAt == nil else { return nil }
        return Enrolment(secret: Base32.encode(secret), uri: TOTP.provisioningURI(secret: secret, account: username, issuer: "MotCua"))
    }

    /// Puts the second factor in force with a first code from the app, and returns ten recovery
    /// codes (shown once; stored only as hashes), each good once instead of a code.
    public func confirmSecondFactor(for username: String, code: String) async throws -> [String] {
        let now = app.clock.now()
        guard let (f, secret) = try await secondFactor(username), f.confirmedAt == nil else {
            throw ServiceError.invalid(field: "code", message: "start setting up the second factor first")
        }
        guard let step = TOTP.matchingStep(code, secret: secret, at: now, after: nil) else {
            throw ServiceError.invalid(field: "code", message: "this is not the app's current code; check the phone's clock and type the six digits shown now")
        }
        let codes = (0..<10).map { _ in
            let raw = Base32.encode(RandomBytes.make(5)).lowercased()
            return String(raw.prefix(4)) + "-" + String(raw.dropFirst(4))
        }
        try await app.database.transaction { tx in
            try await AccountStore.confirmSecondFactor(username, step: step, recoveryCodeHashes: codes.map(Self.recoveryHash), at: now, on: tx)
            try await AccountStore.recordEvent(
                id: TimeOrderedID.make(at: now), at: now, username: username, actor: username, action: "second-factor-enrolled", detail: nil, on: tx)
        }
        return codes
    }

    /// Whether `code` is the account's current TOTP code (not used before) or one of its unused
    /// recovery codes (then used up, and recorded).
    func checkSecondFactor(_ username: String, _ code: String, at now: Date) async throws -> Bool {
        guard let (f, secret) = try await secondFactor(username), f.confirmedAt != nil else { return false }
        if let step = TOTP.matchingStep(code, secret: secret, at: now, after: f.lastStep) {
            return try await AccountStore.useStep(username, step, on: app.database)
        }
        let hash = Self.recoveryHash(code)
        guard f.recoveryCodeHashes.contains(hash), try await AccountStore.useRecoveryCode(username, hash: hash, on: app.database) else { return false }
        try await app.database.transaction { tx in
            try await AccountStore.recordEvent(
                id: TimeOrderedID.make(at: now), at: now, username: username, actor: username, action: "recovery-code-used",
                detail: "\(f.recoveryCodeHashes.count - 1) left", on: tx)
        }
        return true
    }

    /// An account's second factor and its secret's bytes, opened with the instance's key.
    private func secondFactor(_ username: String) async throws -> (AccountStore.SecondFactor, [UInt8])? {
        guard let f = try await AccountStore.secondFactor(username, on: app.database) else { return nil }
        guard let secret = Base32.decode(try app.secretBox().open(f.storedSecret, for: username)) else { throw SecretBox.Failure.damaged }
        return (f, secret)
    }

    /// Seals under the current key the TOTP secrets stored before sealing existed or sealed
    /// under the previous key (a rotation), and refuses to go on (with the reason) when one was
    /// sealed under a key it does not have: instances that share a database must share the key,
    /// or no official with a second factor could sign in on this one. Run at start.
    public func sealStoredSecrets() async throws -> Int {
        let box = try app.secretBox()
        var sealed = 0
        for (username, stored) in try await AccountStore.storedSecondFactorSecrets(on: app.database) where !box.isCurrent(stored) {
            let plain = try box.open(stored, for: username)
            try await AccountStore.replaceStoredSecret(username, old: stored, new: try box.seal(plain, for: username), on: app.database)
            sealed += 1
        }
        return sealed
    }

    /// The pages' second step: a session signed in with the password becomes assurance 2.
    public func elevate(session token: String, code: String) async throws {
        let now = app.clock.now()
        guard let user = try await authenticate(token: token, kind: .session) else { throw ServiceError.unauthorized("sign in again") }
        guard try await checkSecondFactor(user.username, code, at: now) else {
            throw try await wrongAttempt(user.username, at: now, .invalid(field: "code", message: "wrong or already used code"))
        }
        try await AccountStore.setTokenLevel(hash: Self.digest(token), level: 2, on: app.database)
    }

    /// Removes an account's second factor (a lost phone); only administrators, and recorded.
    public func resetSecondFactor(username: String, by actor: Actor) async throws {
        guard actor.has(.admin) else { throw ServiceError.forbidden("only administrators reset a second factor") }
        guard try await AccountStore.user(username, on: app.database) != nil else { throw ServiceError.notFound(what: "account", key: username) }
        let now = app.clock.now()
        try await app.database.transaction { tx in
            try await AccountStore.setSecondFactor(username, secret: nil, on: tx)
            try await AccountStore.recordEvent(
                id: TimeOrderedID.make(at: now), at: now, username: username, actor: actor.username, action: "second-factor-reset", detail: nil, on: tx)
        }
    }

    /// Unbinds an account from its single sign-on identity (its owner's portal account was
    /// replaced): the next single sign-on naming the account binds it again. Administrators
    /// only, and recorded.
    public func unbindSingleSignOn(username: String, by actor: Actor) async throws {
        guard actor.has(.admin) else { throw ServiceError.forbidden("only administrators unbind a single sign-on identity") }
        guard try await AccountStore.user(username, on: app.database) != nil else { throw ServiceError.notFound(what: "account", key: username) }
        let now = app.clock.now()
        try await app.database.transaction { tx in
            try await AccountStore.unbindSSO(username, on: tx)
            try await AccountStore.recordEvent(
                id: TimeOrderedID.make(at: now), at: now, username: username, actor: actor.username, action: "sso-unbound", detail: nil, on: tx)
        }
    }

    static func recoveryHash(_ code: String) -> String {
        Digits.hex(SHA256.hash(data: Data(code.lowercased().filter { $0.isLetter || $0.isNumber }.utf8)))
    }

    /// Counts a wrong password or code toward the lock: the error to answer is the lock when this
    /// attempt set it, `otherwise` when it did not.
    func wrongAttempt(_ username: String, at now: Date, _ otherwise: ServiceError) async throws -> ServiceError {
        let throttle = app.config.signInThrottle
        let failed = try await AccountStore.recordFailedSignIn(username, at: now, lock: { throttle.lock(afterFailures: $0) }, on: app.database)
        return failed.lockedUntil.map { Self.locked($0, now: now) } ?? otherwise
    }

    static func locked(_ until: Date, now: Date) -> ServiceError {
        // Rounded up to the minute: "until 10:41" must not open at 10:40:30.
        let local = VietnamTime.local(until.addingTimeInterval(59))
        return .locked(
            until: until, seconds: Int(until.timeIntervalSince(now).rounded(.up)),
            message: "too many wrong passwords: the account is locked until \(Digits.pad(local.minuteOfDay / 60, 2)):\(Digits.pad(local.minuteOfDay % 60, 2)) \(local.date) (Vietnam time); try again then, or ask an administrator to unlock it")
    }

    /// The password hash of an account that signs in only through a provider: no password
    /// matches it (bcrypt hashes are 60 characters of another alphabet).
    static let unusablePassword = "!external-sign-in"

    static func digest(_ token: String) -> String {
        Digits.hex(SHA256.hash(data: Data(token.utf8)))
    }
}
