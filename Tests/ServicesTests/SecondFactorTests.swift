// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

@Suite("TOTP (RFC 6238)")
struct TOTPTests {
    @Test("the RFC's SHA-1 test vectors (8 digits)")
    func vectors() {
        let secret = Array("12345678901234567890".utf8)
        let expected: [(TimeInterval, String)] = [
            (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"), (1_234_567_890, "89005924"), (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ]
        for (t, code) in expected {
            #expect(TOTP.code(secret: secret, step: TOTP.step(at: Date(timeIntervalSince1970: t)), digits: 8) == code, "T = \(t)")
        }
    }

    @Test("a code is good in its step and the ones beside it, once, and only if later than the last used")
    func window() {
        let secret = Array("12345678901234567890".utf8)
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = TOTP.step(at: now)
        let code = TOTP.code(secret: secret, step: step)
        #expect(TOTP.matchingStep(code, secret: secret, at: now, after: nil) == step)
        #expect(TOTP.matchingStep(code, secret: secret, at: now.addingTimeInterval(30), after: nil) == step, "typed as it changed")
        #expect(TOTP.matchingStep(code, secret: secret, at: now.addingTimeInterval(90), after: nil) == nil, "too old")
        #expect(TOTP.matchingStep(code, secret: secret, at: now, after: step) == nil, "already used")
        #expect(TOTP.matchingStep("12345", secret: secret, at: now, after: nil) == nil)
        #expect(TOTP.provisioningURI(secret: secret, account: "lanhdao.0002003h99", issuer: "MotCua")
            == "otpauth://totp/MotCua:lanhdao.0002003h99?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=MotCua&algorithm=SHA1&digits=6&period=30")
    }
}

/// Setting up the second factor, signing in with it (assurance 2), recovery codes, replays
/// refused, wrong codes counted like wrong passwords, an administrator's reset; each recorded.
@Suite("Second factor")
struct SecondFactorTests {
    static func code(_ e: AccountService.Enrolment, at t: TestApp) -> String {
        TOTP.code(secret: Base32.decode(e.secret)!, step: TOTP.step(at: t.clock.now))
    }

