// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// Units and procedures in SQL. Procedure versions are stored whole as JSON (they are read
/// whole and never queried by their parts); searchable columns sit beside them.
public enum CatalogStore {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    public static func upsert(_ u: AdministrativeUnit, on db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO units (code, admin_code, name, kind, sector, parent_code, address) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (code) DO UPDATE SET admin_code = excluded.admin_code, name = excluded.name, kind = excluded.kind,
              sector = excluded.sector, parent_code = excluded.parent_code, address = excluded.address
            """, u.code, u.adminCode, u.name, u.kind.rawValue, u.sector, u.parentCode, u.address)
    }

    public static func units(on db: any SQLExecutor) async throws -> [AdministrativeUnit] {
        try await db.query("SELECT * FROM units ORDER BY code", []).map { r in
            AdministrativeUnit(
                code: try r.require("code"), adminCode: r.string("admin_code"), name: try r.require("name"),
                kind: UnitKind(rawValue: try r.require("kind")) ?? .department, sector: r.string("sector"),
                parentCode: r.string("parent_code"), address: r.string("address"))
        }
    }

    /// Inserts or updates a procedure and all its versions. Versions already stored are replaced
    /// only if identical numbers are re-imported (the catalog file is the source of truth).
    public static func upsert(_ p: Procedure, at now: Date, on db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO procedures (code, name, name_folded, field_code, field_name, level, authority, subjects, non_territorial, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_folded = excluded.name_folded, field_code = excluded.field_code,
              field_name = excluded.field_name, level = excluded.level, authority = excluded.authority, subjects = excluded.subjects,
              non_territorial = excluded.non_territorial, updated_at = excluded.updated_at
            """, p.code, p.name, TextFolding.fold(p.name + " " + p.code), p.field.code, p.field.name, p.level.rawValue, p.authority,
            p.subjects.map(\.rawValue).joined(separator: ","), p.nonTerritorial, now)
        for v in p.versions {
            let spec = String(decoding: try encoder.encode(v), as: UTF8.self)
            try await db.query(
                """
                INSERT INTO procedure_versions (procedure_code, version, effective_from, spec) VALUES (?, ?, ?, ?)
                ON CONFLICT (procedure_code, version) DO UPDATE SET effective_from = excluded.effective_from, spec = excluded.spec
                """, p.code, v.version, v.effectiveFrom.description, spec)
        }
    }

    /// Filters for the procedure list.
    public struct ProcedureFilter: Sendable {
        public var query: String?
        public var field: String?
        public var level: ProcedureLevel?
        public init(query: String? = nil, field: String? = nil, level: ProcedureLevel? = nil) {
            self.query = query
            self.field = field
            self.level = level
        }
    }

    public static func procedures(_ f: ProcedureFilter = .init(), on db: any SQLExecutor) async throws -> [Procedure] {
        var sql = "SELECT * FROM procedures WHERE 1 = 1"
        var binds: [SQLValue] = []
        if let q = f.query, !q.isEmpty {
            // Every folded word must appear (diacritics-insensitive, đ = d).
            for word in TextFolding.fold(q).split(separator: " ") {
                sql += " AND name_folded LIKE ?"
                binds.append(.text("%\(word)%"))
            }
        }
        if let field = f.field { sql += " AND field_code = ?"; binds.append(.text(field)) }
        if let level = f.level { sql += " AND level = ?"; binds.append(.text(level.rawValue)) }
        sql += " ORDER BY field_code, code"
        let rows = try await db.query(sql, binds)
        let versions = try await allVersions(on: db)
        return try rows.map { try procedure(from: $0, versions: versions[try $0.require("code")] ?? []) }
    }

    public static func procedure(code: String, on db: any SQLExecutor) async throws -> Procedure? {
        guard let row = try await db.first("SELECT * FROM procedures WHERE code = ?", code) else { return nil }
        let vrows = try await db.query("SELECT spec FROM procedure_versions WHERE procedure_code = ? ORDER BY version", code)
        return try procedure(from: row, versions: vrows.map { try decodeVersion($0) })
    }

    static func allVersions(on db: any SQLExecutor) async throws -> [String: [ProcedureVersion]] {
        var out: [String: [ProcedureVersion]] = [:]
        for r in try await db.query("SELECT procedure_code, spec FROM procedure_versions ORDER BY procedure_code, version", []) {
            out[try r.require("procedure_code"), default: []].append(try decodeVersion(r))
        }
        return out
    }

    static func decodeVersion(_ r: Row) throws -> ProcedureVersion {
        try JSONDecoder().decode(ProcedureVersion.self, from: Data(try r.require("spec").utf8))
    }

    static func procedure(from r: Row, versions: [ProcedureVersion]) throws -> Procedure {
        Procedure(
            code: try r.require("code"), name: try r.require("name"),
            field: ProcedureField(code: try r.require("field_code"), name: try r.require("field_name")),
            level: ProcedureLevel(rawValue: try r.require("level")) ?? .province, authority: try r.require("authority"),
            subjects: (r.string("subjects") ?? "").split(separator: ",").compactMap { SubjectKind(rawValue: String($0)) },
            nonTerritorial: r.bool("non_territorial"), versions: versions)
    }
}
