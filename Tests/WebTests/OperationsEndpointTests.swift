// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import HTTPTypes
import Services
import Testing

/// `/readyz` and `/metrics` as a load balancer and Prometheus use them.
@Suite("Readiness and metrics")
struct OperationsEndpointTests {
    @Test("/metrics: for the scraper's token and administrators; HTTP by route, the outbox, queues, dossiers per unit", arguments: TestDB.available)
    func metrics(db: TestDB) async throws {
        try await withAPI(db, configure: { $0.metricsToken = "scrape-secret" }) { api, t in
            let unit = TestApp.tanLap
            _ = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: TestApp.officer(unit))
            _ = try await api.call(.get, "/api/v1/procedures/1.001193")
            #expect(try await api.call(.get, "/metrics").status == .unauthorized)
            #expect(try await api.call(.get, "/metrics", token: "wrong").status == .unauthorized)
            let leader = try await api.token("lanhdao.0002003h99")
            #expect(try await api.call(.get, "/metrics", token: leader).status == .unauthorized)
            let scraped = try await api.call(.get, "/metrics", token: "scrape-secret")
            #expect(scraped.status == .ok && scraped.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = scraped.text
            for needle in [
                "motcua_portal_outbox_backlog", "motcua_portal_outbox_lag_seconds", "motcua_ocr_queue", "motcua_texts_unsent",
                "motcua_dossiers_received{unit=\"\(unit)\"} 1", "/api/v1/procedures/{code}",
            ] {
                #expect(text.contains(needle), "\(needle) missing from:\n\(text.prefix(3000))")
            }
            #expect(try await api.call(.get, "/metrics", token: try await api.token("admin")).status == .ok)
        }
    }

    @Test("every answer carries a request id: the proxy's when it is a plain token, else one made here", arguments: [TestDB.sqlite])
    func requestIds(db: TestDB) async throws {
        try await withAPI(db) { api, _ in
            let name = HTTPField.Name("X-Request-Id")!
            func answered(sending: String?) async throws -> String {
                var headers = HTTPFields()
                if let sending { headers[name] = sending }
                return try await api.client.execute(uri: "/healthz", method: .get, headers: headers, body: nil) { $0.headers[name] ?? "" }
            }
            #expect(try await answered(sending: "nginx-7f3a.1_b") == "nginx-7f3a.1_b")
            var made: Set<String> = []
            for sent in [nil, "two words", String(repeating: "a", count: 65), "mã-số"] {
                let id = try await answered(sending: sent)
                #expect(id.count == 16 && id.allSatisfy(\.isHexDigit), "\(sent ?? "none") → \(id)")
                made.insert(id)
            }
            #expect(made.count == 4, "each request gets its own id")
        }
    }

    @Test("/readyz answers 503 once the database is gone", arguments: [TestDB.sqlite])
    func readiness(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let ready = try await api.call(.get, "/readyz")
            #expect(ready.status == .ok && ready.json["status"] as? String == "ready")
            await t.app.database.close()
            let gone = try await api.call(.get, "/readyz")
            #expect(gone.status == .serviceUnavailable && gone.json["status"] as? String == "not ready", "\(gone.status) \(gone.text)")
        }
    }
}
