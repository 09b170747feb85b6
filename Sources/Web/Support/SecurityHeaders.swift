// SPDX-License-Identifier: Apache-2.0
import HTTPTypes
import Hummingbird

/// Headers on every answer that tell browsers to refuse what MotCua never does: scripts from
/// anywhere (the pages have none), inline styles, being framed by another site (clickjacking),
/// guessing a file's type, leaking tracking links (they carry phone numbers) to other sites.
/// HSTS only when the public address is https, so a plain-http demo stays reachable.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let https: Bool

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=(), payment=()"
        if https { response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        return response
    }
}
