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
    public func login(username: String, password: String, kind: TokenKind = .api) async throws -> IssuedToken {
        let now = app.clock.now()
        let user = try await AccountStore.user(username, on: app.database)
        if let user, let until = user.lockedUntil, until > now { throw Self.locked(until, now: now) }
        // Verify against a fixed hash when the user is unknown, to keep timing similar.
        let hash = user?.passwordHash ?? "$2b$10$0000000000000000000000000000000000000000000000000000."
        let ok = Bcrypt.verify(password, hash: hash)
        guard let user, user.active else { throw ServiceError.unauthorized("wrong username or password") }
        guard ok else {
            let failed = try await AccountStore.recordFailedSignIn(user.username, at: now, lock: { [throttle = app.config.signInThrottle] in throttle.lock(afterFailures: $0) }, on: app.database)
            if let until = failed.lockedUntil { throw Self.locked(until, now: now) }
            throw ServiceError.unauthorized("wrong username or password")
        }
        if user.failedSignIns > 0 || user.lockedUntil != nil { try await AccountStore.recordSuccessfulSignIn(user.username, on: app.database) }
        var bytes = [UInt8](repeating: 0, count: 32)
        var g = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &g) }
        let token = Digits.hex(bytes)
        try await AccountStore.insertToken(
            hash: Self.digest(token), username: user.username, issuedAt: now, expiresAt: now.addingTimeInterval(app.config.tokenLifetime),
            kind: kind.rawValue, on: app.database)
        return IssuedToken(accessToken: token, expiresIn: Int(app.config.tokenLifetime), user: user)
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

    static func locked(_ until: Date, now: Date) -> ServiceError {
        // Rounded up to the minute: "until 10:41" must not open at 10:40:30.
        let local = VietnamTime.local(until.addingTimeInterval(59))
        return .locked(
            until: until, seconds: Int(until.timeIntervalSince(now).rounded(.up)),
            message: "too many wrong passwords: the account is locked until \(Digits.pad(local.minuteOfDay / 60, 2)):\(Digits.pad(local.minuteOfDay % 60, 2)) \(local.date) (Vietnam time); try again then, or ask an administrator to unlock it")
    }

    static func digest(_ token: String) -> String {
        Digits.hex(SHA256.hash(data: Data(token.utf8)))
    }
}
