// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// How the local catalogue differs from the national one (`LayDanhSachTTHC`).
public struct CatalogDifferences: Sendable {
    public struct Change: Sendable {
        public let code: String
        public let name: String
        /// "time 1 ngày làm việc → 2 ngày làm việc", "level full → MOTPHAN", …
        public let what: [String]
    }

    /// On the portal, not in MotCua.
    public var new: [(code: String, name: String)] = []
    /// In both, with a different processing time or online level.
    public var changed: [Change] = []
    /// In MotCua, not on the portal (withdrawn nationally, or a wrong code).
    public var missing: [(code: String, name: String)] = []
    public var same = 0
}

extension SyncService {
    /// Fetches the national catalogue and compares it with the procedures in force today, so the
    /// province keeps its published catalogue right (publicity indicators 1.1–1.3).
    public func pullCatalog() async throws -> CatalogDifferences {
        guard let client = client() else {
            throw ServiceError.invalid(field: "DVCQG_URL", message: "portal sync is disabled; set DVCQG_URL, DVCQG_USERNAME, DVCQG_PASSWORD and DVCQG_UNIT")
        }
        let national = try await client.catalogue()
        let today = VietnamTime.date(of: app.clock.now())
        var local: [String: Procedure] = [:]
        for p in try await app.catalog.procedures() { local[p.code] = p }
        var d = CatalogDifferences()
        var seen = Set<String>()
        for row in national {
            guard let code = row["MaTTHC"]?.stringValue else { continue }
            let name = row["TenTTHC"]?.stringValue ?? ""
            seen.insert(code)
            guard let p = local[code], let v = p.version(on: today) else {
                d.new.append((code, name))
                continue
            }
            var what: [String] = []
            let days = row["ThoiHanGiaiQuyet"]?.intValue ?? Int(row["ThoiHanGiaiQuyet"]?.stringValue ?? "")
            let unit = TextFolding.fold(row["DonViTinh"]?.stringValue ?? "")
            let theirsWorking = unit.contains("lam viec")
            let oursWorking = v.processingTime.unit == .workingDays
            if let days, v.processingTime.unit != .workingHours, days != v.processingTime.amount || theirsWorking != oursWorking {
                what.append("time \(v.processingTime.amount) \(oursWorking ? "ngày làm việc" : "ngày") → \(days) \(row["DonViTinh"]?.stringValue ?? "")")
            }
            let level = row["MucDo"]?.stringValue ?? ""
            let theirs: OnlineLevel = level == "TOANTRINH" ? .full : level == "MOTPHAN" ? .partial : .none
            if !level.isEmpty, theirs != v.onlineLevel { what.append("online level \(v.onlineLevel.rawValue) → \(level)") }
            if what.isEmpty { d.same += 1 } else { d.changed.append(.init(code: code, name: p.name, what: what)) }
        }
        d.missing = local.values.filter { !seen.contains($0.code) }.sorted { $0.code < $1.code }.map { ($0.code, $0.name) }
        return d
    }
}
