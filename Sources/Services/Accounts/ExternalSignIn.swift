// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation
import Network
import Storage

/// Sign-in through an OpenID Connect provider: officials through the province's single sign-on
/// portal, citizens through the national e-ID (VNeID). Authorization code flow with PKCE (S256),
/// a nonce, and a state that is kept in the database (any instance may receive the answer) and
/// bound to the browser that started (a cookie the pages set).
///
/// The provider says who the person is and at what level they proved it (`acr`); roles and
/// units are MotCua's. An official needs an account here already; a citizen's account is made
/// at the first sign-in from the personal ID number.
public struct ExternalSignIn: Sendable {
    public enum Provider: String, Sendable, CaseIterable {
        /// Officials' single sign-on portal (`MOTCUA_SSO_*`).
        case sso
        /// The national e-ID for citizens (`MOTCUA_EID_*`).
        case eid
    }

    let app: MotCua

    /// How long a started sign-in may take at the provider.
    static let requestLifetime: TimeInterval = 600

    public func isConfigured(_ p: Provider) -> Bool { settings(p) != nil }

    func settings(_ p: Provider) -> OpenIDProvider? {
        switch p {
        case .sso: app.config.officialsSSO
        case .eid: app.config.citizenEID
        }
    }

    /// Where the provider sends the browser back (registered with the provider as is).
    public var redirectURI: String { app.config.publicURL + "/dang-nhap/oidc" }

    /// Starts a sign-in: the provider's address to send the browser to, and the state the
    /// browser must bring back (the pages keep it in a cookie).
    public func begin(_ p: Provider, next: String) async throws -> (location: String, state: String) {
        guard let s = settings(p) else {
            throw ServiceError.unavailable(p == .sso ? "single sign-on is not set up (MOTCUA_SSO_ISSUER)" : "sign-in with the e-ID is not set up (MOTCUA_EID_ISSUER)")
        }
        let metadata = try await app.openIDMetadata.metadata(s, refresh: false)
        let state = Self.random(), nonce = Self.random(), verifier = Self.random()
        let now = app.clock.now()
        try await AccountStore.insertSignInRequest(
            stateHash: AccountService.digest(state),
            .init(provider: p.rawValue, nonce: nonce, codeVerifier: verifier, nextPath: next, createdAt: now),
            expired: now.addingTimeInterval(-Self.requestLifetime), on: app.database)
        let query = FormEncoding.encode([
            ("response_type", "code"), ("client_id", s.clientID), ("redirect_uri", redirectURI), ("scope", s.scope), ("state", state),
            ("nonce", nonce), ("code_challenge", Base64URL.encode(SHA256.hash(data: Data(verifier.utf8)))), ("code_challenge_method", "S256"),
        ])
        let endpoint = metadata.authorizationEndpoint
        return (endpoint + (endpoint.contains("?") ? "&" : "?") + query, state)
    }

    /// How a sign-in through a provider ends.
    public enum Outcome: Sendable {
        case signedIn(IssuedToken, next: String)
        /// An official's first single sign-on to an account not yet bound to their identity
        /// (`MOTCUA_SSO_FIRST_BIND=password`): the account's password must be typed once, with this
        /// ticket (``link(ticket:password:)``), before the identity is bound and a session opened.
        case confirmAccount(username: String, ticket: String)
    }

