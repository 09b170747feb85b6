// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// Reading and importing the catalog of units and procedures.
public struct CatalogService: Sendable {
    let app: MotCua

    /// Counts of what an import wrote.
    public struct ImportSummary: Sendable, Equatable {
        public let units: Int
        public let procedures: Int
        public let versions: Int
    }

    /// Imports a catalog in one transaction: all of it or nothing.
    @discardableResult
    public func importCatalog(_ file: CatalogFile) async throws -> ImportSummary {
        let now = app.clock.now()
        let units = file.units ?? []
        let procedures = file.procedures ?? []
        try await app.database.transaction { tx in
            // Parents before children, so the foreign key holds.
            for u in Self.parentsFirst(units) { try await CatalogStore.upsert(u, on: tx) }
            for p in procedures { try await CatalogStore.upsert(p, at: now, on: tx) }
            try await SharedVersionStore.bump(.catalog, on: tx)  // the other instances drop their copy
        }
        await app.cache.invalidate()
        return ImportSummary(units: units.count, procedures: procedures.count, versions: procedures.reduce(0) { $0 + $1.versions.count })
    }

    static func parentsFirst(_ units: [AdministrativeUnit]) -> [AdministrativeUnit] {
        var placed = Set<String>()
        var out: [AdministrativeUnit] = []
        var rest = units
        while !rest.isEmpty {
            let ready = rest.filter { unit in
                guard let parent = unit.parentCode else { return true }
                return placed.contains(parent) || !units.contains { $0.code == parent }
            }
            if ready.isEmpty { return out + rest }
            for u in ready { placed.insert(u.code) }
            out += ready
            rest.removeAll { placed.contains($0.code) }
        }
        return out
    }

    public func units() async throws -> [AdministrativeUnit] {
        try await unitsByCode().values.sorted { $0.code < $1.code }
    }

    public func unitsByCode() async throws -> [String: AdministrativeUnit] {
        let db = app.database
        return try await app.cache.units { try await CatalogStore.units(on: db) }
    }

    public func procedures(_ filter: CatalogStore.ProcedureFilter = .init()) async throws -> [Procedure] {
        try await CatalogStore.procedures(filter, on: app.database)
    }

    /// Every procedure, from the cache (the index reads it on every report).
    public func allProcedures() async throws -> [Procedure] {
        let db = app.database
        return try await app.cache.allProcedures { try await CatalogStore.procedures(.init(), on: db) }
    }

    public func procedure(code: String) async throws -> Procedure {
        let db = app.database
        guard let p = try await app.cache.procedure(code, { try await CatalogStore.procedure(code: code, on: db) }) else {
            throw ServiceError.notFound(what: "procedure", key: code)
        }
        return p
    }
}
