// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Network
import Services
import Simulators
import Storage
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The acceptance run of portal sync, across processes: the DVCQG simulator runs as
/// `motcua sim dvcqg` and fails 30 % of calls, hangs 10 % past the client's timeout, applies 5 %
/// and then answers 5xx, expires sessions every 20 s, rate-limits, and goes down for 30 s; the
/// relays run as `motcua worker` processes (two on PostgreSQL, one on SQLite) and are killed
/// with SIGKILL at random points and started again, while this process pushes 2,000 dossiers
/// through realistic lifecycles. Then the faults stop and the relays catch up. The portal must
/// hold exactly MotCua's latest state for every dossier, no dossier may have moved backwards on
/// the portal, no progress row may be there twice, and reconciliation must find nothing to
/// repair. Real time throughout (the workers back off in tenths of seconds here).
@Suite("Portal sync under faults, across processes", .serialized)
struct PortalChaosTests {
    static let unit = TestApp.tanLap
    static let dossiers = 2_000
    static let hangSeconds = 2.0
    /// How long after the client gave up a held call may still land, as the relays are told
    /// (`DVCQG_INFLIGHT_SECONDS`): the hang plus room for a machine whose two cores also run the
    /// database, two workers being killed and restarted, and this test (a 2-second margin let one
    /// late progress row land after a read-back once, on PostgreSQL).
    static let inflightSeconds = hangSeconds + 5

