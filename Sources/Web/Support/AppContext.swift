// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import NIOCore
import Services
import Storage

/// Per-request context: Hummingbird's core storage plus the authenticated account, if any.
public struct AppContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: StoredUser?
    /// The connected client (nil in in-process tests).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.user = nil
        self.remoteAddress = source.channel.remoteAddress
    }

    /// JSON bodies are small; uploads get their own limit in their own routes.
    public var maxUploadSize: Int { 1 << 20 }

    /// The caller, or 401.
    func requireActor() throws -> Actor {
        guard let u = user else { throw Problem.unauthorized("sign in first: POST /api/v1/auth/token, then send Authorization: Bearer <token>") }
        return u.actor
    }
}

/// Resolves `Authorization: Bearer …` to an account before routing.
struct BearerMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let app: MotCua

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        var token: String?
        // The token endpoint takes client credentials in Basic; /metrics checks its own token.
        let ownAuthorization = (request.uri.path == "/api/v1/oauth/token" && request.headers[.authorization]?.hasPrefix("Basic ") == true)
            || (request.uri.path == "/metrics" && request.headers[.authorization] != nil)
        if let header = request.headers[.authorization], !ownAuthorization {
            guard header.hasPrefix("Bearer ") else {
                throw Problem.unauthorized("the Authorization header must be \"Bearer <token>\"")
            }
            token = String(header.dropFirst(7))
            guard let user = try await app.accounts.authenticate(token: token!) else {
                throw Problem.unauthorized("the token is unknown or expired; sign in again")
            }
            context.user = user
        } else if let cookie = SessionCookie.token(in: request) {
            let read = request.method == .get || request.method == .head
            if !read && request.uri.path.hasPrefix("/api/") {
                // The API acts only with a bearer token: a cookie never authorizes an API write.
            } else {
                // Pages read the session cookie set at sign-in. Their forms carry the anti-forgery
                // token (`Form.decode` checks it), the cookie is SameSite=Strict, and a write from
                // another origin is refused here. An expired session is no user.
                if !read, let origin = request.headers[.origin], let host = request.head.authority,
                    URL(string: origin)?.host.map({ host == $0 || host.hasPrefix($0 + ":") }) != true
                {
                    throw Problem(status: .forbidden, slug: "cross-origin", title: "Không được phép / Forbidden", detail: "a form from another site cannot act here")
                }
                context.user = try await app.accounts.authenticate(token: cookie, kind: .session)
                token = cookie
            }
        }
        // With a standby serving heavy reads, this session's reads must see its own writes.
        let response = try await ReadFence.$position.withValue(context.user?.readFence) { try await next(request, context) }
        if let token, context.user != nil, request.method != .get, request.method != .head, response.status.code < 400 {
            try await app.accounts.fenceReads(token: token)
        }
        return response
    }
}

/// A cookie's value from the request, or nil (also when empty).
func cookie(_ name: String, in request: Request) -> String? {
    for header in request.headers[values: .cookie] {
        for part in header.split(separator: ";") {
            let kv = part.trimmingCharacters(in: .whitespaces)
            if kv.hasPrefix("\(name)="), kv.count > name.count + 1 { return String(kv.dropFirst(name.count + 1)) }
        }
    }
    return nil
}

/// The pages' sign-in cookie: a session token, never valid as an API bearer token.
enum SessionCookie {
    static let name = "motcua_session"

    static func token(in request: Request) -> String? { cookie(name, in: request) }

    static func set(_ token: String, maxAge: Int, secure: Bool) -> String {
        "\(name)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")"
    }

    static let clear = "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
}
