// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Hummingbird
import Services
import Testing
import Web

@Suite("HTTP API")
struct APITests {
    static var birth: [String: Any] { [
        "procedureCode": "1.001193", "channel": "window", "receivingUnit": TestApp.tanLap,
        "applicant": ["idNumber": "001190012345", "fullName": "Phạm Thị Hoa", "phone": "0912345678"],
    ] }

    @Test("sign in, /me, and the token is required", arguments: TestDB.available)
    func auth(db: TestDB) async throws {
        try await withAPI(db) { api, _ in
            let token = try await api.token("officer")
            let me = try await api.call(.get, "/api/v1/me", token: token)
            #expect(me.status == .ok)
            #expect(me.json["username"] as? String == "officer")
            #expect(me.json["roles"] as? [String] == ["officer"])
            #expect(me.json["unit"] as? String == TestApp.centre)
            let wrong = try await api.call(.post, "/api/v1/auth/token", json: ["username": "officer", "password": "nope"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.contentType == "application/problem+json")
            #expect(try await api.call(.get, "/api/v1/me").status == .unauthorized)
            #expect(try await api.call(.get, "/api/v1/me", token: String(repeating: "a", count: 64)).status == .unauthorized)
            #expect(try await api.call(.get, "/api/v1/dossiers").status == .unauthorized)
        }
    }

    @Test("public catalog, units, calendar and health", arguments: TestDB.available)
    func publicEndpoints(db: TestDB) async throws {
        try await withAPI(db) { api, _ in
            #expect(try await api.call(.get, "/healthz").status == .ok)
            let all = try await api.call(.get, "/api/v1/procedures")
            #expect((all.json["items"] as? [Any])?.count ?? 0 >= 30)
            // Diacritics-insensitive search, đ folded to d.
            let found = try await api.call(.get, "/api/v1/procedures?q=dang%20ky%20khai%20sinh")
            let codes = (found.json["items"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
            #expect(codes.contains("1.001193"))
            let commune = try await api.call(.get, "/api/v1/procedures?level=commune&field=HOTICH")
            #expect(((commune.json["items"] as? [[String: Any]]) ?? []).allSatisfy { $0["level"] as? String == "commune" })
            #expect(try await api.call(.get, "/api/v1/procedures?level=district").status == .badRequest)
            let one = try await api.call(.get, "/api/v1/procedures/1.001193")
            #expect(one.json["code"] as? String == "1.001193")
            #expect(try await api.call(.get, "/api/v1/procedures/9.999999").status == .notFound)
            let units = try await api.call(.get, "/api/v1/units")
            #expect((units.json["items"] as? [Any])?.count == 16)
            // Monday 09:00 + 1 working day; Tuesday 24/11/2026 is a holiday.
            let due = try await api.call(.get, "/api/v1/calendar/due-date?from=2026-11-23T09:00:00%2B07:00&amount=1&unit=working-days")
            #expect(due.status == .ok)
            #expect(due.json["dueAt"] as? String == "2026-11-25T09:00:00+07:00")
            let steps = due.json["explanation"] as? [[String: Any]] ?? []
            #expect(steps.contains { $0["kind"] as? String == "skipped" && $0["date"] as? String == "2026-11-24" })
            let noOffset = try await api.call(.get, "/api/v1/calendar/due-date?from=2026-11-23T09:00:00&amount=1&unit=working-days")
            #expect(noOffset.status == .badRequest)
            #expect(((noOffset.json["errors"] as? [[String: Any]])?.first?["field"] as? String) == "from")
            #expect(try await api.call(.get, "/api/v1/calendar/due-date?from=2026-11-23T09:00:00Z&amount=1&unit=fortnights").status == .badRequest)
            let hol = try await api.call(.get, "/api/v1/calendar/holidays?year=2026")
            let dates = (hol.json["holidays"] as? [[String: Any]])?.compactMap { $0["date"] as? String } ?? []
            #expect(dates.contains("2026-02-17"))
            #expect(dates.contains("2026-04-27"))
            #expect(dates.contains("2026-11-24"))
            #expect(try await api.call(.get, "/api/v1/calendar/holidays").status == .badRequest)
        }
    }

    @Test("create, read, list and act on a dossier; conflicts and refusals as problem+json", arguments: TestDB.available)
    func dossiers(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let officer = try await api.token("motcua.0002003h99")
            let created = try await api.call(.post, "/api/v1/dossiers", token: officer, json: Self.birth)
            #expect(created.status == .created)
            let code = try #require(created.json["code"] as? String)
            #expect(code == "\(TestApp.tanLap)-261123-0001")
            #expect(created.json["status"] as? Int == 2)
            #expect(created.json["version"] as? Int == 1)
            #expect(created.json["receivedAt"] as? String == "2026-11-23T09:00:00+07:00")
            #expect(created.json["dueAt"] as? String == "2026-11-25T09:00:00+07:00")
            #expect((created.json["allowedActions"] as? [String])?.contains("assign") == true)

            let got = try await api.call(.get, "/api/v1/dossiers/\(code)", token: officer)
            #expect(got.status == .ok)
            #expect(((got.json["events"] as? [[String: Any]])?.count) == 1)
            #expect((got.json["applicant"] as? [String: Any])?["idNumber"] as? String == "001190012345")

            let list = try await api.call(.get, "/api/v1/dossiers?status=2&limit=10", token: officer)
            let items = list.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1)
            // Lists mask the ID number.
            #expect((items.first?["applicant"] as? [String: Any])?["idNumber"] as? String == "••••••••2345")

            let assigned = try await api.call(.post, "/api/v1/dossiers/\(code)/actions/assign", token: officer, json: ["version": 1])
            #expect(assigned.status == .ok)
            #expect(assigned.json["status"] as? Int == 4)
            #expect(assigned.json["version"] as? Int == 2)
            // Stale version: 409 naming the current status and allowed actions; nothing written.
            let stale = try await api.call(.post, "/api/v1/dossiers/\(code)/actions/assign", token: officer, json: ["version": 1])
            #expect(stale.status == .conflict)
            #expect(stale.contentType == "application/problem+json")
            #expect(stale.json["currentStatus"] as? Int == 4)
            #expect(stale.json["currentVersion"] as? Int == 2)
            #expect(stale.json["allowedActions"] != nil)
            // Wrong status.
            let early = try await api.call(.post, "/api/v1/dossiers/\(code)/actions/return-result", token: officer, json: ["version": 2])
            #expect(early.status == .conflict)
            // Another unit's officer: 403.
            let other = try await api.token("officer")
            #expect(try await api.call(.post, "/api/v1/dossiers/\(code)/actions/withdraw", token: other, json: ["version": 2]).status == .forbidden)
            #expect(try await api.call(.get, "/api/v1/dossiers/\(code)", token: other).status == .forbidden)
            // Unknown action and dossier: 404 problem.
            #expect(try await api.call(.post, "/api/v1/dossiers/\(code)/actions/teleport", token: officer, json: ["version": 2]).status == .notFound)
            #expect(try await api.call(.get, "/api/v1/dossiers/nope", token: officer).status == .notFound)
            // Extension needs an offset on the new date.
            let leader = try await api.token("lanhdao.0002003h99")
            let ext = try await api.call(.post, "/api/v1/dossiers/\(code)/actions/extend", token: leader, json: ["version": 2, "reason": "Cần xác minh", "newDueAt": "2026-11-30T09:00:00"])
            #expect(ext.status == .badRequest)
            #expect(((ext.json["errors"] as? [[String: Any]])?.first?["field"] as? String) == "newDueAt")
            let ok = try await api.call(.post, "/api/v1/dossiers/\(code)/actions/extend", token: leader, json: ["version": 2, "reason": "Cần xác minh", "newDueAt": "2026-11-30T09:00:00+07:00"])
            #expect(ok.status == .ok)
            #expect(ok.json["dueAt"] as? String == "2026-11-30T09:00:00+07:00")
            #expect(try await t.count("dossier_events") == 3)
        }
    }

    @Test("bad input: each is a 4xx problem naming the problem, and nothing is written", arguments: TestDB.available)
    func badInput(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let officer = try await api.token("motcua.0002003h99")
            func field(_ r: API.Reply) -> String? { (r.json["errors"] as? [[String: Any]])?.first?["field"] as? String }
            var body = Self.birth
            body["procedureCode"] = "9.999999"
            var r = try await api.call(.post, "/api/v1/dossiers", token: officer, json: body)
            #expect(r.status == .unprocessableContent)
            #expect(field(r) == "procedureCode")
            body = Self.birth
            body["receivingUnit"] = "000.99.99.H99"
            r = try await api.call(.post, "/api/v1/dossiers", token: officer, json: body)
            #expect(field(r) == "receivingUnit")
            body = Self.birth
            body["applicant"] = ["idNumber": "0010900123", "fullName": "A"]
            r = try await api.call(.post, "/api/v1/dossiers", token: officer, json: body)
            #expect(r.status == .unprocessableContent)
            #expect(field(r) == "applicant.idNumber")
            body = Self.birth
            body["channel"] = "fax"
            r = try await api.call(.post, "/api/v1/dossiers", token: officer, json: body)
            #expect(r.status == .badRequest)
            #expect(field(r) == "channel")
            body = Self.birth
            body.removeValue(forKey: "applicant")
            r = try await api.call(.post, "/api/v1/dossiers", token: officer, json: body)
            #expect(r.status == .badRequest)
            #expect(field(r) == "applicant")
            r = try await api.call(.post, "/api/v1/dossiers", token: officer, raw: "{\"procedureCode\": ")
            #expect(r.status == .badRequest)
            #expect(r.contentType == "application/problem+json")
            r = try await api.call(.post, "/api/v1/dossiers", token: officer)
            #expect(r.status == .badRequest)
            #expect(try await t.count("dossiers") == 0)
            #expect(try await t.count("portal_sync") == 0)
            #expect(try await api.call(.get, "/api/v1/dossiers?status=11", token: officer).status == .badRequest)
            #expect(try await api.call(.get, "/api/v1/dossiers?cursor=%%%", token: officer).status == .badRequest)
            #expect(try await api.call(.get, "/api/v1/dossiers?receivedFrom=2026-11-01", token: officer).status == .badRequest)
        }
    }

    @Test("the OpenAPI document lists exactly the routes served")
    func openAPIMatchesRoutes() async throws {
        try await TestApp.with(.sqlite, accounts: false) { t in
            let (_, routes) = buildRouter(app: t.app)
            let served = Set(routes.entries.map { "\($0.method) \($0.path)" })
            let (router, _) = buildRouter(app: t.app)
            let doc = try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/api/v1/openapi.json", method: .get) { Data($0.body.readableBytesView) }
            }
            let json = try #require(try JSONSerialization.jsonObject(with: doc) as? [String: Any])
            #expect(json["openapi"] as? String == "3.1.0")
            let paths = try #require(json["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, ops) in paths {
                for method in ops.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            #expect(served == documented)
        }
    }
}
