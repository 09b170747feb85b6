// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Web

@Suite("Rate limits per address")
struct RateLimitTests {
    @Test("a bucket lets a burst through, then one request per refill, and says how long to wait")
    func bucket() async {
        let limiter = RateLimiter()
        let rule = RateLimiter.Rule(burst: 3, perSecond: 0.5)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        for _ in 0..<3 { #expect(await limiter.take("a", rule, now: t0) == nil) }
        #expect(await limiter.take("a", rule, now: t0) == 2)
        #expect(await limiter.take("b", rule, now: t0) == nil, "another address has its own bucket")
        #expect(await limiter.take("a", rule, now: t0.addingTimeInterval(2)) == nil, "refilled one after 2 s")
        #expect(await limiter.take("a", rule, now: t0.addingTimeInterval(2)) != nil)
    }

    @Test(
        "on PostgreSQL the buckets are shared: the same arithmetic in one statement, and a second instance sees the first's",
        arguments: TestDB.available.filter { $0 == .postgres })
    func shared(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let limiter = SharedRateLimiter(database: t.app.database)
            let rule = RateLimiter.Rule(burst: 3, perSecond: 0.5)
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            for _ in 0..<3 { #expect(try await limiter.take("a", rule, now: t0) == nil) }
            #expect(try await limiter.take("a", rule, now: t0) == 2)
            #expect(try await limiter.take("b", rule, now: t0) == nil, "another address has its own bucket")
            #expect(try await limiter.take("a", rule, now: t0.addingTimeInterval(2)) == nil, "refilled one after 2 s")
            #expect(try await limiter.take("a", rule, now: t0.addingTimeInterval(2)) != nil)
            // Parallel takes never hand out more than the burst.
            let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<20 { group.addTask { try await limiter.take("c", rule, now: t0) == nil } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(granted == 3)
            // Two instances (two routers on one database): 30 sign-ins through one, the 31st
            // through the other is refused.
            let (router, _) = buildRouter(app: t.app)
            try await Application(router: router).test(.router) { other in
                for i in 0..<30 { #expect(try await api.call(.post, "/api/v1/auth/token", json: ["username": "nguoi.\(i)", "password": "sai"]).status == .unauthorized) }
                let status = try await other.execute(
                    uri: "/api/v1/auth/token", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"username":"lanhdao.0002003h99","password":"demo"}"#)
                ) { $0.status }
                #expect(status == .tooManyRequests)
            }
        }
    }

    @Test("the 31st sign-in in a burst from one address is refused with 429 and Retry-After, whoever it names", arguments: [TestDB.sqlite])
    func signIn(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            for i in 0..<30 {
                let r = try await api.call(.post, "/api/v1/auth/token", json: ["username": "nguoi.\(i)", "password": "sai"])
                #expect(r.status == .unauthorized)
            }
            let (status, retryAfter) = try await api.client.execute(
                uri: "/api/v1/auth/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username":"lanhdao.0002003h99","password":"demo"}"#)
            ) { ($0.status, $0.headers[.retryAfter]) }
            #expect(status == .tooManyRequests && retryAfter == "2", "\(status) \(String(describing: retryAfter))")
            // Reading is not limited; two seconds later one more sign-in may try.
            #expect(try await api.call(.get, "/api/v1/procedures").status == .ok)
            t.clock.advance(2)
            #expect(try await api.call(.post, "/api/v1/auth/token", json: ["username": "lanhdao.0002003h99", "password": "demo"]).status == .ok)
        }
    }

    @Test("asking for tracking codes and starting a provider sign-in are limited too", arguments: [TestDB.sqlite])
    func codesAndProviders(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            for _ in 0..<60 {
                let asked = try await api.askTrackingCode("000.20.03.H99-261123-0001", phone: "0912345678")
                #expect(asked.status == .ok)
            }
            let over = try await api.askTrackingCode("000.20.03.H99-261123-0001", phone: "0912345678")
            #expect(over.status == .tooManyRequests)
            for _ in 0..<30 {
                let started = try await api.page("/dang-nhap/vneid")
                #expect(started.status == .serviceUnavailable, "not set up here")
            }
            let tooMany = try await api.page("/dang-nhap/vneid")
            #expect(tooMany.status == .tooManyRequests)
        }
    }
}
