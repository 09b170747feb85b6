// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation
import Hummingbird

extension OIDCProvider {
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(CloseConnections())
        router.get(".well-known/openid-configuration") { _, _ in await self.discovery() }
        router.get("jwks") { _, _ in self.jwks() }
        router.get("authorize") { request, _ in await self.authorize(FormEncoding.decode(request.uri.query ?? ""), error: nil) }
        router.post("authorize") { request, _ in
            var body = try await request.body.collect(upTo: 64 << 10)
            return await self.signIn(FormEncoding.decode(body.readString(length: body.readableBytes) ?? ""))
        }
        router.post("token") { request, _ in
            var body = try await request.body.collect(upTo: 64 << 10)
            return await self.token(FormEncoding.decode(body.readString(length: body.readableBytes) ?? ""), authorization: request.headers[.authorization])
        }
        router.get("sim/log") { _, _ in
            let log = await self.state.redemptions.map { ["username": $0.username, "client": $0.clientID, "at": ISO8601DateFormatter().string(from: $0.at)] }
            return Self.json(log)
        }
        return router
    }

    func discovery() async -> Response {
        let issuer = await state.issuer
        return Self.json([
            "issuer": .string(issuer),
            "authorization_endpoint": .string(issuer + "/authorize"),
            "token_endpoint": .string(issuer + "/token"),
            "jwks_uri": .string(issuer + "/jwks"),
            "response_types_supported": .array([.string("code")]),
            "subject_types_supported": .array([.string("public")]),
            "id_token_signing_alg_values_supported": .array([.string("ES256")]),
            "code_challenge_methods_supported": .array([.string("S256")]),
            "token_endpoint_auth_methods_supported": .array([.string("client_secret_basic"), .string("client_secret_post")]),
            "scopes_supported": .array([.string("openid"), .string("profile")]),
            "acr_values_supported": .array([.string("1"), .string("2")]),
        ] as [String: SimJSON])
    }

    func jwks() -> Response {
        let jwks: [SimJSON] = keys.published().map { k in
            // The raw public key is 0x04 || X || Y (32 bytes each).
            let raw = k.key.publicKey.x963Representation
            return .object([
                "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": .string(k.id),
                "x": .string(Base64URL.encode(raw.dropFirst().prefix(32))), "y": .string(Base64URL.encode(raw.suffix(32))),
            ])
        }
        return Self.json(["keys": SimJSON.array(jwks)])
    }

    // MARK: The browser's part

    /// The sign-in form, after checking the request as the spec requires: an unknown client or a
    /// redirect URI not registered is shown here and never redirected to.
    func authorize(_ q: [String: String], error: String?) async -> Response {
        guard let client = configuration.clients.first(where: { $0.id == q["client_id"] }) else {
            return Self.page(.badRequest, "<p>Ứng dụng không được đăng ký (unknown client_id).</p>")
        }
        guard let redirect = q["redirect_uri"], client.redirectURIs.contains(redirect) else {
            return Self.page(.badRequest, "<p>Địa chỉ chuyển hướng không được đăng ký (redirect_uri not registered).</p>")
        }
        var refusal: String?
        if q["response_type"] != "code" { refusal = "unsupported_response_type" }
        else if !(q["scope"] ?? "").split(separator: " ").contains("openid") { refusal = "invalid_scope" }
        else if (q["code_challenge"] ?? "").count < 43 || q["code_challenge_method"] != "S256" { refusal = "invalid_request" }
        if let refusal { return Self.redirect(redirect, [("error", refusal), ("state", q["state"] ?? "")]) }
        let hidden = ["client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge", "code_challenge_method"]
            .map { "<input type=\"hidden\" name=\"\($0)\" value=\"\(Self.esc(q[$0] ?? ""))\">" }.joined()
        let message = error.map { "<p role=\"alert\"><strong>\(Self.esc($0))</strong></p>" } ?? ""
        return Self.page(
            error == nil ? .ok : .unauthorized,
            """
            <h1>\(Self.esc(configuration.title))</h1>\(message)
            <form method="post" action="/authorize">\(hidden)
            <p><label for="username">Tên đăng nhập / Số định danh cá nhân</label><br><input id="username" name="username" autocomplete="username" required></p>
            <p><label for="password">Mật khẩu</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
            <p><button type="submit" name="action" value="sign-in">Đăng nhập</button> <button type="submit" name="action" value="cancel" formnovalidate>Hủy</button></p>
            </form>
            """)
    }

    /// The form's answer: back to the relying party with a code, or with `access_denied`.
    func signIn(_ f: [String: String]) async -> Response {
        guard let client = configuration.clients.first(where: { $0.id == f["client_id"] }), let redirect = f["redirect_uri"],
            client.redirectURIs.contains(redirect), let challenge = f["code_challenge"], f["code_challenge_method"] == "S256"
        else {
            return Self.page(.badRequest, "<p>Yêu cầu không hợp lệ (invalid request).</p>")
        }
        if f["action"] == "cancel" { return Self.redirect(redirect, [("error", "access_denied"), ("state", f["state"] ?? "")]) }
        guard let person = configuration.people.first(where: { $0.username == f["username"] }), person.password == f["password"] else {
            return await authorize(f, error: "Sai tên đăng nhập hoặc mật khẩu / wrong username or password")
        }
        let code = await state.issue(
            .init(person: person, clientID: client.id, redirectURI: redirect, nonce: f["nonce"], challenge: challenge, issuedAt: configuration.now()))
        logger.info("signed in", metadata: ["username": "\(person.username)", "client": "\(client.id)"])
        var answer = [("code", code)]
        if let s = f["state"] { answer.append(("state", s)) }
        return Self.redirect(redirect, answer)
    }

    // MARK: The relying party's part

    /// The authorization code grant (RFC 6749 §4.1.3, PKCE RFC 7636 §4.6).
    func token(_ f: [String: String], authorization: String?) async -> Response {
        var id = f["client_id"]
        var secret = f["client_secret"]
        if let basic = FormEncoding.basicCredentials(authorization) { (id, secret) = basic }
        guard let client = configuration.clients.first(where: { $0.id == id }), client.secret == secret else {
            return Self.oauthError(.unauthorized, "invalid_client", "unknown client or wrong secret")
        }
        guard f["grant_type"] == "authorization_code" else { return Self.oauthError(.badRequest, "unsupported_grant_type", "only authorization_code") }
        guard let code = f["code"], let grant = await state.redeem(code) else {
            return Self.oauthError(.badRequest, "invalid_grant", "unknown or already used code")
        }
        let now = configuration.now()
        guard grant.clientID == client.id, grant.redirectURI == f["redirect_uri"], now.timeIntervalSince(grant.issuedAt) <= 60 else {
            return Self.oauthError(.badRequest, "invalid_grant", "the code was issued to another client or redirect URI, or has expired")
        }
        guard let verifier = f["code_verifier"], Base64URL.encode(SHA256.hash(data: Data(verifier.utf8))) == grant.challenge else {
            return Self.oauthError(.badRequest, "invalid_grant", "code_verifier does not match the code_challenge")
        }
        await state.record(.init(username: grant.person.username, clientID: client.id, at: now))
        let iat = Int(now.timeIntervalSince1970)
        var claims: [String: SimJSON] = [
            "iss": .string(await state.issuer), "sub": .string(grant.person.subject), "aud": .string(client.id),
            "iat": .int(iat), "exp": .int(iat + 300), "auth_time": .int(iat), "acr": .string(grant.person.acr),
            "amr": .array(grant.person.amr.map { .string($0) }),
        ]
        if let n = grant.nonce { claims["nonce"] = .string(n) }
        for (k, v) in grant.person.claims { claims[k] = .string(v) }
        return Self.json([
            "access_token": .string(Base64URL.encode(RandomBytes.make(24))),
            "token_type": "Bearer", "expires_in": 300, "id_token": .string(idToken(claims)),
        ] as [String: SimJSON])
    }

    /// A compact JWS (RFC 7515) with ES256: the signature is R || S, 32 bytes each.
    func idToken(_ claims: [String: SimJSON]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let signing = keys.current
        let header = Base64URL.encode(try! encoder.encode(["alg": "ES256", "typ": "JWT", "kid": signing.id]))
        let payload = Base64URL.encode(try! encoder.encode(claims))
        let input = Data("\(header).\(payload)".utf8)
        let signer = configuration.signWithUnpublishedKey ? P256.Signing.PrivateKey() : signing.key
        let signature = try! signer.signature(for: input)
        return "\(header).\(payload).\(Base64URL.encode(signature.rawRepresentation))"
    }

    // MARK: Answers

    static func json(_ value: some Encodable) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try! JSONEncoder().encode(value))))
    }

    static func oauthError(_ status: HTTPResponse.Status, _ error: String, _ description: String) -> Response {
        var r = json(["error": error, "error_description": description])
        r.status = status
        return r
    }

    static func redirect(_ uri: String, _ query: [(String, String)]) -> Response {
        var headers = HTTPFields()
        headers[.location] = uri + (uri.contains("?") ? "&" : "?") + FormEncoding.encode(query)
        return Response(status: .found, headers: headers)
    }

    static func page(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        let html = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>Đăng nhập</title></head><body>\(body)</body></html>"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