    @Test("2,000 dossiers, a hostile portal, relay processes killed at random: the portal converges to exactly MotCua's state", arguments: TestDB.available)
    func chaos(db: TestDB) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Child.binary.path), "build the motcua binary first (swift build)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-chaos-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let sim = try Child(
            [
                "sim", "dvcqg", "--port", "0", "--seed", "2026", "--fail-rate", "0.3", "--hang-rate", "0.1", "--hang-seconds", "\(Self.hangSeconds)",
                "--lost-answer-rate", "0.05", "--session-minutes", "\(20.0 / 60)", "--rate-limit", "200",
            ], log: dir.appendingPathComponent("sim.log"))
        defer { sim.kill() }
        let url = try sim.waitForURL()
        try await TestApp.with(db) { t in try await Self.run(t, portal: SimAdmin(base: url), dir: dir, relays: db == .postgres ? 2 : 1) }
    }

    static func run(_ t: TestApp, portal: SimAdmin, dir: URL, relays: Int) async throws {
        var config = t.app.config
        config.dvcqgURL = portal.base.absoluteString
        config.dvcqgUsername = "motcua"
        config.dvcqgPassword = "motcua"
        config.dvcqgUnit = "000.00.00.H99"
        config.dvcqgTimeoutSeconds = 10  // for the final reconciliation, once the faults have stopped
        // The real clock: the workers' backoff, leases and in-flight allowance run on it.
        let app = MotCua(config: config, database: t.app.database, calendar: t.app.calendar, blobs: t.app.blobs, clock: .system)
        var environment = t.environment
        if environment["DATABASE_URL"] == nil { environment["DATABASE_URL"] = "" }  // SQLite: never an inherited server
        environment.merge([
            "DVCQG_URL": portal.base.absoluteString, "DVCQG_USERNAME": "motcua", "DVCQG_PASSWORD": "motcua", "DVCQG_UNIT": "000.00.00.H99",
            "DVCQG_TIMEOUT_SECONDS": "1", "DVCQG_INFLIGHT_SECONDS": "\(inflightSeconds)", "DVCQG_LEASE_SECONDS": "15",
            "DVCQG_BACKOFF_SECONDS": "0.05", "DVCQG_BACKOFF_CAP_SECONDS": "1",
            "DVCQG_MAX_ATTEMPTS": "1000",  // nothing the portal says here is a real rejection
            "MOTCUA_RECONCILE_HOURS": "0", "POPULATION_URL": "", "MOTCUA_TSA_URL": "",
        ]) { $1 }
        let workers = WorkerPool(count: relays, environment: environment, logs: dir)
        try workers.startAll()
        defer { workers.killAll() }
        // A killer: every few seconds one relay process dies with SIGKILL at whatever point it
        // has reached (mid-call, mid-transaction) and a new one starts; its leases expire and
        // the survivors or the replacement take over.
        let killing = Flag()
        let killer = Task.detached {
            while !killing.isSet {
                try? await Task.sleep(for: .milliseconds(Int.random(in: 1_000...6_000)))
                if !killing.isSet { try? workers.killAndRestart(Int.random(in: 0..<relays)) }
            }
        }
        // Lifecycles, while the relays work: 70 % go the whole way (with a supplement round),
        // 10 % refused at reception, 10 % withdrawn, 10 % left received.
        let (officer, specialist, leader) = (TestApp.officer(unit), TestApp.specialist(unit), TestApp.leader(unit))
        var history: [String: [Int]] = [:]  // statuses by version, for the "never backwards" check
        for i in 0..<dossiers {
            if i == dossiers / 2 { try await portal.setFaults(#"{"outageSeconds": 30}"#) }
            let kind = i % 10
            let online = kind == 7 || kind == 8
            var d = try await app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: online ? .online : .window, receivingUnit: unit, applicant: TestApp.applicant()),
                by: online ? TestApp.citizen : officer)
            var statuses = [d.dossier.status.rawValue]
            func act(_ a: DossierAction, _ who: Actor, _ input: ActionInput = .init()) async throws {
                d = try await app.dossiers.act(code: d.dossier.code, action: a, input: input, expectedVersion: d.dossier.version, by: who)
                statuses.append(d.dossier.status.rawValue)
            }
            switch kind {
            case 7: try await act(.refuse, officer, .init(reason: "Không thuộc thẩm quyền"))
            case 8:
                try await act(.receive, officer)
                try await act(.withdraw, TestApp.citizen)
            case 9: break
            default:
                try await act(.assign, officer)
                try await act(.assign, leader, .init(assignee: specialist.username))
                try await act(.requestSupplement, specialist, .init(reason: "Bổ sung giấy chứng sinh"))
                try await act(.supplement, TestApp.citizen)
                try await act(.approve, leader)
                try await act(.finish, specialist)
                try await act(.returnResult, officer)
            }
            history[d.dossier.code] = statuses
        }
        killing.set()
        await killer.value
        #expect(workers.kills >= 5, "the run was too short to kill relays (\(workers.kills) kills)")
        // The faults stop; the relays catch up within a bounded time.
        let healthy = String(decoding: try JSONEncoder().encode(DVCQGFaults.none), as: UTF8.self)
        try await portal.setFaults(healthy)
        let deadline = ContinuousClock.now + .seconds(600)
        var caughtUp = false
        while ContinuousClock.now < deadline {
            let s = try await app.sync.status(by: Actor.system)
            if s.stats.pending + s.stats.failing == 0 && s.stats.dead == 0 { caughtUp = true; break }
            try workers.restartExited()
            try await Task.sleep(for: .milliseconds(250))
        }
        workers.killAll()
        #expect(caughtUp, "the relays did not catch up within 10 minutes; worker logs in \(dir.path): \(workers.tails())")
        // Wait out calls the simulator still holds (hangs), so the checks see the final portal.
        while try await portal.status().callsInFlight > 0 { try await Task.sleep(for: .milliseconds(100)) }
        // 1. Reconciliation finds nothing to repair.
        let report = try await app.sync.reconcile(since: nil)
        #expect(report.repaired == 0 && report.missing == 0 && report.failing == 0, "\(report)")
        let syncable = history.filter { $0.value.count > 1 || $0.value.first == 2 }.count
        #expect(report.inSync == syncable)
        // 2. Never backwards: the statuses the portal stored, in the order it stored them, follow
        //    each dossier's own history.
        var writes: [String: [Int]] = [:]
        for w in try await portal.writeLog() where w.service == "DongBoHoSoMC" { writes[w.maHoSo, default: []].append(w.trangThaiHoSo ?? 0) }
        var backwards: [String] = []
        for (code, seen) in writes {
            guard let mine = history[code] else { continue }
            var p = 0
            for s in seen {
                guard let v = mine[p...].firstIndex(of: s) else { backwards.append(code); break }
                p = v
            }
        }
        #expect(backwards.isEmpty, "moved backwards on the portal: \(backwards.prefix(5))")
        // 3. Every progress row exactly once.
        var duplicated: [String] = []
        var incomplete: [String] = []
        for d in try await portal.dump().dossiers {
            // Two steps of one dossier can share a second and a wording (two hand-overs), not a person too.
            let rows = d.progress.map { row in
                ["ThoiDiemXuLy", "NguoiXuLy", "ChucDanh", "NoiDungXuLy", "NgayBatDau"].map { k in row[k]?.stringValue ?? "" }.joined(separator: "|")
                    + "|\(row["TrangThai"]?.intValue ?? 0)"
            }
            if Set(rows).count != rows.count { duplicated.append(d.MaHoSo) }
            let events = try await app.dossiers.get(code: d.MaHoSo, by: Actor.system).events?.count ?? -1
            if rows.count != events { incomplete.append(d.MaHoSo) }
        }
        // On failure, the first one's writes in order (service, when, applied with a lost answer?).
        var story: [String] = []
        if let code = duplicated.first {
            story = try await portal.writeLog().filter { $0.maHoSo == code }.map { "\($0.service)@\(SharedFormat.iso($0.at))\($0.answerLost ? "(lost answer)" : "")" }
        }
        #expect(duplicated.isEmpty, "duplicated progress rows: \(duplicated.prefix(5)); writes of the first: \(story)")
        #expect(incomplete.isEmpty, "progress rows missing: \(incomplete.prefix(5))")
    }
}

