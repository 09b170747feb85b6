// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Testing

/// The second factor over the API, as an integration or an official's own tool would use it.
@Suite("Second factor over the API")
struct SecondFactorAPITests {
    @Test("set up with the app's code, sign in with it (assurance 2), reset by an administrator only", arguments: [TestDB.sqlite])
    func flow(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let name = "lanhdao.0002003h99"
            let first = try await api.token(name)
            let started = try await api.call(.post, "/api/v1/me/second-factor", token: first)
            #expect(started.status == .created)
            let secret = try #require((started.json["secret"] as? String).flatMap(Base32.decode))
            #expect((started.json["otpauthUri"] as? String)?.hasPrefix("otpauth://totp/MotCua:\(name)?") == true)
            func code() -> String { TOTP.code(secret: secret, step: TOTP.step(at: t.clock.now)) }
            #expect(try await api.call(.post, "/api/v1/me/second-factor/confirm", token: first, json: ["code": "12"]).status == .unprocessableContent)
            let confirmed = try await api.call(.post, "/api/v1/me/second-factor/confirm", token: first, json: ["code": code()])
            #expect((confirmed.json["recoveryCodes"] as? [String])?.count == 10, "\(confirmed.text)")
            t.clock.advance(30)
            let signed = try await api.call(.post, "/api/v1/auth/token", json: ["username": name, "password": "demo", "otp": code()])
            #expect(signed.status == .ok && signed.json["assurance"] as? Int == 2, "\(signed.text)")
            let token = try #require(signed.json["access_token"] as? String)
            let me = try await api.call(.get, "/api/v1/me", token: token)
            #expect(me.json["assurance"] as? Int == 2 && me.json["secondFactor"] as? Bool == true)
            #expect(try await api.call(.get, "/api/v1/me", token: first).json["assurance"] as? Int == 1, "the password-only token stays at 1")
            // A lost phone: only an administrator removes the factor.
            #expect(try await api.call(.delete, "/api/v1/admin/users/\(name)/second-factor", token: token).status == .forbidden)
            let admin = try await api.token("admin")
            #expect(try await api.call(.delete, "/api/v1/admin/users/\(name)/second-factor", token: admin).status == .noContent)
            #expect(try await api.call(.get, "/api/v1/me", token: token).json["secondFactor"] as? Bool == false)
        }
    }
}