    /// The provider's answer: exchanges the code, checks the ID token, finds (or, for a citizen,
    /// makes) the account and opens a session. `browserState` is the state the browser kept.
    public func finish(state: String, browserState: String?, code: String?, error: String?) async throws -> Outcome {
        let now = app.clock.now()
        guard let browserState, !state.isEmpty, browserState == state else {
            throw ServiceError.unauthorized("this sign-in was started in another browser, or this page was opened twice; start signing in again")
        }
        guard let request = try await AccountStore.takeSignInRequest(stateHash: AccountService.digest(state), on: app.database),
            now.timeIntervalSince(request.createdAt) <= Self.requestLifetime, let p = Provider(rawValue: request.provider), let s = settings(p)
        else { throw ServiceError.unauthorized("this sign-in has expired or was already used; start signing in again") }
        if let error {
            throw ServiceError.unauthorized(error == "access_denied" ? "sign-in was cancelled at the provider" : "the provider refused the sign-in (\(error))")
        }
        guard let code, !code.isEmpty else { throw ServiceError.unauthorized("the provider sent no code; start signing in again") }
        let idToken = try await redeem(code, verifier: request.codeVerifier, nonce: request.nonce, s, now: now)
        let level = idToken.string("acr").map { s.level2ACR.contains($0) } == true ? 2 : 1
        guard let account = idToken.string(s.accountClaim), !account.isEmpty else {
            throw ServiceError.unauthorized("the provider's ID token has no \(s.accountClaim) claim; set \(p == .sso ? "MOTCUA_SSO_CLAIM" : "MOTCUA_EID_CLAIM") to the claim that names the account")
        }
        let user: StoredUser
        if p == .sso {
            guard let sub = idToken.string("sub"), !sub.isEmpty else { throw ServiceError.unauthorized("the provider's ID token has no sub claim") }
            let subject = s.issuer + "#" + sub
            guard let found = try await official(account, subject: subject, at: now) else {
                let ticket = LinkTicket(username: account, subject: subject, level: level, next: request.nextPath, expires: now.addingTimeInterval(Self.requestLifetime))
                return .confirmAccount(username: account, ticket: try ticket.encode(with: app.secretBox()))
            }
            user = found
        } else {
            user = try await citizen(account, name: idToken.string("name"), at: now)
        }
        return .signedIn(try await app.accounts.issue(to: user, assurance: level, kind: .session, at: now), next: request.nextPath)
    }

    /// The first single sign-on to an account, confirmed with the account's password: binds the
    /// identity the ticket names and opens the session the provider's sign-in earned. A wrong
    /// password counts toward the account's lock like any other.
    public func link(ticket text: String, password: String) async throws -> (token: IssuedToken, next: String) {
        let now = app.clock.now()
        guard let ticket = LinkTicket.decode(text, with: try app.secretBox()), ticket.expires > now else {
            throw ServiceError.unauthorized("this confirmation has expired or is not valid; sign in through the single sign-on portal again")
        }
        let username = ticket.username
        guard let user = try await AccountStore.user(username, on: app.database), user.active, user.actor.isOfficial else {
            throw ServiceError.forbidden("the account \(username) is not an active official account")
        }
        if let until = user.lockedUntil, until > now { throw AccountService.locked(until, now: now) }
        guard AccountService.verify(password, of: user) else {
            throw try await app.accounts.wrongAttempt(username, at: now, .invalid(field: "password", message: "wrong password for \(username)"))
        }
        if user.failedSignIns > 0 || user.lockedUntil != nil { try await AccountStore.recordSuccessfulSignIn(username, on: app.database) }
        if user.ssoSubject != ticket.subject {
            guard user.ssoSubject == nil else { throw Self.boundToAnother(username) }
            guard try await bind(username, to: ticket.subject, detail: "first single sign-on, confirmed with the account's password", at: now) else {
                throw Self.boundToAnother(username)
            }
        }
        return (try await app.accounts.issue(to: user, assurance: ticket.level, kind: .session, at: now), ticket.next)
    }

    static func boundToAnother(_ username: String) -> ServiceError {
        .forbidden("the account \(username) belongs to another single sign-on identity; if its owner's portal account was replaced, an administrator unbinds it")
    }

