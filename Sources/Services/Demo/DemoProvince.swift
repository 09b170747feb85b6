// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// The demo province "Sơn Hà" (fictional level-1 code H99, unit code 99): a service centre with
/// branches, departments, communes and wards, accounts for every role, the shipped catalog,
/// and dossier histories driven through the real services with a moving clock.
public enum DemoProvince {
    public static let provinceCode = "000.00.00.H99"
    public static let centreCode = "000.01.00.H99"

    public static let units: [AdministrativeUnit] = [
        .init(code: provinceCode, adminCode: "99", name: "UBND tỉnh Sơn Hà", kind: .province, address: "01 Quảng trường Trung tâm, phường Sơn Hà"),
        .init(code: centreCode, name: "Trung tâm Phục vụ hành chính công tỉnh Sơn Hà", kind: .centre, parentCode: provinceCode, address: "12 Đại lộ Lê Lợi, phường Sơn Hà"),
        .init(code: "000.01.01.H99", name: "Chi nhánh số 1 – Trung tâm Phục vụ hành chính công", kind: .branch, parentCode: centreCode, address: "45 Nguyễn Trãi, phường Hòa Bình"),
        .init(code: "000.01.02.H99", name: "Chi nhánh số 2 – Trung tâm Phục vụ hành chính công", kind: .branch, parentCode: centreCode, address: "8 Trần Phú, xã Đông Sơn"),
        .init(code: "000.00.03.H99", name: "Sở Tư pháp", kind: .department, sector: "justice", parentCode: provinceCode),
        .init(code: "000.00.04.H99", name: "Sở Xây dựng", kind: .department, sector: "construction", parentCode: provinceCode),
        .init(code: "000.00.05.H99", name: "Sở Nông nghiệp và Môi trường", kind: .department, sector: "agriculture-environment", parentCode: provinceCode),
        .init(code: "000.00.06.H99", name: "Sở Tài chính", kind: .department, sector: "finance", parentCode: provinceCode),
        .init(code: "000.00.07.H99", name: "Sở Nội vụ", kind: .department, sector: "home-affairs", parentCode: provinceCode),
        .init(code: "000.00.08.H99", name: "Công an tỉnh Sơn Hà", kind: .department, sector: "police", parentCode: provinceCode),
        .init(code: "000.20.01.H99", adminCode: "99001", name: "UBND phường Sơn Hà", kind: .commune, parentCode: provinceCode),
        .init(code: "000.20.02.H99", adminCode: "99004", name: "UBND phường Hòa Bình", kind: .commune, parentCode: provinceCode),
        .init(code: "000.20.03.H99", adminCode: "99007", name: "UBND xã Tân Lập", kind: .commune, parentCode: provinceCode),
        .init(code: "000.20.04.H99", adminCode: "99010", name: "UBND xã Đông Sơn", kind: .commune, parentCode: provinceCode),
        .init(code: "000.20.05.H99", adminCode: "99013", name: "UBND xã Yên Phú", kind: .commune, parentCode: provinceCode),
        .init(code: "000.20.06.H99", adminCode: "99016", name: "UBND xã Thạch Bàn", kind: .commune, parentCode: provinceCode),
    ]

    /// Named demo accounts listed in the README, plus one officer, specialist and leader per unit.
    public struct Account: Sendable {
        public let username: String
        public let fullName: String
        public let roles: Set<Role>
        public let unit: String?
        public let idNumber: String?
    }

    public static let citizenIdNumber = "001190012345"

    public static var namedAccounts: [Account] {
        [
            Account(username: "admin", fullName: "Quản trị hệ thống", roles: [.admin], unit: provinceCode, idNumber: nil),
            Account(username: "officer", fullName: "Nguyễn Thị Lan", roles: [.officer], unit: centreCode, idNumber: nil),
            Account(username: "specialist", fullName: "Trần Văn Minh", roles: [.specialist], unit: "000.00.03.H99", idNumber: nil),
            Account(username: "leader", fullName: "Lê Quang Huy", roles: [.leader], unit: "000.00.03.H99", idNumber: nil),
            Account(username: "citizen", fullName: "Phạm Thị Hoa", roles: [.citizen], unit: nil, idNumber: citizenIdNumber),
        ]
    }