/// A `motcua` child process writing to a log file (a pipe nobody reads would block it).
final class Child: @unchecked Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = root.appendingPathComponent(".build/debug/motcua")

    let process = Process()
    let log: URL

    init(_ arguments: [String], environment: [String: String] = [:], log: URL) throws {
        self.log = log
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let out = try FileHandle(forWritingTo: log)
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = out
        process.standardError = out
        try process.run()
        try out.close()
    }

    /// SIGKILL, as a crash, the OOM killer or a pulled plug would end it: no clean-up runs.
    func kill() {
        guard process.isRunning else { return }
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func output() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// The simulator's URL from its "listening on" line (the process's own word, not a fixed wait).
    func waitForURL(within seconds: Double = 120) throws -> URL {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = output()
            if let range = text.range(of: #"listening on (http://[0-9.:]+)"#, options: .regularExpression) {
                let url = text[range].split(separator: " ").last.map(String.init) ?? ""
                if let u = URL(string: url) { return u }
            }
            guard process.isRunning else { throw TestFailure("the simulator exited: \(text)") }
            usleep(50_000)
        }
        throw TestFailure("the simulator did not say where it listens within \(seconds) s: \(output())")
    }
}

/// The relay processes of the run, each slot replaced when killed.
final class WorkerPool: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Child?]
    private var started = 0
    private(set) var kills = 0
    let environment: [String: String]
    let logs: URL

    init(count: Int, environment: [String: String], logs: URL) {
        slots = Array(repeating: nil, count: count)
        self.environment = environment
        self.logs = logs
    }

    func startAll() throws {
        try lock.withLock { for i in slots.indices { try start(i) } }
    }

    private func start(_ i: Int) throws {
        started += 1
        slots[i] = try Child(["worker"], environment: environment, log: logs.appendingPathComponent("worker\(i)-\(started).log"))
    }

    func killAndRestart(_ i: Int) throws {
        try lock.withLock {
            slots[i]?.kill()
            kills += 1
            try start(i)
        }
    }

    /// A worker that exited by itself (it should not) is started again, and its log kept.
    func restartExited() throws {
        try lock.withLock { for i in slots.indices where slots[i]?.process.isRunning != true { try start(i) } }
    }

    func killAll() {
        lock.withLock { for c in slots { c?.kill() } }
    }

    /// The end of every worker log, for a failure message.
    func tails() -> String {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: logs.path).filter { $0.hasPrefix("worker") }.sorted()) ?? []
        return files.map { f in
            let text = (try? String(contentsOfFile: logs.appendingPathComponent(f).path, encoding: .utf8)) ?? ""
            return "\(f): " + text.split(separator: "\n").suffix(3).joined(separator: " / ")
        }.joined(separator: "\n")
    }
}

/// The simulator's admin endpoints, from another process.
struct SimAdmin: Sendable {
    let base: URL

    func call(_ method: String, _ path: String, json: String? = nil) async throws -> Data {
        var r = HTTPCall(url: base.appendingPathComponent(path), method: method, timeout: 60)
        if let json {
            r.body = Data(json.utf8)
            r.setHeader("Content-Type", "application/json")
        }
        let answer = try await r.send()
        let (data, status) = (answer.body, answer.status)
        guard status == 200 else { throw TestFailure("\(method) \(path): HTTP \(status) \(String(decoding: data, as: UTF8.self))") }
        return data
    }

    func setFaults(_ json: String) async throws { _ = try await call("POST", "sim/faults", json: json) }
    func status() async throws -> DVCQGStatus { try JSONDecoder().decode(DVCQGStatus.self, from: try await call("GET", "sim/status")) }
    func dump() async throws -> DVCQGDump { try JSONDecoder().decode(DVCQGDump.self, from: try await call("GET", "sim/dump")) }
    func writeLog() async throws -> [DVCQGWrite] {
        struct Log: Decodable { let writes: [DVCQGWrite] }
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return try d.decode(Log.self, from: try await call("GET", "sim/log")).writes
    }
}

/// A stop signal shared by tasks.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
