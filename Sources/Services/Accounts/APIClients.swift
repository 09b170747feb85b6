// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import HummingbirdBcrypt
import Storage

/// API clients: other systems of a unit (a postal service filing what came by post, a provincial
/// operations centre reading the index) signing in with client credentials (RFC 6749 §4.4). A
/// client is an account with the role `client`, its unit, a secret (bcrypt) and granted scopes;
/// its tokens carry the scopes asked for, never more than granted.
extension AccountService {
    /// Registers a client and returns its secret, shown once. Administrators only; recorded.
    public func registerClient(id: String, name: String, unit: String, scopes: Set<APIScope>, by actor: Actor) async throws -> String {
        guard actor.has(.admin) else { throw ServiceError.forbidden("only administrators register API clients") }
        guard id.count >= 3, id.count <= 64, id.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || "-._".contains($0)) }) else {
            throw ServiceError.invalid(field: "id", message: "a client id is 3–64 characters: lower-case letters, digits, - . _")
        }
        guard !scopes.isEmpty else {
            throw ServiceError.invalid(field: "scopes", message: "grant at least one of \(APIScope.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard try await app.catalog.unitsByCode()[unit] != nil else { throw ServiceError.invalid(field: "unit", message: "unknown unit \(unit)") }
        let secret = Digits.hex(RandomBytes.make(24))
        let now = app.clock.now()
        let client = StoredUser(username: id, passwordHash: hashPassword(secret), fullName: name.isEmpty ? id : name, roles: [.client], unit: unit, idNumber: nil)
        try await app.database.transaction { tx in
            guard try await AccountStore.insertClient(client, scopes: scopes, at: now, on: tx) else {
                throw ServiceError.invalid(field: "id", message: "the name \(id) is taken")
            }
            try await AccountStore.recordEvent(
                id: TimeOrderedID.make(at: now), at: now, username: id, actor: actor.username, action: "client-registered",
                detail: "\(unit): \(APIScope.text(scopes))", on: tx)
        }
        return secret
    }

    /// Disables a client; its tokens stop working at once. Recorded.
    public func revokeClient(id: String, by actor: Actor) async throws {
        guard actor.has(.admin) else { throw ServiceError.forbidden("only administrators revoke API clients") }
        guard let user = try await AccountStore.user(id, on: app.database), user.roles.contains(.client) else { throw ServiceError.notFound(what: "API client", key: id) }
        let now = app.clock.now()
        try await app.database.transaction { tx in
            try await AccountStore.deactivate(id, on: tx)
            try await AccountStore.recordEvent(id: TimeOrderedID.make(at: now), at: now, username: id, actor: actor.username, action: "client-revoked", detail: nil, on: tx)
        }
    }

    /// The API clients, active or not.
    public func clients() async throws -> [StoredUser] { try await users().filter { $0.roles.contains(.client) } }

    /// Why a client credentials request is refused, in RFC 6749 §5.2's words.
    public struct OAuthRefusal: Error, Sendable {
        public let error: String
        public let description: String
    }

    /// A token for a client: `scope` (space-separated) narrows the granted scopes; nil asks for
    /// all of them.
    public func clientToken(id: String, secret: String, scope: String?) async throws -> IssuedToken {
        let user = try await AccountStore.user(id, on: app.database)
        guard Self.verify(secret, of: user), let user, user.active, user.roles.contains(.client) else {
            throw OAuthRefusal(error: "invalid_client", description: "unknown client, wrong secret, or a revoked client")
        }
        var scopes = user.scopes
        if let scope, !scope.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let asked = APIScope.parse(scope), asked.isSubset(of: user.scopes) else {
                throw OAuthRefusal(error: "invalid_scope", description: "this client may ask for \(APIScope.text(user.scopes))")
            }
            scopes = asked
        }
        return try await issue(to: user, assurance: 1, kind: .api, scopes: scopes, at: app.clock.now())
    }
}
