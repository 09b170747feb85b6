// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Documents
import Domain
import Foundation
import Hummingbird
import Logging
import Services
import Signing
import Simulators
import Storage
import Web

/// `motcua`: one binary for serving, migrating, seeding, importing and benchmarking.
@main
struct MotCuaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motcua",
        abstract: "MotCua: provincial one-stop system for administrative procedures.",
        discussion: """
            Configuration comes from the environment: MOTCUA_DATA_DIR (default ./data), DATABASE_URL (unset = SQLite in \
            the data dir; postgres://… = PostgreSQL), MOTCUA_HTTP_PORT (default 8080), MOTCUA_HTTP_HOST (default 127.0.0.1), \
            MOTCUA_OFFICE_HOURS (default 07:30-11:30,13:00-17:00), MOTCUA_CULTURE_DAY_FROM (default 2026, or off), \
            MOTCUA_HOLIDAYS_FILE, MOTCUA_TOKEN_TTL_MINUTES (default 480).
            """,
        subcommands: [Serve.self, Worker.self, Migrate.self, Demo.self, CatalogCommand.self, ImportCommand.self, SearchCommand.self, PKI.self, SyncCommand.self, IndexCommand.self, AuditCommand.self, ClientCommand.self, BackupCommand.self, RestoreCommand.self, Sim.self, Bench.self])
}

/// Reads the configuration or exits with a message naming the variable.
func loadConfig() throws -> AppConfig {
    do {
        return try AppConfig.fromEnvironment()
    } catch let e as AppConfig.ConfigError {
        FileHandle.standardError.write(Data("motcua: \(e.description)\n".utf8))
        throw ExitCode(78)
    }
}

/// Opens the system, printing a useful message instead of a stack of types on failure.
func boot(_ config: AppConfig, migrate: Bool = true) async throws -> MotCua {
    do {
        return try await MotCua.boot(config, migrate: migrate)
    } catch {
        FileHandle.standardError.write(Data("motcua: cannot start: \(error)\n".utf8))
        throw ExitCode(69)
    }
}

func say(_ s: String) {
    print(s)
    fflush(nil)
}

/// Prints a benchmark's result as one line of JSON (sorted keys), the last line tools read.
func sayJSON(_ value: some Encodable) throws {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    say(String(decoding: try e.encode(value), as: UTF8.self))
}

/// Prints an error that says what to do, and exits with EX_USAGE.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("motcua: \(message)\n".utf8))
    Foundation.exit(64)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the web application and API, with background workers.")

    func run() async throws {
        let config = try loadConfig()
        LogOutput.bootstrap(config)
        var logger = Logger(label: "motcua")
        logger.logLevel = .info
        let app = try await boot(config)
        say("motcua: \(app.database.dialect.rawValue) database ready; serving on http://\(config.httpHost):\(config.httpPort)")
        try await buildApplication(app: app, logger: logger).runService()
        await app.shutdown()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations, or revert the latest ones.")

    @Option(help: "Revert this many of the latest migrations instead of applying.")
    var revert: Int?

    func run() async throws {
        let config = try loadConfig()
        let app = try await boot(config, migrate: false)
        let migrator = Migrator(database: app.database)
        if let n = revert {
            guard n > 0 else { throw ValidationError("--revert needs a positive number") }
            let names = try await migrator.revert(steps: n) { say($0) }
            say("reverted \(names.count) migration(s)")
        } else {
            let names = try await migrator.migrate { say($0) }
            try await app.afterMigrations(names) { say($0) }
            say(names.isEmpty ? "database is up to date (\(migrator.migrations.count) migrations)" : "applied \(names.count) migration(s)")
        }
        await app.shutdown()
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Seed the demo province (idempotent).")

    @Option(help: "Total number of demo dossiers to have.")
    var dossiers = 3000

    @Option(help: "Password of every demo account (demo only).")
    var password = "demo"

    func run() async throws {
        guard dossiers >= 0 else { throw ValidationError("--dossiers must be 0 or more") }
        guard password.count >= 4 else { throw ValidationError("--password must have at least 4 characters") }
        let config = try loadConfig()
        let app = try await boot(config)
        let summary = try await DemoProvince.seed(app, dossiers: dossiers, password: password) { say("demo: \($0)") }
        say("demo province ready: \(summary)")
        await app.shutdown()
    }
}

struct CatalogCommand: AsyncParsableCommand {
    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch the national catalogue (LayDanhSachTTHC) and report procedures that are new, changed (time, online level) or missing locally.")

        func run() async throws {
            let app = try await boot(try loadConfig())
            guard app.sync.isEnabled else {
                await app.shutdown()
                fail("the portal is not configured: set DVCQG_URL, DVCQG_USERNAME, DVCQG_PASSWORD and DVCQG_UNIT")
            }
            let d: CatalogDifferences
            do { d = try await app.sync.pullCatalog() } catch {
                await app.shutdown()
                fail("could not fetch the national catalogue: \(error); try again later")
            }
            for n in d.new { say("new on the portal: \(n.code) \(n.name)") }
            for c in d.changed { say("changed: \(c.code) \(c.name): \(c.what.joined(separator: "; "))") }
            for m in d.missing { say("not on the portal: \(m.code) \(m.name)") }
            say("catalog pull: \(d.same) the same, \(d.changed.count) changed, \(d.new.count) new on the portal, \(d.missing.count) not on the portal")
            await app.shutdown()
        }
    }

    static let configuration = CommandConfiguration(commandName: "catalog", abstract: "Manage the procedure catalog.", subcommands: [Import.self, Pull.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import units and procedures from a catalog JSON file (docs/CATALOG.md).")

        @Argument(help: "Path to a motcua-catalog/1 JSON file.")
        var file: String

        func run() async throws {
            let config = try loadConfig()
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("motcua: cannot read \(file); give the path of a catalog JSON file\n".utf8))
                throw ExitCode(66)
            }
            let catalog: CatalogFile
            do {
                catalog = try CatalogFile.decode(data)
            } catch let e as ServiceError {
                FileHandle.standardError.write(Data("motcua: \(file): \(e.message); nothing was imported\n".utf8))
                throw ExitCode(65)
            }
            let app = try await boot(config)
            let s = try await app.catalog.importCatalog(catalog)
            say("imported \(s.units) units, \(s.procedures) procedures (\(s.versions) versions)")
            await app.shutdown()
        }
    }
}