    @Test("enrol, sign in with the code (assurance 2) once per code, recovery codes once each, reset by an administrator", arguments: TestDB.available)
    func flow(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let name = "lanhdao.0002003h99"
            let user = try #require(try await AccountStore.user(name, on: t.app.database))
            let e = try await t.app.accounts.beginSecondFactor(for: user)
            #expect(e.uri.hasPrefix("otpauth://totp/MotCua:\(name)?secret=\(e.secret)"))
            // Not in force before it is confirmed: the password alone gives assurance 1, a code is ignored.
            #expect(try await t.app.accounts.login(username: name, password: "demo", secondFactor: Self.code(e, at: t)).assurance == 1)
            await #expect(throws: ServiceError.self) { try await t.app.accounts.confirmSecondFactor(for: name, code: "000000") }
            let recovery = try await t.app.accounts.confirmSecondFactor(for: name, code: Self.code(e, at: t))
            #expect(recovery.count == 10 && Set(recovery).count == 10)
            await #expect(throws: ServiceError.self, "set up already") { try await t.app.accounts.beginSecondFactor(for: user) }
            // The confirming code was used; the next step's code signs in at assurance 2, once.
            await #expect(throws: ServiceError.unauthorized("wrong or already used code")) {
                try await t.app.accounts.login(username: name, password: "demo", secondFactor: Self.code(e, at: t))
            }
            t.clock.advance(30)
            let next = Self.code(e, at: t)
            #expect(try await t.app.accounts.login(username: name, password: "demo", secondFactor: next).assurance == 2)
            await #expect(throws: ServiceError.self, "a code works once") { try await t.app.accounts.login(username: name, password: "demo", secondFactor: next) }
            #expect(try await t.app.accounts.login(username: name, password: "demo").assurance == 1, "the password alone: assurance 1")
            // A recovery code instead of the app, once.
            #expect(try await t.app.accounts.login(username: name, password: "demo", secondFactor: recovery[3].uppercased()).assurance == 2)
            await #expect(throws: ServiceError.self) { try await t.app.accounts.login(username: name, password: "demo", secondFactor: recovery[3]) }
            // Only an administrator resets it; then a code means nothing until a new one is set up.
            await #expect(throws: ServiceError.self) { try await t.app.accounts.resetSecondFactor(username: name, by: TestApp.leader(TestApp.tanLap)) }
            try await t.app.accounts.resetSecondFactor(username: name, by: Actor(username: "admin", roles: [.admin], unit: nil))
            #expect(try await t.app.accounts.login(username: name, password: "demo", secondFactor: recovery[4]).assurance == 1)
            let actions = try await t.app.database.query("SELECT action FROM account_events WHERE username = ? ORDER BY at, id", [.text(name)]).compactMap { $0.string("action") }
            #expect(actions.contains("second-factor-enrolled") && actions.contains("recovery-code-used") && actions.contains("second-factor-reset"), "\(actions)")
            #expect(try await t.app.audit.verify().intact)
        }
    }

    @Test("guessing codes is a wrong sign-in: the fifth wrong code locks the account", arguments: [TestDB.sqlite])
    func guessing(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let name = "chuyenvien.0002003h99"
            let e = try await t.app.accounts.beginSecondFactor(for: try #require(try await AccountStore.user(name, on: t.app.database)))
            _ = try await t.app.accounts.confirmSecondFactor(for: name, code: Self.code(e, at: t))
            // Guesses that are none of the codes accepted now (the clock is fixed, so this is known).
            let secret = Base32.decode(e.secret)!
            let now = TOTP.step(at: t.clock.now)
            let accepted = Set((now - 1...now + 1).map { TOTP.code(secret: secret, step: $0) })
            let guesses = ["111111", "222222", "333333", "444444", "555555", "666666", "777777"].filter { !accepted.contains($0) }
            for guess in guesses.prefix(4) {
                await #expect(throws: ServiceError.unauthorized("wrong or already used code")) {
                    try await t.app.accounts.login(username: name, password: "demo", secondFactor: guess)
                }
            }
            let fifth = await #expect(throws: ServiceError.self) { try await t.app.accounts.login(username: name, password: "demo", secondFactor: guesses[4]) }
            guard case .locked? = fifth else { Issue.record("not locked: \(String(describing: fifth))"); return }
        }
    }
}

/// TOTP secrets are stored sealed under the instance's key (`MOTCUA_SECRET_KEY`, else a key file
/// in the data folder): the database alone holds no second factor.
@Suite("Sealed secrets")
struct SealedSecretTests {
    static func rawSecret(_ username: String, _ t: TestApp) async throws -> String {
        try #require(try await t.app.database.first("SELECT totp_secret FROM users WHERE username = ?", username)?.string("totp_secret"))
    }

    static func other(_ t: TestApp, key: [UInt8]?) throws -> MotCua {
        var c = t.app.config
        c.secretKey = key
        return MotCua(config: c, database: t.app.database, calendar: t.app.calendar, blobs: t.app.blobs, clock: t.clock.clock)
    }