    /// The token request (RFC 6749 §4.1.3) and the ID token's checks; keys are fetched again
    /// once when none verifies (the provider may have rotated them).
    func redeem(_ code: String, verifier: String, nonce: String, _ s: OpenIDProvider, now: Date) async throws -> IDToken {
        let metadata = try await app.openIDMetadata.metadata(s, refresh: false)
        guard let url = URL(string: metadata.tokenEndpoint) else { throw ServiceError.unavailable("the provider's token endpoint is not a URL") }
        var call = HTTPCall(url: url, method: "POST", timeout: 15)
        call.setHeader("Content-Type", "application/x-www-form-urlencoded")
        call.setHeader("Accept", "application/json")
        let basic = FormEncoding.escape(s.clientID) + ":" + FormEncoding.escape(s.clientSecret)
        call.setHeader("Authorization", "Basic " + Data(basic.utf8).base64EncodedString())
        call.body = Data(FormEncoding.encode([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier)]).utf8)
        let answer: HTTPCall.Answer
        do { answer = try await call.send() } catch let f as HTTPCall.Failure {
            throw ServiceError.unavailable("the sign-in provider \(s.issuer) is \(f); try again in a moment")
        }
        let json = try? JSONDecoder().decode(JSONValue.self, from: answer.body)
        guard answer.status == 200, let jwt = json?["id_token"]?.stringValue else {
            let why = json?["error_description"]?.stringValue ?? json?["error"]?.stringValue ?? "HTTP \(answer.status)"
            throw ServiceError.unauthorized("the provider did not accept the sign-in (\(why)); start signing in again")
        }
        func verify(_ keys: [JWK]) throws -> IDToken {
            try IDToken.verify(jwt, keys: keys, issuer: s.issuer, clientID: s.clientID, nonce: nonce, now: now)
        }
        do {
            do { return try verify(metadata.keys) } catch let e as IDToken.Refused where e.unknownKey {
                // The provider rotated its key: fetch its keys once more.
                return try verify(try await app.openIDMetadata.metadata(s, refresh: true).keys)
            }
        } catch let e as IDToken.Refused {
            throw ServiceError.unauthorized("the provider's ID token was refused: \(e.description)")
        }
    }

    /// An official signs in to the account bound to their single sign-on identity (the issuer and
    /// `sub`, stable and unique by the OpenID Connect rules). The first time, the account the
    /// portal names (`MOTCUA_SSO_CLAIM`, `preferred_username` by default) is bound to that identity:
    /// once its password is typed (nil here: ``link(ticket:password:)``), or, with
    /// `MOTCUA_SSO_FIRST_BIND=trust`, at once. A portal that lets people rename themselves cannot
    /// sign anyone in to an account already bound to someone else, nor, with the password asked,
    /// to one never signed in by single sign-on. The portal cannot create accounts or give roles.
    func official(_ username: String, subject: String, at now: Date) async throws -> StoredUser? {
        let noAccount = ServiceError.forbidden(
            "the single sign-on portal signed in \(username), who has no active official account in MotCua; ask an administrator to create one with this username")
        if let bound = try await AccountStore.user(ssoSubject: subject, on: app.database) {
            guard bound.active, bound.actor.isOfficial else { throw noAccount }
            return bound
        }
        guard let user = try await AccountStore.user(username, on: app.database), user.active, user.actor.isOfficial else { throw noAccount }
        guard user.ssoSubject == nil else {
            try await app.database.transaction { tx in
                try await AccountStore.recordEvent(
                    id: TimeOrderedID.make(at: now), at: now, username: username, actor: subject, action: "sso-refused",
                    detail: "the portal named this account for an identity it is not bound to", on: tx)
            }
            throw Self.boundToAnother(username)
        }
        guard app.config.ssoFirstBind == .trust else { return nil }
        guard try await bind(username, to: subject, detail: "first single sign-on", at: now) else {
            throw ServiceError.unauthorized("another sign-in to \(username) happened at the same moment; sign in again")
        }
        return user
    }

    /// Binds an account to a single sign-on identity, with its account event; false when another
    /// identity was bound first.
    func bind(_ username: String, to subject: String, detail: String, at now: Date) async throws -> Bool {
        try await app.database.transaction { tx in
            guard try await AccountStore.bindSSO(username, subject: subject, on: tx) else { return false }
            try await AccountStore.recordEvent(
                id: TimeOrderedID.make(at: now), at: now, username: username, actor: subject, action: "sso-bound", detail: detail, on: tx)
            return true
        }
    }

    /// A citizen's account by personal ID number, made at the first sign-in (no password: the
    /// e-ID is how this account signs in).
    func citizen(_ idNumber: String, name: String?, at now: Date) async throws -> StoredUser {
        if let problem = PersonalID.validate(idNumber, currentYear: VietnamTime.date(of: now).year) {
            throw ServiceError.unauthorized("the e-ID sent a personal ID number MotCua cannot use: \(problem.message)")
        }
        if let user = try await AccountStore.citizen(idNumber: idNumber, on: app.database) {
            guard user.active else { throw ServiceError.forbidden("this citizen account is disabled; ask the one-stop centre") }
            return user
        }
        let user = StoredUser(
            username: idNumber, passwordHash: AccountService.unusablePassword, fullName: name ?? idNumber, roles: [.citizen], unit: nil, idNumber: idNumber)
        try await app.database.transaction { tx in
            guard try await AccountStore.insert(user, at: now, on: tx) else {
                throw ServiceError.conflict(message: "an account named \(idNumber) exists and is not this citizen's; ask an administrator", status: nil, allowedActions: [], currentVersion: nil)
            }
            try await AccountStore.recordEvent(
                id: TimeOrderedID.make(at: now), at: now, username: idNumber, actor: idNumber, action: "account-created", detail: "first sign-in with the e-ID", on: tx)
        }
        return user
    }

    static func random() -> String {
        Base64URL.encode(RandomBytes.make(32))
    }
}

