// SPDX-License-Identifier: Apache-2.0
import Domain
import Hummingbird
import Services
import Storage

/// Per-request context: Hummingbird's core storage plus the authenticated account, if any.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: StoredUser?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.user = nil
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
        if let header = request.headers[.authorization] {
            guard header.hasPrefix("Bearer ") else {
                throw Problem.unauthorized("the Authorization header must be \"Bearer <token>\"")
            }
            guard let user = try await app.accounts.authenticate(token: String(header.dropFirst(7))) else {
                throw Problem.unauthorized("the token is unknown or expired; sign in again")
            }
            context.user = user
        }
        return try await next(request, context)
    }
}
