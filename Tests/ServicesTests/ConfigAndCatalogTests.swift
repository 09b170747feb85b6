// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Documents
import Domain
import Foundation
import Services
import Storage
import Testing

@Suite("Configuration and catalog import")
struct ConfigAndCatalogTests {
    @Test("defaults are the embedded mode")
    func defaults() throws {
        let c = try AppConfig.fromEnvironment([:])
        #expect(c.dataDir == "./data")
        #expect(c.databaseURL == nil)
        #expect(c.httpPort == 8080)
        #expect(c.sqlitePath == "./data/motcua.sqlite")
        #expect(c.officeHours.minutesPerDay == 480)
    }

    @Test("a bad value fails at start naming the variable")
    func badValues() throws {
        func variable(_ env: [String: String]) -> String? {
            do {
                _ = try AppConfig.fromEnvironment(env)
                return nil
            } catch let e as AppConfig.ConfigError { return e.variable } catch { return "?" }
        }
        #expect(variable(["MOTCUA_HTTP_PORT": "eighty"]) == "MOTCUA_HTTP_PORT")
        #expect(variable(["MOTCUA_HTTP_PORT": "70000"]) == "MOTCUA_HTTP_PORT")
        #expect(variable(["DATABASE_URL": "mysql://x"]) == "DATABASE_URL")
        #expect(variable(["MOTCUA_OFFICE_HOURS": "9-5"]) == "MOTCUA_OFFICE_HOURS")
        #expect(variable(["MOTCUA_CULTURE_DAY_FROM": "soon"]) == "MOTCUA_CULTURE_DAY_FROM")
        #expect(variable(["MOTCUA_HOLIDAYS_FILE": "/nonexistent.json"]) == "MOTCUA_HOLIDAYS_FILE")
        // Several problems are all reported.
        let both = variable(["MOTCUA_HTTP_PORT": "x", "DATABASE_URL": "y"]) ?? ""
        #expect(both.contains("MOTCUA_HTTP_PORT") && both.contains("DATABASE_URL"))
        #expect(variable(["MOTCUA_CULTURE_DAY_FROM": "off", "DATABASE_URL": "postgres://u@h/db", "MOTCUA_HTTP_PORT": "9000"]) == nil)
        // A standby needs a PostgreSQL primary.
        #expect(variable(["DATABASE_READ_URL": "postgres://u@h2/db"]) == "DATABASE_READ_URL")
        #expect(variable(["DATABASE_URL": "postgres://u@h/db", "DATABASE_READ_URL": "h2"]) == "DATABASE_READ_URL")
        #expect(try AppConfig.fromEnvironment(["DATABASE_URL": "postgres://u@h/db", "DATABASE_READ_URL": "postgres://u@h2/db"]).databaseReadURL == "postgres://u@h2/db")
    }

