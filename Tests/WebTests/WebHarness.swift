// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Services
import Web

/// Runs `body` against the real router (no sockets) on a fresh test database.
func withAPI(
    _ db: TestDB, at start: Date = TestApp.monday0900, maxUploadBytes: Int = 50 << 20, _ body: @escaping @Sendable (API, TestApp) async throws -> Void
) async throws {
    try await TestApp.with(db, at: start, maxUploadBytes: maxUploadBytes) { t in
        let (router, _) = buildRouter(app: t.app)
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await body(API(client: client), t)
        }
    }
}

/// The anti-forgery token a test browser holds: sent as the cookie and as each form's field.
let testCSRF = String(repeating: "ab", count: 32)
let testCSRFCookie = "motcua_csrf=\(testCSRF)"
/// A form body with the token added.
func withToken(_ body: String) -> String { body.isEmpty ? "_csrf=\(testCSRF)" : body + "&_csrf=\(testCSRF)" }

/// A small JSON client over Hummingbird's test client.
struct API: Sendable {
    let client: any TestClientProtocol

    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let contentType: String?
        let body: Data
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: Any? = nil, raw: String? = nil) async throws -> Reply {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: raw)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { r in
            Reply(status: r.status, contentType: r.headers[.contentType], body: Data(r.body.readableBytesView))
        }
    }

    /// A multipart/form-data upload of one file and text fields.
    func upload(_ uri: String, token: String, file: [UInt8], fileName: String, fields: [String: String]) async throws -> Reply {
        let boundary = "motcua-test-boundary-7f3a"
        var body = ByteBuffer()
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(file)
        body.writeString("\r\n--\(boundary)--\r\n")
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: body) { r in
            Reply(status: r.status, contentType: r.headers[.contentType], body: Data(r.body.readableBytesView))
        }
    }

    func token(_ username: String, _ password: String = "demo") async throws -> String {
        let r = try await call(.post, "/api/v1/auth/token", json: ["username": username, "password": password])
        guard let t = r.json["access_token"] as? String else { throw APIError(message: "login failed: \(r.status) \(r.text)") }
        return t
    }
}

struct APIError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
