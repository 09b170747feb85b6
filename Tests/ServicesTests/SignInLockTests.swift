// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

/// Wrong passwords in a row lock an account for a while, a locked account is not asked for its
/// password, a right one starts the count again, and each lock is in the audit ledger.
@Suite("Sign-in lock-out")
struct SignInLockTests {
    @Test("the fifth wrong password locks the account a minute; then the right one waits; after the minute it works and the count restarts", arguments: TestDB.available)
    func lockOut(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let user = "lanhdao.0002003h99"
            for _ in 1...4 {
                await #expect(throws: ServiceError.unauthorized("wrong username or password")) { try await t.app.accounts.login(username: user, password: "sai") }
            }
            let fifth = await #expect(throws: ServiceError.self) { try await t.app.accounts.login(username: user, password: "sai") }
            guard case .locked(let until, let seconds, let message)? = fifth else { Issue.record("not locked: \(String(describing: fifth))"); return }
            #expect(until == TestApp.monday0900.addingTimeInterval(60) && seconds == 60)
            #expect(message.contains("locked until 09:01 2026-11-23"), "\(message)")
            // Locked: even the right password is refused, and not counted.
            await #expect(throws: ServiceError.locked(until: until, seconds: 60, message: message)) { try await t.app.accounts.login(username: user, password: "demo") }
            t.clock.advance(61)
            _ = try await t.app.accounts.login(username: user, password: "demo")
            #expect(try await AccountStore.user(user, on: t.app.database)?.failedSignIns == 0)
            // The count restarted: four more wrong passwords are free again.
            for _ in 1...4 {
                await #expect(throws: ServiceError.unauthorized("wrong username or password")) { try await t.app.accounts.login(username: user, password: "sai") }
            }
            // The lock is a security event in the ledger, and the ledger is whole.
            let events = try await t.app.database.query("SELECT action, detail FROM account_events WHERE username = ?", [.text(user)])
            #expect(events.count == 1 && events[0].string("action") == "locked" && events[0].string("detail")?.hasPrefix("5 wrong passwords") == true)
            #expect(try await t.app.audit.verify().intact)
        }
    }

    @Test("an unknown username is never locked and never says so", arguments: [TestDB.sqlite])
    func unknown(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            for _ in 1...8 {
                await #expect(throws: ServiceError.unauthorized("wrong username or password")) { try await t.app.accounts.login(username: "khong.ton.tai", password: "sai") }
            }
        }
    }
}