    public static func slug(_ code: String) -> String {
        code.replacingOccurrences(of: ".", with: "").lowercased()
    }

    /// Per-unit staff: `motcua.<unit>` (reception points), `chuyenvien.<unit>`, `lanhdao.<unit>`.
    public static var unitAccounts: [Account] {
        var out: [Account] = []
        for u in units where u.kind != .province {
            let s = slug(u.code)
            if u.receivesDossiers {
                out.append(Account(username: "motcua.\(s)", fullName: "Cán bộ một cửa \(u.name)", roles: [.officer], unit: u.code, idNumber: nil))
            }
            if u.kind == .department || u.kind == .commune {
                out.append(Account(username: "chuyenvien.\(s)", fullName: "Chuyên viên \(u.name)", roles: [.specialist], unit: u.code, idNumber: nil))
                out.append(Account(username: "lanhdao.\(s)", fullName: "Lãnh đạo \(u.name)", roles: [.leader], unit: u.code, idNumber: nil))
            }
        }
        return out
    }

    /// What `seed` did.
    public struct Summary: Sendable, CustomStringConvertible {
        public var units = 0
        public var procedures = 0
        public var accounts = 0
        public var dossiersBefore = 0
        public var dossiersCreated = 0
        public var actions = 0
        public var seconds = 0.0
        public var description: String {
            "units \(units), procedures \(procedures), accounts \(accounts), dossiers created \(dossiersCreated) (had \(dossiersBefore)), actions \(actions), \(String(format: "%.1f", seconds)) s"
        }
    }

    /// Seeds the province. Idempotent: units, catalog and accounts are upserted; dossiers are only
    /// added up to `dossiers` in total.
    public static func seed(
        _ app: MotCua, dossiers target: Int, password: String, now: Date = Date(), seed: UInt64 = 766,
        progress: @Sendable (String) -> Void = { _ in }
    ) async throws -> Summary {
        let started = Date()
        var s = Summary()
        var catalog = try BundledData.catalog()
        catalog.units = units
        let imported = try await app.catalog.importCatalog(catalog)
        s.units = imported.units
        s.procedures = imported.procedures
        progress("catalog: \(imported.units) units, \(imported.procedures) procedures")
        // One bcrypt hash for all demo accounts: same password, and seeding stays fast.
        let hash = app.accounts.hashPassword(password)
        for a in namedAccounts + unitAccounts {
            try await AccountStore.upsert(
                StoredUser(username: a.username, passwordHash: hash, fullName: a.fullName, roles: a.roles, unit: a.unit, idNumber: a.idNumber),
                at: now, on: app.database)
            s.accounts += 1
        }
        progress("accounts: \(s.accounts) (password as given)")
        s.dossiersBefore = try await app.database.first("SELECT COUNT(*) AS n FROM dossiers")?.int("n") ?? 0
        let missing = target - s.dossiersBefore
        if missing > 0 {
            var history = DemoHistory(app: app, procedures: catalog.procedures ?? [], now: now, seed: seed &+ UInt64(s.dossiersBefore))
            while s.dossiersCreated < missing {
                // A story that would start in the future creates nothing; draw another.
                guard let actions = try await history.run() else { continue }
                s.actions += actions
                s.dossiersCreated += 1
                if s.dossiersCreated % 500 == 0 || s.dossiersCreated == missing { progress("dossiers: \(s.dossiersCreated)/\(missing)") }
            }
        }
        s.seconds = Date().timeIntervalSince(started)
        return s
    }
}

/// SplitMix64: a small deterministic generator, so the demo province is the same every time.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