struct PKI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pki", abstract: "Officials' signing keys and certificates.", subcommands: [Init.self, Issue.self, Revoke.self])

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a development CA and a certificate for every official account (demo only; keys under MOTCUA_PKI_DIR, default <data>/pki).")

        @Option(help: "The CA's name.")
        var authority = "MotCua Dev CA – Tỉnh Sơn Hà"

        func run() async throws {
            let config = try loadConfig()
            let app = try await boot(config)
            let n = try await app.signatures.initDevelopmentPKI(authorityName: authority)
            say("pki: development CA and \(n) new certificates (officials and unit seals) in \(config.pkiDir) (demo only; trust anchor at /api/v1/pki/trust-anchors)")
            await app.shutdown()
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue (or replace) one official's development certificate.")

        @Argument(help: "The account's username.")
        var username: String

        @Option(help: "Key type: p256 (ECDSA P-256) or rsa2048.")
        var algorithm = "p256"

        func run() async throws {
            guard let alg = Signing.KeyAlgorithm(rawValue: algorithm) else {
                fail("--algorithm must be p256 or rsa2048 (got \(algorithm))")
            }
            let app = try await boot(try loadConfig())
            do { try await app.signatures.issue(username: username, algorithm: alg) } catch {
                await app.shutdown()
                fail("\(error)")
            }
            say("pki: issued a \(alg.rawValue) certificate for \(username)")
            await app.shutdown()
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke an official's development certificate and republish the CRL (signatures by it then verify as revoked).")

        @Argument(help: "The account's username (or agency.<unit code> for a unit's seal).")
        var username: String

        @Option(help: "keyCompromise, affiliationChanged, superseded, cessationOfOperation or unspecified.")
        var reason = "unspecified"

        func run() async throws {
            let reasons: [String: Signing.RevocationReason] = [
                "unspecified": .unspecified, "keyCompromise": .keyCompromise, "affiliationChanged": .affiliationChanged,
                "superseded": .superseded, "cessationOfOperation": .cessationOfOperation,
            ]
            guard let r = reasons[reason] else { fail("--reason must be one of \(reasons.keys.sorted().joined(separator: ", "))") }
            let app = try await boot(try loadConfig())
            do {
                let crl = try app.signatures.revoke(username: username, reason: r)
                say("pki: revoked \(username); the CRL now lists \(crl.revokedCertificates.count) certificate(s)")
            } catch {
                await app.shutdown()
                fail("\(error)")
            }
            await app.shutdown()
        }
    }
}

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "The officers' search index.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rebuild the search index from the dossiers and their files' OCR text.")

        func run() async throws {
            let config = try loadConfig()
            let app = try await boot(config)
            let n = try await app.dossiers.rebuildSearchIndex { say("search index: \($0) dossiers") }
            say("search index rebuilt: \(n) dossiers")
            await app.shutdown()
        }
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import data from outside.", subcommands: [Historical.self])

    struct Historical: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Back-digitize historical dossiers with their scans (docs/IMPORT.md). Resumable and idempotent: run it again after a crash.")

        @Argument(help: "A manifest.jsonl, or a directory holding one; file paths are relative to it.")
        var manifest: String

        @Option(help: "Where to write rejected lines with their reasons (default: <manifest>.rejected.jsonl).")
        var report: String?

        func run() async throws {
            let config = try loadConfig()
            let app = try await boot(config)
            let last = LastPrint()
            let s: HistoricalImport.Summary
            do {
                s = try await HistoricalImport(app: app).run(manifest: manifest, report: report) { s, total in
                    guard last.due(s.lines == total) else { return }
                    let done = s.lines
                    let width = 30
                    let filled = total > 0 ? width * done / total : width
                    let rate = s.seconds > 0 ? Double(done) / s.seconds : 0
                    let eta = rate > 0 ? Double(total - done) / rate : 0
                    let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                    FileHandle.standardOutput.write(Data(String(format: "\r[%@] %d/%d  %.0f/s  %.1f MB/s  ETA %.0f s   ", bar, done, total, rate, s.seconds > 0 ? Double(s.bytes) / 1_048_576 / s.seconds : 0, eta).utf8))
                }
            } catch let e as ServiceError {
                FileHandle.standardError.write(Data("motcua: \(e.message)\n".utf8))
                await app.shutdown()
                throw ExitCode(66)
            }
            say("")
            say("import done: \(s)")
            if s.rejected > 0 { say("rejected lines and reasons: \(report ?? manifest + (manifest.hasSuffix(".jsonl") ? "" : "/manifest.jsonl") + ".rejected.jsonl")") }
            await app.shutdown()
            if s.rejected > 0 { throw ExitCode(1) }
        }
    }
}

