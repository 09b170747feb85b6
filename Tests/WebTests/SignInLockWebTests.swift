// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Hummingbird
import Testing

/// Brute force through the sign-in form or the token endpoint: locked after the fifth wrong
/// password, with the time it opens again, as a page or as problem+json with Retry-After.
@Suite("Sign-in lock-out on the pages and the API")
struct SignInLockWebTests {
    @Test("the form says until when; the API answers 429 with Retry-After", arguments: [TestDB.sqlite])
    func locked(db: TestDB) async throws {
        try await withAPI(db) { api, _ in
            for _ in 1...4 { #expect(try await api.signIn("lanhdao.0002003h99", password: "sai").status == .unauthorized) }
            let page = try await api.signIn("lanhdao.0002003h99", password: "sai")
            #expect(page.status == .tooManyRequests && page.text.contains("tạm khóa đến 09:01 23/11/2026") && page.setCookie == nil, "\(page.text.prefix(2000))")
            #expect(try await api.signIn("lanhdao.0002003h99").status == .tooManyRequests, "the right password waits too")
            let (status, retryAfter, body) = try await api.client.execute(
                uri: "/api/v1/auth/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username":"lanhdao.0002003h99","password":"demo"}"#)
            ) { r in (r.status, r.headers[.retryAfter], String(decoding: r.body.readableBytesView, as: UTF8.self)) }
            #expect(status == .tooManyRequests && body.contains("too-many-attempts") && body.contains("locked until"), "\(body)")
            #expect(retryAfter == "60", "Retry-After: \(String(describing: retryAfter))")
        }
    }
}
