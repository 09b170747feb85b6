// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// The catalog import format (`motcua-catalog/1`, documented in docs/CATALOG.md): units and
/// procedures, both optional. Provenance fields (`source`, `verified`, `note`) are kept in the file
/// for reviewers and ignored by the importer.
public struct CatalogFile: Codable, Sendable {
    public var format: String
    public var units: [AdministrativeUnit]?
    public var procedures: [Procedure]?

    public init(format: String = CatalogFile.formatName, units: [AdministrativeUnit]? = nil, procedures: [Procedure]? = nil) {
        self.format = format
        self.units = units
        self.procedures = procedures
    }

    public static let formatName = "motcua-catalog/1"

    /// Decodes and checks a catalog; errors name the JSON path of the problem.
    public static func decode(_ data: Data) throws -> CatalogFile {
        let file: CatalogFile
        do {
            file = try JSONDecoder().decode(CatalogFile.self, from: data)
        } catch let e as DecodingError {
            throw ServiceError.invalid(field: JSONProblem.path(of: e), message: JSONProblem.message(of: e))
        } catch {
            throw ServiceError.invalid(field: "$", message: "not valid JSON: \(error.localizedDescription)")
        }
        guard file.format == formatName else {
            throw ServiceError.invalid(field: "format", message: "expected \"\(formatName)\", got \"\(file.format)\"")
        }
        try file.validate()
        return file
    }

    func validate() throws {
        for (i, u) in (units ?? []).enumerated() where !AgencyCode.isValid(u.code) {
            throw ServiceError.invalid(field: "units[\(i)].code", message: "\(u.code) is not an agency identifier (≤35 of 0-9 A-Z ., with a level-1 group like H56)")
        }
        var seen = Set<String>()
        for (i, p) in (procedures ?? []).enumerated() {
            let at = "procedures[\(i)]"
            guard seen.insert(p.code).inserted else { throw ServiceError.invalid(field: "\(at).code", message: "duplicate procedure \(p.code)") }
            guard !p.versions.isEmpty else { throw ServiceError.invalid(field: "\(at).versions", message: "a procedure needs at least one version") }
            guard p.authority == "commune" || p.authority.hasPrefix("department:") || p.authority.hasPrefix("unit:") else {
                throw ServiceError.invalid(field: "\(at).authority", message: "use \"commune\", \"department:<sector>\" or \"unit:<agency code>\"")
            }
            var numbers = Set<Int>()
            for (j, v) in p.versions.enumerated() {
                let vat = "\(at).versions[\(j)]"
                guard numbers.insert(v.version).inserted else { throw ServiceError.invalid(field: "\(vat).version", message: "duplicate version \(v.version)") }
                guard v.processingTime.amount > 0 else { throw ServiceError.invalid(field: "\(vat).processingTime.amount", message: "must be positive") }
                if let c = v.cutoffTime, ClockTime.minute(of: c) == nil {
                    throw ServiceError.invalid(field: "\(vat).cutoffTime", message: "must be HH:mm (got \(c))")
                }
                if let f = v.fees.first(where: { $0.amount < 0 }) {
                    throw ServiceError.invalid(field: "\(vat).fees", message: "fee \(f.code) is negative")
                }
                var codes = Set<String>()
                for c in v.components where !codes.insert(c.code).inserted {
                    throw ServiceError.invalid(field: "\(vat).components", message: "duplicate component code \(c.code)")
                }
            }
        }
    }
}

/// Turns a DecodingError into a JSON path and a sentence.
public enum JSONProblem {
    public static func path(of e: DecodingError) -> String {
        let ctx: DecodingError.Context
        var extra: String?
        switch e {
        case .keyNotFound(let k, let c):
            ctx = c
            extra = k.stringValue
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): ctx = c
        @unknown default: return "$"
        }
        var parts = ctx.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
        if let extra { parts.append(".\(extra)") }
        let p = parts.joined()
        return p.isEmpty ? "$" : (p.hasPrefix(".") ? String(p.dropFirst()) : p)
    }

    public static func message(of e: DecodingError) -> String {
        switch e {
        case .keyNotFound: "is required"
        case .typeMismatch(let t, _): "has the wrong type (expected \(t))"
        case .valueNotFound(let t, _): "must not be null (expected \(t))"
        case .dataCorrupted(let c): c.underlyingError.map { "is not valid JSON (\($0.localizedDescription))" } ?? c.debugDescription
        @unknown default: "is invalid"
        }
    }
}