    @Test("secrets come from a variable or the file NAME_FILE names; a bad key or an unreadable file is refused without the value")
    func secrets() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = Data((0..<32).map { UInt8($0) })
        let keyFile = dir.appendingPathComponent("secret.key")
        try (key.base64EncodedString() + "\n").write(to: keyFile, atomically: true, encoding: .utf8)
        #expect(try AppConfig.fromEnvironment(["MOTCUA_SECRET_KEY_FILE": keyFile.path]).secretKey == Array(key))
        #expect(try AppConfig.fromEnvironment(["MOTCUA_SECRET_KEY": key.map { String(format: "%02x", $0) }.joined()]).secretKey == Array(key))
        #expect(try AppConfig.fromEnvironment([:]).secretKey == nil)
        #expect(throws: AppConfig.ConfigError.self, "a previous key without the new one") {
            try AppConfig.fromEnvironment(["MOTCUA_SECRET_KEY_PREVIOUS_FILE": keyFile.path])
        }
        let rotating = try AppConfig.fromEnvironment(["MOTCUA_SECRET_KEY": String(repeating: "ab", count: 32), "MOTCUA_SECRET_KEY_PREVIOUS_FILE": keyFile.path])
        #expect(rotating.previousSecretKey == Array(key) && rotating.secretKey == Array(repeating: 0xab, count: 32))
        do {
            _ = try AppConfig.fromEnvironment(["MOTCUA_SECRET_KEY": "hunter2-too-short"])
            Issue.record("a short key was accepted")
        } catch let e as AppConfig.ConfigError {
            #expect(e.variable == "MOTCUA_SECRET_KEY" && !e.description.contains("hunter2"), "\(e)")
        }
        #expect(throws: AppConfig.ConfigError.self) { try AppConfig.fromEnvironment(["MOTCUA_METRICS_TOKEN_FILE": dir.appendingPathComponent("none").path]) }
        let token = dir.appendingPathComponent("token")
        try "s3cret\n".write(to: token, atomically: true, encoding: .utf8)
        #expect(try AppConfig.fromEnvironment(["MOTCUA_METRICS_TOKEN_FILE": token.path]).metricsToken == "s3cret")
        #expect(
            try AppConfig.fromEnvironment(["POPULATION_URL": "http://127.0.0.1:1", "POPULATION_CLIENT_ID": "motcua", "POPULATION_CLIENT_SECRET_FILE": token.path])
                .populationClientSecret == "s3cret")
    }

    @Test("log positions read as PostgreSQL writes them, in order")
    func logPositions() {
        #expect(ReadReplica.position("0/3000060") == 0x3000060)
        #expect(ReadReplica.position("16/B374D848") == 0x16_B374_D848)
        #expect(ReadReplica.position("1/0")! > ReadReplica.position("0/FFFFFFFF")!)
        for bad in ["", "16", "x/1", "1/2/3", "100000000/0"] { #expect(ReadReplica.position(bad) == nil, "\(bad)") }
    }

    @Test("the relay's pacing comes from the environment, and a lease too short to send anything is refused")
    func relayTuning() throws {
        let c = try AppConfig.fromEnvironment([
            "DVCQG_TIMEOUT_SECONDS": "1", "DVCQG_INFLIGHT_SECONDS": "5", "DVCQG_LEASE_SECONDS": "12", "DVCQG_BACKOFF_SECONDS": "0.05",
            "DVCQG_BACKOFF_CAP_SECONDS": "1", "DVCQG_MAX_ATTEMPTS": "1000",
        ])
        #expect(c.dvcqgTimeoutSeconds == 1 && c.dvcqgInflightSeconds == 5)
        #expect(c.relay == { var r = RelayTuning(); r.leaseSeconds = 12; r.backoffBaseSeconds = 0.05; r.backoffCapSeconds = 1; r.maxAttempts = 1000; return r }())
        let defaults = try AppConfig.fromEnvironment([:])
        #expect(defaults.relay == RelayTuning() && defaults.relay.leaseSeconds == 300 && defaults.dvcqgTimeoutSeconds == 30)
        func problem(_ env: [String: String]) -> AppConfig.ConfigError? {
            do {
                _ = try AppConfig.fromEnvironment(env)
                return nil
            } catch { return error as? AppConfig.ConfigError }
        }
        // 120 s in flight + 30 s timeout leave a 100-second lease no time to send in.
        let short = problem(["DVCQG_LEASE_SECONDS": "100"])
        #expect(short?.variable == "DVCQG_LEASE_SECONDS" && short?.description.contains("DVCQG_INFLIGHT_SECONDS") == true)
        #expect(problem(["DVCQG_TIMEOUT_SECONDS": "0"])?.variable == "DVCQG_TIMEOUT_SECONDS")
        #expect(problem(["DVCQG_BACKOFF_SECONDS": "soon"])?.variable == "DVCQG_BACKOFF_SECONDS")
        #expect(problem(["DVCQG_MAX_ATTEMPTS": "0"])?.variable == "DVCQG_MAX_ATTEMPTS")
    }

    @Test("a broken catalog names the JSON path and imports nothing")
    func badCatalog() throws {
        func field(_ json: String) -> String? {
            do {
                _ = try CatalogFile.decode(Data(json.utf8))
                return nil
            } catch ServiceError.invalid(let f, _) { return f } catch { return "?" }
        }
        #expect(field(#"{"format":"motcua-catalog/1","procedures":[{"code":"1"}]}"#) == "procedures[0].name")
        #expect(field(#"{"format":"other"}"#) == "format")
        #expect(field(#"{"format":"motcua-catalog/1","units":[{"code":"bad code","name":"X","kind":"commune"}]}"#) == "units[0].code")
        #expect(field("{") == "$")
        var bundled = try BundledData.catalog()
        let p = bundled.procedures![0]
        bundled.procedures!.append(p)
        let dup = try JSONEncoder().encode(bundled)
        #expect(field(String(decoding: dup, as: UTF8.self)) == "procedures[\(bundled.procedures!.count - 1)].code")
    }

    @Test("import is all or nothing, and a procedure keeps its versions", arguments: TestDB.available)
    func importAllOrNothing(db: TestDB) async throws {
        try await db.withDatabase { database in
            try await Migrator(database: database).migrate()
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-blobs-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            let app = MotCua(config: AppConfig(), database: database, calendar: try BundledData.workingCalendar(AppConfig()), blobs: try FileBlobStore(root: dir))
            // A unit whose parent does not exist violates the foreign key: nothing may be written.
            let broken = CatalogFile(
                units: [AdministrativeUnit(code: "000.00.01.H98", name: "Orphan", kind: .department, parentCode: "000.00.00.H97")],
                procedures: try BundledData.catalog().procedures)
            await #expect(throws: (any Error).self) { try await app.catalog.importCatalog(broken) }
            #expect(try await app.database.first("SELECT COUNT(*) AS n FROM procedures")?.int("n") == 0)
            let s = try await app.catalog.importCatalog(try BundledData.catalog())
            #expect(s.procedures >= 30)
            // Versioned procedures pin the version in force on a date.
            let permit = try await app.catalog.procedure(code: "1.013225")
            #expect(permit.versions.count == 2)
            let v1 = try #require(permit.version(on: LocalDate(year: 2025, month: 8, day: 1)!))
            let v2 = try #require(permit.version(on: LocalDate(year: 2026, month: 11, day: 1)!))
            #expect(v1.version == 1 && v2.version == 2)
        }
    }
}
