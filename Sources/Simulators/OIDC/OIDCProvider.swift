// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A small OpenID Connect provider (authorization code flow with PKCE, ES256 ID tokens) standing
/// in for a province's single sign-on portal or the national e-ID (VNeID) in tests and the demo:
/// `motcua sim oidc --realm officials|citizens`.
///
/// ```
/// GET  /.well-known/openid-configuration   discovery (OpenID Connect Discovery 1.0)
/// GET  /authorize    the sign-in form (checks client_id, redirect_uri, response_type=code, PKCE S256)
/// POST /authorize    username + password → 302 to redirect_uri?code=…&state=…
/// POST /token        authorization_code grant; client_secret_basic or _post; code_verifier
/// GET  /jwks         the public signing key (EC P-256)
/// GET  /sim/log      (sim) every code redeemed: who, for which client, when
/// ```
///
/// It follows the parts of OpenID Connect Core 1.0 that a relying party depends on: codes are
/// single-use and short-lived, bound to the client, the redirect URI and the PKCE challenge; the
/// ID token carries iss, sub, aud, exp, iat, auth_time, nonce, acr and amr, and the person's claims.
public final class OIDCProvider: Sendable {
    /// Someone who can sign in here, and what the ID token says about them.
    public struct Person: Sendable {
        public var username: String
        public var password: String
        /// Extra claims (name, preferred_username, citizen_id, …).
        public var claims: [String: String]
        /// Authentication context class: the assurance level reached ("2" for level 2).
        public var acr: String
        /// Authentication methods used ("pwd", "otp", …).
        public var amr: [String]

        /// The stable subject identifier (`sub`): not the username, as real providers do. Two
        /// logins of one person (a weaker way in) share it.
        public var subject: String

        public init(username: String, password: String, claims: [String: String], acr: String, amr: [String], sameAs: String? = nil) {
            self.username = username
            self.password = password
            self.claims = claims
            self.acr = acr
            self.amr = amr
            self.subject = Digits.hex(SHA256.hash(data: Data(("sub:" + (sameAs ?? username)).utf8))).prefix(24).description
        }
    }

    /// A relying party registered with the provider.
    public struct Client: Sendable {
        public var id: String
        public var secret: String
        /// Exact redirect URIs accepted (no prefix matching, as the spec requires).
        public var redirectURIs: [String]

        public init(id: String, secret: String, redirectURIs: [String]) {
            self.id = id
            self.secret = secret
            self.redirectURIs = redirectURIs
        }
    }

    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port; the issuer is then known once ``start()`` returns.
        public var port: Int
        /// Shown on the sign-in form.
        public var title: String
        public var people: [Person]
        public var clients: [Client]
        /// The provider's clock (tests share the application's fixed clock).
        public var now: @Sendable () -> Date
        /// Signs ID tokens with a key the JWKS does not publish: a relying party must refuse them.
        public var signWithUnpublishedKey: Bool
        public var logLevel: Logger.Level

        public init(
            host: String = "127.0.0.1", port: Int = 0, title: String = "Cổng đăng nhập", people: [Person], clients: [Client],
            now: @escaping @Sendable () -> Date = { Date() }, signWithUnpublishedKey: Bool = false, logLevel: Logger.Level = .info
        ) {
            self.host = host
            self.port = port
            self.title = title
            self.people = people
            self.clients = clients
            self.now = now
            self.signWithUnpublishedKey = signWithUnpublishedKey
            self.logLevel = logLevel
        }
    }

    public let configuration: Configuration
    let keys = SigningKeys()
    let state = OIDCProviderState()
    let logger: Logger

    public init(configuration: Configuration) {
        self.configuration = configuration
        var logger = Logger(label: "oidc-sim")
        logger.logLevel = configuration.logLevel
        self.logger = logger
    }

    // MARK: Running

    /// Runs until SIGINT or SIGTERM (the CLI); `onRunning` gets the issuer once the port is bound.
    public func run(onRunning: @escaping @Sendable (URL) async -> Void = { _ in }) async throws {
        let host = configuration.host
        let state = self.state
        try await makeApplication { port in
            let issuer = Self.url(host: host, port: port)
            await state.setIssuer(issuer.absoluteString)
            await onRunning(issuer)
        }.runService()
    }

    /// Starts serving in the background and returns the issuer URL once the port is bound (tests).
    public func start() async throws -> URL {
        await stop()
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = makeApplication { port in continuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        await state.setServer(.init(task: task, group: group))
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw OIDCProviderError(description: "the OpenID Connect provider stopped before it was listening")
        }
        let issuer = Self.url(host: configuration.host, port: port)
        await state.setIssuer(issuer.absoluteString)
        return issuer
    }

    /// Stops a server started with ``start()``.
    public func stop() async {
        guard let server = await state.takeServer() else { return }
        await stopServer(server.group, running: server.task)
    }

    /// Every code redeemed so far.
    public func redemptions() async -> [OIDCProviderState.Redemption] { await state.redemptions }

    static func url(host: String, port: Int) -> URL { URL(string: "http://\(host):\(port)")! }

    private func makeApplication(onPort: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let port = configuration.port
        return Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(configuration.host, port: port), serverName: "OIDCSim"),
            onServerRunning: { channel in await onPort(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

public struct OIDCProviderError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Codes issued and not yet redeemed, the issuer, the running server.
public actor OIDCProviderState {
    struct Server {
        let task: Task<Void, any Error>
        let group: ServiceGroup
    }

    struct Grant {
        let person: OIDCProvider.Person
        let clientID: String
        let redirectURI: String
        let nonce: String?
        let challenge: String
        let issuedAt: Date
    }

    public struct Redemption: Sendable {
        public let username: String
        public let clientID: String
        public let at: Date
    }

    var issuer = ""
    var server: Server?
    var grants: [String: Grant] = [:]
    public private(set) var redemptions: [Redemption] = []

    func setIssuer(_ s: String) { issuer = s }
    func setServer(_ s: Server) { server = s }
    func takeServer() -> Server? {
        defer { server = nil }
        return server
    }

    func issue(_ grant: Grant) -> String {
        let code = Base64URL.encode(RandomBytes.make(24))
        grants[code] = grant
        return code
    }

    /// The grant behind `code`, removed: a code is good once, whatever the outcome.
    func redeem(_ code: String) -> Grant? { grants.removeValue(forKey: code) }

    func record(_ r: Redemption) { redemptions.append(r) }
}

/// The provider's signing keys: ID tokens are signed with the newest; `/jwks` publishes it and
/// the ones it replaced, as a provider does while clients still hold tokens signed before.
final class SigningKeys: @unchecked Sendable {
    struct Key {
        let key: P256.Signing.PrivateKey
        let id: String
        init() {
            key = P256.Signing.PrivateKey()
            id = Base64URL.encode(SHA256.hash(data: key.publicKey.rawRepresentation).prefix(8))
        }
    }

    private let lock = NSLock()
    private var all = [Key()]
    /// How many times `/jwks` was read (a client that refetches after a rotation reads it again).
    private var reads = 0

    var current: Key { lock.withLock { all.last! } }
    func published() -> [Key] { lock.withLock { reads += 1; return all } }
    var jwksReads: Int { lock.withLock { reads } }
    func rotate() { lock.withLock { all.append(Key()) } }
}

extension OIDCProvider {
    /// Signs from now on with a new key, published beside the old ones (a key rotation).
    public func rotateKey() { keys.rotate() }
    /// How many times clients read `/jwks`.
    public var jwksReads: Int { keys.jwksReads }
}
