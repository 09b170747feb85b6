// SPDX-License-Identifier: Apache-2.0
import Foundation
import Hummingbird
import NIOCore
import Services
import Storage

/// Where the buckets live: this instance's memory (``RateLimiter``, the embedded mode's one
/// instance) or the database every instance shares (``SharedRateLimiter``, PostgreSQL).
protocol RateLimiting: Sendable {
    /// Nil when the request may go on; otherwise the seconds until it may.
    func take(_ key: String, _ rule: RateLimiter.Rule, now: Date) async throws -> TimeInterval?
}

/// Token buckets per client address and kind of request: guessing passwords, codes or the phone
/// behind a dossier code, and flooding uploads, are slowed for everyone at one address while the
/// per-account lock (``SignInThrottle``) protects each account. This one keeps them in memory.
actor RateLimiter: RateLimiting {
    struct Rule: Sendable, Equatable {
        /// Requests allowed at once.
        let burst: Double
        /// Requests allowed per second after that.
        let perSecond: Double
    }

    private var buckets: [String: (tokens: Double, at: Date)] = [:]

    /// Nil when the request may go on; otherwise the seconds until it may. `now` is the system's
    /// clock (a fixed one in tests).
    func take(_ key: String, _ rule: Rule, now: Date) -> TimeInterval? {
        var (tokens, at) = buckets[key] ?? (rule.burst, now)
        tokens = min(rule.burst, tokens + max(0, now.timeIntervalSince(at)) * rule.perSecond)
        guard tokens >= 1 else {
            buckets[key] = (tokens, now)
            return (1 - tokens) / rule.perSecond
        }
        buckets[key] = (tokens - 1, now)
        // Forget addresses that have been quiet long enough to be full again.
        if buckets.count > 50_000 {
            buckets = buckets.filter { now.timeIntervalSince($0.value.at) < rule.burst / rule.perSecond }
        }
        return nil
    }
}

/// The buckets in `rate_buckets`, shared by every instance on one PostgreSQL: a client spreading
/// its guesses over instances behind a round-robin proxy meets one limit, not one per instance.
struct SharedRateLimiter: RateLimiting {
    let database: any Database

    func take(_ key: String, _ rule: RateLimiter.Rule, now: Date) async throws -> TimeInterval? {
        try await RateBucketStore.take(key, burst: rule.burst, perSecond: rule.perSecond, now: now.timeIntervalSince1970, on: database)
    }
}

/// Applies the limits: sign-in (password or code) 30 at once then one every 2 s; tracking a
/// dossier or a petition by code and phone 60 at once then one a second; uploads the same.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let limiter: any RateLimiting
    let clock: AppClock
    /// Behind a reverse proxy every request comes from the proxy: then the client is the last
    /// address of X-Forwarded-For, which only a trusted proxy may set (`MOTCUA_TRUSTED_PROXY`).
    let trustedProxy: String?

    static let signIn = RateLimiter.Rule(burst: 30, perSecond: 0.5)
    static let tracking = RateLimiter.Rule(burst: 60, perSecond: 1)
    static let upload = RateLimiter.Rule(burst: 60, perSecond: 1)

    static func rule(_ request: Request) -> (String, RateLimiter.Rule)? {
        let path = request.uri.path
        if request.method == .post, ["/dang-nhap", "/dang-nhap/ma-xac-thuc", "/dang-nhap/lien-ket", "/api/v1/auth/token", "/api/v1/oauth/token"].contains(path) { return ("sign-in", signIn) }
        // Starting a sign-in at a provider writes a row: as costly as a password attempt.
        if ["/dang-nhap/sso", "/dang-nhap/vneid", "/dang-nhap/oidc"].contains(path) { return ("sign-in", signIn) }
        // Asking for a tracking code (POST /tra-cuu) sends a text message.
        if path.hasPrefix("/tra-cuu/") || (path == "/tra-cuu" && request.method == .post) || (path.hasPrefix("/phan-anh/") && path != "/phan-anh/cong-khai") {
            return ("tracking", tracking)
        }
        if request.method == .post, request.headers[.contentType]?.lowercased().hasPrefix("multipart/") == true { return ("upload", upload) }
        return nil
    }

    func client(_ request: Request, _ context: AppContext) -> String {
        let peer = context.remoteAddress?.ipAddress
        if let trustedProxy, peer == trustedProxy,
            let forwarded = request.headers[.init("X-Forwarded-For")!]?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !forwarded.isEmpty
        {
            return forwarded
        }
        return peer ?? "unknown"
    }

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard let (kind, rule) = Self.rule(request) else { return try await next(request, context) }
        if let wait = try await limiter.take("\(kind)|\(client(request, context))", rule, now: clock.now()) {
            var p = Problem(
                status: .tooManyRequests, slug: "rate-limited", title: "Quá nhiều yêu cầu / Too many requests",
                detail: "too many \(kind) requests from this address; try again in a moment")
            p.retryAfter = max(1, Int(wait.rounded(.up)))
            throw p
        }
        return try await next(request, context)
    }
}