/// Throttles progress output to a few lines a second.
final class LastPrint: @unchecked Sendable {
    private var last = Date.distantPast
    func due(_ force: Bool) -> Bool {
        let now = Date()
        if force || now.timeIntervalSince(last) > 0.25 {
            last = now
            return true
        }
        return false
    }
}

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks.", subcommands: [Intake.self, Search.self, OCRPages.self, Receipt.self, SigningCommand.self, SyncBench.self, IndexBench.self])

    struct Receipt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mẫu 01 receipts generated per second, against reading the dossier alone. The last line is JSON.")

        @Option(help: "Number of receipts.")
        var count = 200

        func run() async throws {
            guard count > 0 else { throw ValidationError("--count must be positive") }
            let config = try loadConfig()
            let r = try await ReceiptBenchmark.run(count: count, postgresURL: config.databaseURL) { say($0) }
            say(String(format: "receipts on %@: %.0f/s unsigned (p50 %.2f ms, %d bytes), %.0f/s signed (p50 %.2f ms); %.0f verifications/s; dossier reads alone %.0f/s", r.database, r.receiptsPerSecond, r.p50Ms, r.averageBytes, r.signedReceiptsPerSecond, r.signedP50Ms, r.verificationsPerSecond, r.readsPerSecond))
            try sayJSON(r)
        }
    }

    struct SyncBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Portal delivery rate to a healthy simulator (started in-process) against the intake rate, and the catch-up time of a backlog. The last line is JSON.")

        @Option(help: "Dossiers in the backlog.")
        var dossiers = 2000

        @Option(help: "Then make the portal unreachable for this many seconds (real time) while dossiers keep arriving, and measure the catch-up once it is back (0 = skip).")
        var outage: Double = 0

        @Option(help: "Dossiers arriving per minute during the outage run (received and handed over).")
        var perMinute: Double = 130

        struct Both: Encodable {
            let backlog: SyncBenchmark.Result
            let outage: OutageBenchmark.Result
            /// Catch-up after the outage over the time the same backlog takes at the backlog rate.
            let catchUpRatio: Double
        }

        func run() async throws {
            guard dossiers > 0 else { throw ValidationError("--dossiers must be positive") }
            guard outage >= 0, perMinute > 0, perMinute <= 6000 else { throw ValidationError("--outage must be 0 or more and --per-minute 1…6000") }
            let config = try loadConfig()
            let sim = DVCQGSimulator(.init())
            let url = try await sim.start()
            let r: SyncBenchmark.Result
            do { r = try await SyncBenchmark.run(dossiers: dossiers, portalURL: url, postgresURL: config.databaseURL) { say($0) } } catch {
                await sim.stop()
                throw error
            }
            await sim.stop()
            say(String(format: "sync on %@: intake %.0f dossiers/s; delivery %.0f dossiers/s with %.0f progress rows/s (%d calls); a backlog of %d dossiers caught up in %.1f s",
                r.database, r.intakePerSecond, r.deliveredPerSecond, r.progressRowsPerSecond, r.calls, r.dossiers, r.catchUpSeconds))
            guard outage > 0 else { return try sayJSON(r) }
            // The outage: the portal is stopped (connection refused) and a new one started on the same port.
            let port = url.port ?? 0
            let current = SimBox(DVCQGSimulator(.init(port: port)))
            _ = try await current.sim.start()
            let portal = OutageBenchmark.Portal(
                url: url, stop: { await current.sim.stop() },
                restart: {
                    current.sim = DVCQGSimulator(.init(port: port))
                    _ = try await current.sim.start()
                })
            let o: OutageBenchmark.Result
            do { o = try await OutageBenchmark.run(outage: outage, perMinute: perMinute, portal: portal, postgresURL: config.databaseURL) { say($0) } } catch {
                await current.sim.stop()
                throw error
            }
            await current.sim.stop()
            let ideal = Double(o.backlog) / r.deliveredPerSecond
            say(String(format: "after %.0f s unreachable at %.0f dossiers a minute: %d dossiers waiting, caught up in %.1f s (%.1f× the %.1f s the backlog takes at the backlog rate); %d attempts during the outage",
                o.outageSeconds, o.arrivalsPerMinute, o.backlog, o.catchUpSeconds, o.catchUpSeconds / max(ideal, 0.001), ideal, o.attemptsDuringOutage))
            try sayJSON(Both(backlog: r, outage: o, catchUpRatio: o.catchUpSeconds / max(ideal, 0.001)))
        }
    }

    struct IndexBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "index",
            abstract: "Index queries (dashboard) for a province with N generated dossiers, and index rebuild over them. The last line is JSON.")

        @Option(help: "Dossiers to generate (two years of them).")
        var dossiers = 1_000_000

        @Option(help: "Queries of each kind.")
        var queries = 100

        @Flag(help: "Skip the rebuild.")
        var noRebuild = false

        func run() async throws {
            guard dossiers > 0, queries > 0 else { throw ValidationError("--dossiers and --queries must be positive") }
            let config = try loadConfig()
            let r = try await IndexBenchmark.run(dossiers: dossiers, queries: queries, rebuild: !noRebuild, postgresURL: config.databaseURL) { say($0) }
            say(String(format: "index on %@ with %d dossiers: province month p50 %.1f ms p99 %.1f ms; year p50 %.1f ms; one unit p50 %.1f ms; ranking %.1f ms; drill-down %.1f ms; COUNT(*) of all dossiers %.0f ms; rebuild %.0f s (%.0f dossiers/s, %d differences)",
                r.database, r.dossiers, r.provinceMonthP50Ms, r.provinceMonthP99Ms, r.provinceYearP50Ms, r.unitMonthP50Ms, r.rankingP50Ms, r.lossesP50Ms, r.countAllMs,
                r.rebuildSeconds, r.rebuildDossiersPerSecond, r.rebuildDifferences))
            try sayJSON(r)
        }
    }

    struct SigningCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "signing", abstract: "PAdES signatures and verifications per second, ECDSA P-256 and RSA-2048, against SHA-256 of the same bytes. The last line is JSON.")

        @Option(help: "Signatures per key type.")
        var count = 200

        func run() async throws {
            guard count > 0 else { throw ValidationError("--count must be positive") }
            let r = try await SigningBenchmark.run(count: count) { say($0) }
            say(String(format: "signing a %d-byte form: P-256 %.0f/s, RSA-2048 %.0f/s; verifying: P-256 %.0f/s, RSA-2048 %.0f/s; SHA-256 of the same bytes %.0f/s",
                r.documentBytes, r.p256SignaturesPerSecond, r.rsa2048SignaturesPerSecond, r.p256VerificationsPerSecond, r.rsa2048VerificationsPerSecond, r.sha256PerSecond))
            try sayJSON(r)
        }
    }

    struct OCRPages: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ocr", abstract: "OCR throughput: runs the digitization OCR on a scan (PDF, JPEG, PNG or TIFF) and reports pages per minute.")

        @Argument(help: "A scanned file.")
        var file: String

        @Option(help: "How many times to run it.")
        var runs = 3

        func run() async throws {
            let url = URL(fileURLWithPath: file)
            guard let h = FileHandle(forReadingAtPath: file) else { throw ValidationError("cannot read \(file)") }
            let head = [UInt8]((try? h.read(upToCount: 16)) ?? Data())
            try? h.close()
            guard let kind = FileKind.sniff(head) else { throw ValidationError(FileKind.acceptedDescription) }
            guard OCR.isAvailable() else { throw ValidationError("ocrmypdf is not installed: apt-get install ocrmypdf tesseract-ocr-vie") }
            var seconds: [Double] = []
            var pages = 0
            for i in 1...max(1, runs) {
                let out = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-ocr-bench-\(UUID().uuidString).pdf")
                defer { try? FileManager.default.removeItem(at: out) }
                let t0 = Date()
                let o = try await OCR.run(input: url, kind: kind, output: out)
                seconds.append(Date().timeIntervalSince(t0))
                pages = o.pages
                say(String(format: "run %d: %d pages in %.2f s", i, o.pages, seconds.last!))
            }
            let best = seconds.min() ?? 0
            let median = seconds.sorted()[seconds.count / 2]
            say(String(format: "ocr: %d pages, median %.2f s (%.1f pages/min), best %.2f s", pages, median, Double(pages) * 60 / median, best))
            say(#"{"benchmark":"ocr","pages":\#(pages),"medianSeconds":\#(median),"pagesPerMinute":\#(Double(pages) * 60 / median)}"#)
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search latency over a large synthetic province vs a primary-key look-up, in a scratch database.",
            discussion: "Uses SQLite, or PostgreSQL when DATABASE_URL is set (a scratch database is created beside it and dropped). The last line is JSON.")

        @Option(help: "Number of synthetic dossiers to load.")
        var dossiers = 1_000_000

        @Option(help: "Number of search queries.")
        var queries = 500

        func run() async throws {
            guard dossiers > 0, queries > 0 else { throw ValidationError("--dossiers and --queries must be positive") }
            let config = try loadConfig()
            let r = try await SearchBenchmark.run(dossiers: dossiers, queries: queries, postgresURL: config.databaseURL) { say($0) }
            say(String(format: "search on %@ over %d dossiers: scoped p50 %.2f ms p99 %.2f ms; province-wide p50 %.2f ms p99 %.2f ms; key look-up p50 %.3f ms", r.database, r.dossiers, r.scopedP50Ms, r.scopedP99Ms, r.provinceP50Ms, r.provinceP99Ms, r.keyLookupP50Ms))
            try sayJSON(r)
        }
    }

    struct Intake: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Durable dossier intake through the services layer vs a bare insert loop, in scratch databases.",
            discussion: "Uses SQLite, or PostgreSQL when DATABASE_URL is set (a scratch database is created beside it and dropped). The last line is JSON.")

        @Option(help: "Number of dossiers (and of bare rows).")
        var dossiers = 2000

        @Option(help: "Concurrent clients.")
        var concurrency = 8

        @Option(help: "window: create + receive in one transaction; online: submit, then receive (two transactions).")
        var channel = "window"

        func run() async throws {
            guard dossiers > 0, concurrency > 0 else { throw ValidationError("--dossiers and --concurrency must be positive") }
            let config = try loadConfig()
            guard let ch = Channel(rawValue: channel), ch != .post else { throw ValidationError("--channel must be window or online") }
            let r = try await IntakeBenchmark.run(dossiers: dossiers, concurrency: concurrency, channel: ch, postgresURL: config.databaseURL) { say($0) }
            say(String(format: "intake (\(r.channel)) on %@: %.0f dossiers/s (p50 %.2f ms, p99 %.2f ms); bare loop %.0f rows/s; ratio %.2f×; without the live index %.0f dossiers/s (the index costs %.2f×)",
                r.database, r.dossiersPerSecond, r.p50Ms, r.p99Ms, r.bareRowsPerSecond, r.ratioToBare, r.withoutIndexPerSecond, r.indexOverhead))
            try sayJSON(r)
        }
    }
}

/// The simulator the outage benchmark stops and replaces (a new one on the same port).
final class SimBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: DVCQGSimulator
    init(_ sim: DVCQGSimulator) { value = sim }
    var sim: DVCQGSimulator {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
