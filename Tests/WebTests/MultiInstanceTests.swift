// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Network
import Simulators
import Testing

/// Two `motcua serve` processes on one PostgreSQL, both relaying to the portal simulator, with
/// receptions driven through both at once; then one is killed (SIGKILL) while receptions go on.
@Suite("Several instances on one PostgreSQL")
struct MultiInstanceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(
        "codes unique and consecutive per agency and day; every dossier created once on the portal; killing one instance loses nothing",
        .enabled(if: TestDB.available.contains(.postgres), "needs PostgreSQL (TEST_DATABASE_URL; scripts/test.sh starts it)"))
    func twoInstances() async throws {
        let binary = Self.root.appendingPathComponent(".build/debug/motcua")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the motcua binary first (swift build)")
        let portal = DVCQGSimulator(.init())
        let portalURL = try await portal.start()
        do {
            try await TestDB.postgres.withDatabase { _, dbEnv in
                try await run(binary: binary, portal: portal, portalURL: portalURL, dbEnv: dbEnv)
            }
        } catch {
            await portal.stop()
            throw error
        }
        await portal.stop()
    }

    func run(binary: URL, portal: DVCQGSimulator, portalURL: URL, dbEnv: [String: String]) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-multi-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var env = dbEnv
        env["MOTCUA_DATA_DIR"] = dir.appendingPathComponent("data").path
        env["MOTCUA_SECOND_FACTOR"] = "optional"
        env["MOTCUA_RATE_LIMITS"] = "off"
        for (k, v) in [
            ("DVCQG_URL", portalURL.absoluteString), ("DVCQG_USERNAME", "motcua"), ("DVCQG_PASSWORD", "motcua"), ("DVCQG_UNIT", "000.00.00.H99"),
            // Calls are not cut short even on a loaded machine (a timed-out call that landed is
            // sent again, by design: at least once, and the portal takes the same version as an
            // update); a dead instance's leases still expire within the test.
            ("DVCQG_TIMEOUT_SECONDS", "10"), ("DVCQG_INFLIGHT_SECONDS", "5"), ("DVCQG_LEASE_SECONDS", "20"), ("DVCQG_BACKOFF_SECONDS", "0.2"),
            ("DVCQG_BACKOFF_CAP_SECONDS", "1"),
        ] { env[k] = v }
        let setup = try await Shell.run("\(binary.path) migrate >/dev/null 2>&1 && \(binary.path) demo --dossiers 0 >/dev/null 2>&1 && echo ready", env: env, seconds: 300)
        try #require(setup.contains("ready"), "migrate / demo failed")
        let ports = (try FreePort.take(), try FreePort.take())
        let a = try LiveServer(binary: binary, port: ports.0, env: env, dir: dir.appendingPathComponent("a"))
        let b = try LiveServer(binary: binary, port: ports.1, env: env, dir: dir.appendingPathComponent("b"))
        defer {
            a.stop()
            kill(b.process.processIdentifier, SIGKILL)
        }
        try await a.ready()
        try await b.ready()
        // A token issued by one instance works on the other: nothing lives in one instance's memory.
        let token = try await Self.token(a.base)

        // 1. Both alive: 40 receptions, 4 at a time, alternating instances.
        let first = try await Self.receive(40, through: [a.base, b.base], token: token)
        #expect(first.failed == 0, "\(first.failed) receptions failed while both instances were alive")
        try await Self.waitForPortal(portal, holding: Set(first.codes))
        try await Self.deliveredOnce(portal, first.codes)

        // 2. B dies (SIGKILL) while receptions go on; those aimed at it go to A instead.
        let victim = b.process.processIdentifier
        let after = try await Self.receive(40, through: [a.base, b.base], token: token, fallback: a.base) { batch in
            if batch == 2 { kill(victim, SIGKILL) }  // as the third batch's receptions are sent: some may be in flight at B
        }
        #expect(after.codes.count == 40, "every reception was answered by a live instance (\(after.failed) failed)")
        #expect(!b.process.isRunning, "B was killed mid-run")

        // Whatever the answers said, the database decides: every dossier in it, none half-made.
        let all = try await Self.codes(env)
        #expect(Set(first.codes + after.codes).isSubset(of: Set(all)), "every answered reception is stored")
        #expect(all.count >= 80 && all.count <= 84, "\(all.count) dossiers: one per answered reception, and at most one per unanswered one")
        try await Self.waitForPortal(portal, holding: Set(all))
        // Codes: unique, and consecutive per agency and day (the counter is in the same transaction).
        #expect(Set(all).count == all.count)
        for (prefix, group) in Dictionary(grouping: all, by: { String($0.dropLast(5)) }) {
            let numbers = group.compactMap { Int($0.suffix(4)) }.sorted()
            #expect(numbers == Array(1...numbers.count), "\(prefix): \(numbers)")
        }
        try await Self.deliveredOnce(portal, all)
    }

    /// Each dossier created on the portal exactly once (two relays never both created one). A call
    /// that timed out after landing (a loaded machine) or that a killed instance had in flight is
    /// sent again, by design (at least once): the portal then takes the same record as an
    /// update, so every write of a dossier must carry the same status, never an older one.
    static func deliveredOnce(_ portal: DVCQGSimulator, _ codes: [String]) async throws {
        let writes = Dictionary(grouping: await portal.writeLog().filter { $0.service == "DongBoHoSoMC" }, by: \.maHoSo)
        for code in codes {
            let w = (writes[code] ?? []).sorted { $0.seq < $1.seq }
            #expect(w.filter { !$0.isUpdating }.count == 1 && w.first?.isUpdating == false, "\(code): \(w.map(\.isUpdating))")
            #expect(Set(w.map(\.trangThaiHoSo)).count == 1, "\(code): statuses \(w.map(\.trangThaiHoSo))")
        }
    }

    static func token(_ base: String) async throws -> String {
        var c = HTTPCall(url: URL(string: base + "/api/v1/auth/token")!, method: "POST", timeout: 30)
        c.setHeader("Content-Type", "application/json")
        c.body = Data(#"{"username":"motcua.0002003h99","password":"demo"}"#.utf8)
        let a = try await c.send()
        let json = try JSONSerialization.jsonObject(with: a.body) as? [String: Any]
        return try #require(json?["access_token"] as? String, "sign-in failed: \(String(decoding: a.body, as: UTF8.self))")
    }

    /// `n` window receptions, four at a time, alternating `bases`; a failed one is tried once more
    /// on `fallback`; `duringBatch` runs beside each batch's receptions, as they are sent (the
    /// test kills an instance there, so it may die with receptions in flight).
    /// Returns the codes answered and how many got no answer.
    static func receive(
        _ n: Int, through bases: [String], token: String, fallback: String? = nil, duringBatch: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws -> (codes: [String], failed: Int) {
        func one(_ base: String) async -> String? {
            var c = HTTPCall(url: URL(string: base + "/api/v1/dossiers")!, method: "POST", timeout: 30)
            c.setHeader("Content-Type", "application/json")
            c.setHeader("Authorization", "Bearer \(token)")
            c.body = Data(
                #"{"procedureCode":"1.001193","channel":"window","receivingUnit":"000.20.03.H99","applicant":{"idNumber":"001190012345","fullName":"Phạm Thị Hoa","phone":"0912345678"}}"#
                    .utf8)
            guard let a = try? await c.send(), a.status == 201, let json = try? JSONSerialization.jsonObject(with: a.body) as? [String: Any] else { return nil }
            return json["code"] as? String
        }
        var codes: [String] = []
        var failed = 0
        for batch in stride(from: 0, to: n, by: 4) {
            let beside = Task { duringBatch(batch / 4) }
            let got = await withTaskGroup(of: String?.self) { group in
                for i in batch..<min(batch + 4, n) {
                    group.addTask {
                        if let code = await one(bases[i % bases.count]) { return code }
                        guard let fallback else { return nil }
                        return await one(fallback)
                    }
                }
                var out: [String?] = []
                for await c in group { out.append(c) }
                return out
            }
            await beside.value
            codes += got.compactMap { $0 }
            failed += got.filter { $0 == nil }.count
        }
        return (codes, failed)
    }

    /// Every dossier code in the database.
    static func codes(_ env: [String: String]) async throws -> [String] {
        let out = try await Shell.run("psql -tAq \"\(env["DATABASE_URL"]!)\" -c 'SELECT code FROM dossiers ORDER BY code'")
        return out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Waits (at most two minutes) until the portal holds every code: the relays work on their own.
    static func waitForPortal(_ portal: DVCQGSimulator, holding codes: Set<String>) async throws {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let held = Set(await portal.dump().dossiers.map(\.MaHoSo))
            if codes.isSubset(of: held) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        let held = Set(await portal.dump().dossiers.map(\.MaHoSo))
        Issue.record("the portal still lacks \(codes.subtracting(held).sorted().prefix(10)) after two minutes")
    }
}