/// What a provider publishes (discovery document and keys), fetched once an hour at most.
public actor OpenIDMetadataCache {
    struct Metadata: Sendable {
        let authorizationEndpoint: String
        let tokenEndpoint: String
        let keys: [JWK]
        let fetchedAt: Date
    }

    private var byIssuer: [String: Metadata] = [:]

    public init() {}

    func metadata(_ s: OpenIDProvider, refresh: Bool) async throws -> Metadata {
        if !refresh, let m = byIssuer[s.issuer], Date().timeIntervalSince(m.fetchedAt) < 3600 { return m }
        let discovery = try await Self.fetch(s.issuer + "/.well-known/openid-configuration", s)
        // The document must name the issuer it was fetched for (OpenID Connect Discovery §4.3).
        guard discovery["issuer"]?.stringValue == s.issuer, let authorize = discovery["authorization_endpoint"]?.stringValue,
            let token = discovery["token_endpoint"]?.stringValue, let jwks = discovery["jwks_uri"]?.stringValue
        else {
            throw ServiceError.unavailable("the sign-in provider's discovery document at \(s.issuer) is incomplete or names another issuer; check MOTCUA_SSO_ISSUER / MOTCUA_EID_ISSUER")
        }
        let m = Metadata(authorizationEndpoint: authorize, tokenEndpoint: token, keys: JWK.set(try await Self.fetch(jwks, s)), fetchedAt: Date())
        byIssuer[s.issuer] = m
        return m
    }

    static func fetch(_ address: String, _ s: OpenIDProvider) async throws -> JSONValue {
        guard let url = URL(string: address) else { throw ServiceError.unavailable("the sign-in provider published a bad address: \(address)") }
        do {
            // As long as the token request's: a busy provider (or a loaded machine) is not down.
            let answer = try await HTTPCall(url: url, timeout: 15).send()
            guard answer.status == 200, let json = try? JSONDecoder().decode(JSONValue.self, from: answer.body) else {
                throw ServiceError.unavailable("the sign-in provider \(s.issuer) answered HTTP \(answer.status) for \(address); try again later")
            }
            return json
        } catch let f as HTTPCall.Failure {
            throw ServiceError.unavailable("the sign-in provider \(s.issuer) is \(f); try again later or sign in with a password")
        }
    }
}

/// What the browser carries between an official's first single sign-on and the password that
/// confirms the account: who, which identity, the level the provider gave, where to go next, until
/// when; MAC'd with the instance's secret key, so it cannot be made or changed outside MotCua.
struct LinkTicket: Codable, Sendable {
    var username: String
    var subject: String
    var level: Int
    var next: String
    var expires: Date

    static let purpose = "sso-link-ticket"

    func encode(with box: SecretBox) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let payload = try encoder.encode(self)
        return Base64URL.encode(payload) + "." + Base64URL.encode(box.mac(Self.purpose, payload))
    }

    static func decode(_ text: String, with box: SecretBox) -> LinkTicket? {
        let parts = text.split(separator: ".").map(String.init)
        guard parts.count == 2, let payload = Base64URL.decode(parts[0]), let mac = Base64URL.decode(parts[1]),
            box.isValid(mac: Array(mac), purpose, payload)
        else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try? decoder.decode(LinkTicket.self, from: payload)
    }
}
