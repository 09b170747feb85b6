// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Services
import Storage
import Testing

/// API clients with client credentials: a token for the scopes granted (or fewer), and exactly
/// what those scopes allow within the client's unit.
@Suite("API clients (client credentials)")
struct ClientCredentialsTests {
    func token(_ api: API, _ form: String, basic: (String, String)? = nil) async throws -> API.Reply {
        var h: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let (id, secret) = basic { h[.authorization] = "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString() }
        return try await api.client.execute(uri: "/api/v1/oauth/token", method: .post, headers: h, body: ByteBuffer(string: form)) { r in
            API.Reply(status: r.status, contentType: r.headers[.contentType], body: Data(r.body.readableBytesView))
        }
    }

    @Test("tokens: Basic or body, narrowed scopes, RFC 6749 errors; a revoked client's token stops at once", arguments: TestDB.available)
    func tokens(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let secret = try await t.app.accounts.registerClient(
                id: "ioc.sonha", name: "Trung tâm điều hành thông minh", unit: "000.00.00.H99", scopes: [.indexRead, .dossiersRead], by: .system)
            #expect(secret.count == 48)
            let basic = try await token(api, "grant_type=client_credentials", basic: ("ioc.sonha", secret))
            #expect(basic.status == .ok && basic.json["scope"] as? String == "dossiers:read index:read" && basic.json["token_type"] as? String == "Bearer", "\(basic.text)")
            let narrowed = try await token(api, "grant_type=client_credentials&scope=index%3Aread&client_id=ioc.sonha&client_secret=\(secret)")
            #expect(narrowed.json["scope"] as? String == "index:read")
            let wider = try await token(api, "grant_type=client_credentials&scope=dossiers%3Afile", basic: ("ioc.sonha", secret))
            #expect(wider.status == .badRequest && wider.json["error"] as? String == "invalid_scope")
            let wrong = try await token(api, "grant_type=client_credentials", basic: ("ioc.sonha", "nope"))
            #expect(wrong.status == .unauthorized && wrong.json["error"] as? String == "invalid_client")
            #expect(try await token(api, "grant_type=password", basic: ("ioc.sonha", secret)).json["error"] as? String == "unsupported_grant_type")
            // A person's credentials are not a client's, and a client does not sign in as a person.
            #expect(try await token(api, "grant_type=client_credentials", basic: ("admin", "demo")).status == .unauthorized)
            let asPerson = try await api.call(.post, "/api/v1/auth/token", json: ["username": "ioc.sonha", "password": secret])
            #expect(asPerson.status == .unauthorized && asPerson.text.contains("oauth/token"))
            // The token works, and stops when the client is revoked.
            let access = try #require(narrowed.json["access_token"] as? String)
            #expect(try await api.call(.get, "/api/v1/index?unit=000.00.00.H99&period=2026-11", token: access).status == .ok)
            try await t.app.accounts.revokeClient(id: "ioc.sonha", by: .system)
            #expect(try await api.call(.get, "/api/v1/index?unit=000.00.00.H99&period=2026-11", token: access).status == .unauthorized)
            #expect(try await token(api, "grant_type=client_credentials", basic: ("ioc.sonha", secret)).status == .unauthorized)
            let events = try await t.app.database.query("SELECT action FROM account_events WHERE username = ?", "ioc.sonha")
            #expect(events.compactMap { $0.string("action") }.sorted() == ["client-registered", "client-revoked"])
        }
    }

    @Test("scopes × unit: reads and files only its unit's, with the scope; acts on nothing; every reading is logged", arguments: TestDB.available)
    func scopes(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let unit = TestApp.tanLap
            func client(_ id: String, _ scopes: Set<APIScope>, unit: String = TestApp.tanLap) async throws -> String {
                let secret = try await t.app.accounts.registerClient(id: id, name: id, unit: unit, scopes: scopes, by: .system)
                return try #require(try await token(api, "grant_type=client_credentials", basic: (id, secret)).json["access_token"] as? String)
            }
            let reader = try await client("reader", [.dossiersRead])
            let post = try await client("post", [.dossiersFile])
            let stranger = try await client("stranger", [.dossiersRead, .dossiersFile, .indexRead], unit: TestApp.dongSon)
            let own = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: TestApp.officer(unit))
            let code = own.dossier.code
            // Reading: with the scope, in the unit; logged as a look-up of the applicant's data.
            let before = try await t.count("personal_data_access")
            #expect(try await api.call(.get, "/api/v1/dossiers/\(code)", token: reader).status == .ok)
            #expect(try await t.count("personal_data_access") == before + 1)
            #expect(try await api.call(.get, "/api/v1/dossiers/\(code)", token: post).status == .forbidden, "no dossiers:read")
            #expect(try await api.call(.get, "/api/v1/dossiers/\(code)", token: stranger).status == .forbidden, "another unit")
            let listed = try await api.call(.get, "/api/v1/dossiers", token: reader)
            #expect((listed.json["items"] as? [[String: Any]])?.map { $0["code"] as? String } == [code])
            #expect((try await api.call(.get, "/api/v1/dossiers", token: post).json["items"] as? [Any])?.isEmpty == true)
            // Acting: never, whatever the scopes.
            let acted = try await api.call(.post, "/api/v1/dossiers/\(code)/actions/assign", token: reader, json: ["version": own.dossier.version])
            #expect(acted.status == .forbidden || acted.status == .conflict, "\(acted.status) \(acted.text)")
            #expect(try await t.app.dossiers.get(code: code, by: .system).dossier.version == own.dossier.version)
            // Filing by post: with dossiers:file at its unit; not at the window, not elsewhere.
            func file(_ token: String, channel: String, at receiving: String) async throws -> HTTPResponse.Status {
                try await api.call(
                    .post, "/api/v1/dossiers", token: token,
                    json: [
                        "procedureCode": "1.001193", "channel": channel, "receivingUnit": receiving,
                        "applicant": ["idNumber": "001090012345", "fullName": "Lê Văn Đạt", "phone": "0987654321"],
                    ]
                ).status
            }
            #expect(try await file(post, channel: "post", at: unit) == .created)
            #expect(try await file(post, channel: "window", at: unit) == .forbidden)
            #expect(try await file(post, channel: "post", at: TestApp.dongSon) == .forbidden)
            #expect(try await file(reader, channel: "post", at: unit) == .forbidden)
            // The index: with index:read, of its own unit only.
            #expect(try await api.call(.get, "/api/v1/index?unit=\(TestApp.dongSon)&period=2026-11", token: stranger).status == .ok)
            #expect(try await api.call(.get, "/api/v1/index?unit=\(unit)&period=2026-11", token: stranger).status == .forbidden)
            #expect(try await api.call(.get, "/api/v1/index?unit=\(unit)&period=2026-11", token: reader).status == .forbidden)
        }
    }
}

extension ClientCredentialsTests {
    @Test("a client that reads its unit's dossiers cannot file a petition about one", arguments: [TestDB.sqlite])
    func noPetitions(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let unit = TestApp.tanLap
            let code = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: TestApp.officer(unit)
            ).dossier.code
            let client = Actor(username: "reader", roles: [.client], unit: unit, scopes: [.dossiersRead])
            await #expect(throws: ServiceError.self) {
                _ = try await t.app.petitions.file(
                    PetitionService.Request(
                        petitionClass: .procedure, dossierCode: code, petitioner: Petitioner(fullName: "Hệ thống", phone: "0912345678"), content: "Chậm"),
                    proof: .account(client))
            }
            #expect(try await t.count("petitions") == 0)
        }
    }
}
