// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Services
import Web

/// Runs `body` against the real router (no sockets) on a fresh test database.
func withAPI(
    _ db: TestDB, at start: Date = TestApp.monday0900, maxUploadBytes: Int = 50 << 20, configure: @escaping @Sendable (inout AppConfig) -> Void = { _ in },
    _ body: @escaping @Sendable (API, TestApp) async throws -> Void
) async throws {
    try await TestApp.with(db, at: start, maxUploadBytes: maxUploadBytes, configure: configure) { t in
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

/// A page as a browser gets it.
struct Page: Sendable {
    let status: HTTPResponse.Status
    let location: String?
    let setCookie: String?
    let text: String

    /// The `name=value` of the cookie the page set.
    var cookie: String? { setCookie?.split(separator: ";").first.map(String.init) }
}

/// The pages, as a browser uses them: a session cookie, and the anti-forgery cookie and field on
/// every form it sends.
extension API {
    func page(_ uri: String, cookie: String? = nil) async throws -> Page {
        var h = HTTPFields()
        if let cookie { h[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .get, headers: h, body: nil, testCallback: Self.page)
    }

    /// Signs in through the sign-in form.
    func signIn(_ user: String, password: String = "demo", next: String = "/dashboard") async throws -> Page {
        try await submit("/dang-nhap", "username=\(user)&password=\(password)&next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")", session: nil)
    }

    /// The session cookie (`name=value`) of `user` signed in through the form.
    func session(_ user: String) async throws -> String {
        let r = try await signIn(user)
        guard let cookie = r.cookie else { throw APIError(message: "sign-in of \(user) failed: \(r.status) \(r.text.prefix(300))") }
        return cookie
    }

    /// Sends a url-encoded form as the holder of `session` (nil: a visitor) would.
    func submit(_ uri: String, _ form: String, session: String?) async throws -> Page {
        let h: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: [session, testCSRFCookie].compactMap { $0 }.joined(separator: "; ")]
        return try await client.execute(uri: uri, method: .post, headers: h, body: ByteBuffer(string: withToken(form)), testCallback: Self.page)
    }

    /// Sends a multipart form (text fields, then files by part name) as the holder of `session`.
    func submit(_ uri: String, fields: [(String, String)], files: [(String, [UInt8])], session: String?) async throws -> Page {
        let boundary = "----MotCuaTestBoundaryAbC"
        var b = ByteBuffer()
        for (k, v) in [("_csrf", testCSRF)] + fields { b.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n") }
        for (k, bytes) in files {
            b.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"; filename=\"scan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
            b.writeBytes(bytes)
            b.writeString("\r\n")
        }
        b.writeString("--\(boundary)--\r\n")
        let h: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: [session, testCSRFCookie].compactMap { $0 }.joined(separator: "; ")]
        return try await client.execute(uri: uri, method: .post, headers: h, body: b, testCallback: Self.page)
    }

    private static func page(_ r: TestResponse) -> Page {
        Page(status: r.status, location: r.headers[.location], setCookie: r.headers[.setCookie], text: String(decoding: r.body.readableBytesView, as: UTF8.self))
    }
}

/// Tracking without an account, as a citizen with the phone does it.
extension API {
    /// Asks for a code for `phone` (the form's step 1), and returns the answer page.
    func askTrackingCode(_ code: String, phone: String) async throws -> Page {
        try await submit("/tra-cuu", "ma=\(code)&dt=\(phone)", session: nil)
    }

    /// The latest code texted for `dossier` (the demo sender writes `sms.log` in the data directory).
    static func textedCode(_ dossier: String, _ t: TestApp) async throws -> String? {
        await t.app.notifications.settle()  // texts go out after the answer
        guard case .file(let path) = t.app.config.smsDestination, let log = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        guard let line = log.split(separator: "\n").last(where: { $0.contains(dossier) }), let r = line.range(of: #" la [0-9]{6},"#, options: .regularExpression) else { return nil }
        return String(line[r].filter(\.isNumber))
    }

    /// The whole way: asks for a code, types the texted code, returns the grant cookie (`name=value`).
    func trackingGrant(_ code: String, phone: String = "0912345678", _ t: TestApp) async throws -> String {
        _ = try await askTrackingCode(code, phone: phone)
        guard let otp = try await Self.textedCode(code, t) else { throw APIError(message: "no code was texted for \(code)") }
        let r = try await submit("/tra-cuu/\(code)/xac-thuc", "ma-xac-thuc=\(otp)", session: nil)
        guard r.status == .seeOther, let cookie = r.cookie, cookie.hasPrefix("motcua_track=") else { throw APIError(message: "the code did not open the dossier: \(r.status) \(r.text.prefix(300))") }
        return cookie
    }
}
