// SPDX-License-Identifier: Apache-2.0
import Documents
import Domain
import Foundation
import Services
import Storage

/// The databases tests run on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set
/// (`make test` sets it after starting a throwaway server on 127.0.0.1).
public enum TestDB: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    public static var postgresURL: String? {
        guard let u = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !u.isEmpty else { return nil }
        return u
    }

    /// The kinds available in this run.
    public static var available: [TestDB] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// A fresh, empty database of this kind, dropped after `body` (a new SQLite file, or a new
    /// PostgreSQL database), so tests never share state and may run in parallel.
    public func withDatabase<T: Sendable>(_ body: @Sendable (any Database) async throws -> T) async throws -> T {
        try await withDatabase { db, _ in try await body(db) }
    }

    /// The same, with the environment a separate `motcua` process needs to open this database
    /// (`MOTCUA_DATA_DIR` of the SQLite file, or `DATABASE_URL`).
    public func withDatabase<T: Sendable>(_ body: @Sendable (any Database, _ environment: [String: String]) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-test-\(UUID().uuidString)")
            let db = try await SQLiteDatabase.open(path: dir.appendingPathComponent("motcua.sqlite").path)
            do {
                let r = try await body(db, ["MOTCUA_DATA_DIR": dir.path])
                await db.close()
                try? FileManager.default.removeItem(at: dir)
                return r
            } catch {
                await db.close()
                try? FileManager.default.removeItem(at: dir)
                throw error
            }
        case .postgres:
            guard let url = TestDB.postgresURL else { throw StorageError.badConfiguration("TEST_DATABASE_URL is not set") }
            let admin = try await PostgresDatabase.connect(url: url, maxConnections: 1)
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            try await admin.query("CREATE DATABASE \(name)", [])
            var c = URLComponents(string: url)!
            c.path = "/\(name)"
            let db = try await PostgresDatabase.connect(url: c.string!, maxConnections: 20)
            func drop() async {
                await db.close()
                _ = try? await admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", [])
                await admin.close()
            }
            do {
                let r = try await body(db, ["DATABASE_URL": c.string!])
                await drop()
                return r
            } catch {
                await drop()
                throw error
            }
        }
    }
}

/// A migrated system on a fresh database with the demo units, the shipped catalog and the
/// demo accounts (bcrypt cost 4 to keep tests quick), a manual clock and the real calendar.
public struct TestApp: Sendable {
    public let app: MotCua
    public let clock: ManualClock
    /// What a separate `motcua` process (a worker) needs to open this database.
    public let environment: [String: String]

    /// Monday 23 November 2026, 09:00 in Vietnam.
    public static let monday0900 = VietnamTime.instant(LocalDate(year: 2026, month: 11, day: 23)!, minuteOfDay: 9 * 60)

    public static func with<T: Sendable>(
        _ kind: TestDB, at start: Date = TestApp.monday0900, accounts: Bool = true, maxUploadBytes: Int = 50 << 20,
        configure: @Sendable (inout AppConfig) -> Void = { _ in },
        _ body: @Sendable (TestApp) async throws -> T
    ) async throws -> T {
        try await kind.withDatabase { db, environment in
            try await Migrator(database: db).migrate()
            var config = AppConfig()
            config.bcryptCost = 4
            // Tests act with password tokens; the tests of the second factor turn it back on.
            config.secondFactorRequired = false
            config.maxUploadBytes = maxUploadBytes
            config.dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-data-\(UUID().uuidString)").path
            configure(&config)
            let clock = ManualClock(start)
            let blobs = try FileBlobStore(root: URL(fileURLWithPath: config.blobDir))
            let app = MotCua(config: config, database: db, calendar: try BundledData.workingCalendar(config), blobs: blobs, clock: clock.clock)
            defer { try? FileManager.default.removeItem(atPath: config.dataDir) }
            var catalog = try BundledData.catalog()
            catalog.units = DemoProvince.units
            try await app.catalog.importCatalog(catalog)
            if accounts {
                let hash = app.accounts.hashPassword("demo")
                for a in DemoProvince.namedAccounts + DemoProvince.unitAccounts {
                    try await AccountStore.upsert(
                        StoredUser(username: a.username, passwordHash: hash, fullName: a.fullName, roles: a.roles, unit: a.unit, idNumber: a.idNumber),
                        at: start, on: db)
                }
            }
            let result = try await body(TestApp(app: app, clock: clock, environment: environment))
            await app.notifications.settle()  // no text still being sent into a removed folder
            return result
        }
    }

    // Actors of the demo province.
    public static let centre = DemoProvince.centreCode
    public static let branch1 = "000.01.01.H99"
    public static let justice = "000.00.03.H99"
    public static let construction = "000.00.04.H99"
    public static let tanLap = "000.20.03.H99"
    public static let dongSon = "000.20.04.H99"

    public static func officer(_ unit: String = centre) -> Actor {
        unit == centre ? Actor(username: "officer", roles: [.officer], unit: unit) : Actor(username: "motcua.\(DemoProvince.slug(unit))", roles: [.officer], unit: unit)
    }
    public static func specialist(_ unit: String = justice) -> Actor { Actor(username: "chuyenvien.\(DemoProvince.slug(unit))", roles: [.specialist], unit: unit) }
    public static func leader(_ unit: String = justice) -> Actor { Actor(username: "lanhdao.\(DemoProvince.slug(unit))", roles: [.leader], unit: unit) }
    public static let citizen = Actor(username: "citizen", roles: [.citizen], unit: nil, idNumber: DemoProvince.citizenIdNumber)

    public static func applicant(_ id: String = DemoProvince.citizenIdNumber) -> Applicant {
        Applicant(idNumber: id, fullName: "Phạm Thị Hoa", phone: "0912345678", address: "12 Lê Lợi, phường Sơn Hà")
    }

    /// Counts rows of a table.
    public func count(_ table: String) async throws -> Int {
        try await app.database.first("SELECT COUNT(*) AS n FROM \(table)")?.int("n") ?? -1
    }
}

/// A test's own failure with a message (a child process that exited, an unexpected answer).
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