    @Test("stored sealed under a key file made once (owner only); another key is refused at start; a moved value does not open", arguments: TestDB.available)
    func sealed(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let name = "lanhdao.0002003h99"
            let e = try await t.app.accounts.beginSecondFactor(for: try #require(try await AccountStore.user(name, on: t.app.database)))
            _ = try await t.app.accounts.confirmSecondFactor(for: name, code: SecondFactorTests.code(e, at: t))
            let stored = try await Self.rawSecret(name, t)
            #expect(stored.hasPrefix("sealed1:\(try t.app.secretBox().keyID):") && !stored.contains(e.secret), "\(stored)")
            let keyFile = t.app.config.dataDir + "/keys/secret.key"
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int)
            #expect(mode == 0o600)
            // Signing in with the code opens it.
            t.clock.advance(30)
            #expect(try await t.app.accounts.login(username: name, password: "demo", secondFactor: SecondFactorTests.code(e, at: t)).assurance == 2)
            // Another instance of the same data folder reads the same key file.
            #expect(try await Self.other(t, key: nil).accounts.sealStoredSecrets() == 0)
            // One with another key refuses to start, naming the key that sealed the secret.
            let wrong = try Self.other(t, key: Array(repeating: 7, count: 32))
            let refused = await #expect(throws: SecretBox.Failure.self) { try await wrong.accounts.sealStoredSecrets() }
            #expect(refused == .otherKey(try t.app.secretBox().keyID))
            // A sealed value copied onto another account does not open there.
            let other = "chuyenvien.0002003h99"
            try await t.app.database.query("UPDATE users SET totp_secret = ?, totp_confirmed_at = ? WHERE username = ?", stored, t.clock.now, other)
            await #expect(throws: SecretBox.Failure.damaged) { try await t.app.accounts.login(username: other, password: "demo", secondFactor: "123456") }
        }
    }

    @Test("rotation: with the old key as MOTCUA_SECRET_KEY_PREVIOUS, a start re-seals every secret under the new key", arguments: TestDB.available)
    func rotation(db: TestDB) async throws {
        let old = [UInt8](repeating: 1, count: 32), new = [UInt8](repeating: 2, count: 32)
        try await TestApp.with(db, configure: { $0.secretKey = old }) { t in
            let name = "lanhdao.0002003h99"
            let e = try await t.app.accounts.beginSecondFactor(for: try #require(try await AccountStore.user(name, on: t.app.database)))
            _ = try await t.app.accounts.confirmSecondFactor(for: name, code: SecondFactorTests.code(e, at: t))
            var c = t.app.config
            c.secretKey = new
            c.previousSecretKey = old
            let rotating = MotCua(config: c, database: t.app.database, calendar: t.app.calendar, blobs: t.app.blobs, clock: t.clock.clock)
            #expect(try await rotating.accounts.sealStoredSecrets() == 1)
            #expect(try await Self.rawSecret(name, t).hasPrefix("sealed1:\(SecretBox(key: new).keyID):"))
            #expect(try await rotating.accounts.sealStoredSecrets() == 0, "nothing left under the old key")
            t.clock.advance(30)
            #expect(try await rotating.accounts.login(username: name, password: "demo", secondFactor: SecondFactorTests.code(e, at: t)).assurance == 2)
            // The new key alone opens it from now on; the old one alone no longer does.
            #expect(try await Self.other(t, key: new).accounts.sealStoredSecrets() == 0)
            await #expect(throws: SecretBox.Failure.otherKey(SecretBox(key: new).keyID)) { try await Self.other(t, key: old).accounts.sealStoredSecrets() }
        }
    }

    @Test("a secret stored in clear before sealing is sealed at start and still signs in", arguments: TestDB.available)
    func sealsOld(db: TestDB) async throws {
        try await TestApp.with(db, configure: { $0.secretKey = Array(0..<32) }) { t in
            let name = "lanhdao.0002003h99"
            let e = try await t.app.accounts.beginSecondFactor(for: try #require(try await AccountStore.user(name, on: t.app.database)))
            _ = try await t.app.accounts.confirmSecondFactor(for: name, code: SecondFactorTests.code(e, at: t))
            try await t.app.database.query("UPDATE users SET totp_secret = ? WHERE username = ?", e.secret, name)
            #expect(try await t.app.accounts.sealStoredSecrets() == 1)
            #expect(SecretBox.isSealed(try await Self.rawSecret(name, t)))
            #expect(!FileManager.default.fileExists(atPath: t.app.config.dataDir + "/keys/secret.key"), "the configured key is used, no file made")
            t.clock.advance(30)
            #expect(try await t.app.accounts.login(username: name, password: "demo", secondFactor: SecondFactorTests.code(e, at: t)).assurance == 2)
        }
    }
}
