// SPDX-License-Identifier: Apache-2.0

/// Roles in a provincial one-stop system.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// One-stop officer (cán bộ Bộ phận Một cửa): receives, refuses, hands back results.
    case officer
    /// Specialist (chuyên viên): handles dossiers of their unit.
    case specialist
    /// Leader (lãnh đạo): assigns, approves, stops, signs.
    case leader
    /// Administrator: catalog, units, users; no dossier actions.
    case admin
    /// Citizen or business: their own dossiers only.
    case citizen
    /// Another system of a unit (client credentials): only what its ``APIScope``s allow.
    case client
}

/// Who is acting: an authenticated account with its roles, unit and (for citizens) ID number.
public struct Actor: Sendable, Hashable, Codable {
    public let username: String
    public let roles: Set<Role>
    /// Agency code of the official's unit.
    public let unit: String?
    /// Citizen's personal ID number (owner check).
    public let idNumber: String?
    /// How the account proved itself for this request: 1 a password, 2 a password and a second
    /// factor. Actors the system makes itself (tests, imports, background work) are 2; only a
    /// token can make a weaker one.
    public let assurance: Int
    /// An API client's scopes (empty for people).
    public var scopes: Set<APIScope> = []

    public init(username: String, roles: Set<Role>, unit: String?, idNumber: String? = nil, assurance: Int = 2, scopes: Set<APIScope> = []) {
        self.username = username
        self.roles = roles
        self.unit = unit
        self.idNumber = idNumber
        self.assurance = assurance
        self.scopes = scopes
    }

    /// An API client with this scope.
    public func allows(_ scope: APIScope) -> Bool { has(.client) && scopes.contains(scope) }

    public func has(_ role: Role) -> Bool { roles.contains(role) }

    public var isOfficial: Bool { has(.officer) || has(.specialist) || has(.leader) || has(.admin) }

    /// The system itself (background work, imports).
    public static let system = Actor(username: "system", roles: [.admin], unit: nil)
}
