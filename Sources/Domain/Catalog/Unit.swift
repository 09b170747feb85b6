// SPDX-License-Identifier: Apache-2.0

/// What kind of administrative body a unit is.
public enum UnitKind: String, Codable, Sendable, CaseIterable {
    /// Provincial People's Committee.
    case province
    /// A department (sở, ngành).
    case department
    /// A commune-level People's Committee (xã, phường, đặc khu).
    case commune
    /// The provincial public-administration service centre (Trung tâm Phục vụ hành chính công).
    case centre
    /// A branch of the service centre.
    case branch
}

/// An administrative unit with its agency identifier code (Decision 20/2020) and,
/// for provinces and communes, its unit code (Decision 19/2025).
public struct AdministrativeUnit: Codable, Sendable, Hashable {
    /// Agency identifier, e.g. "000.00.06.H56"; the dossier-code prefix.
    public let code: String
    /// Administrative unit code: 2 digits for a province, 5 for a commune.
    public let adminCode: String?
    public let name: String
    public let kind: UnitKind
    /// For departments: the sector they are competent for (justice, construction, …).
    public let sector: String?
    public let parentCode: String?
    public let address: String?

    public init(
        code: String, adminCode: String? = nil, name: String, kind: UnitKind, sector: String? = nil, parentCode: String? = nil,
        address: String? = nil
    ) {
        self.code = code
        self.adminCode = adminCode
        self.name = name
        self.kind = kind
        self.sector = sector
        self.parentCode = parentCode
        self.address = address
    }

    /// One-stop reception points: the centre, its branches and commune committees.
    public var receivesDossiers: Bool { kind == .centre || kind == .branch || kind == .commune }

    /// True when this unit is competent under a procedure's authority string.
    public func isCompetent(for authority: String) -> Bool {
        if authority == "commune" { return kind == .commune }
        if authority.hasPrefix("department:") { return kind == .department && sector == String(authority.dropFirst(11)) }
        if authority.hasPrefix("unit:") { return code == String(authority.dropFirst(5)) }
        return false
    }
}
