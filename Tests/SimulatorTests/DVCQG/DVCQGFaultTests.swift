// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Services
import Simulators
import Testing

extension DVCQGTests {
    /// Sessions and misbehaviour: what the relay must survive, surfaced by the client as typed errors.
    @Suite("sessions and faults", .timeLimit(.minutes(3)))
    struct Faults {
        @Test("an expired session is renewed transparently: one re-login, the call repeated")
        func sessionExpiry() async throws {
            try await withPortal { sim, client in
                _ = try await client.sync([dossier("A")], isUpdating: false)
                await sim.expireSessions()
                let answer = try await client.sync([dossier("B")], isUpdating: false)
                #expect(answer.results.map(\.outcome) == [.ok])
                #expect(await sim.sessionsIssued() == 2)
                #expect(await client.logins == 2)
                #expect(await sim.dump().dossiers.map(\.MaHoSo) == ["A", "B"])
            }
        }

        @Test("concurrent calls that all meet an expired session cause a single re-login")
        func concurrentRelogin() async throws {
            try await withPortal { sim, client in
                try await client.login()
                await sim.expireSessions()
                try await withThrowingTaskGroup(of: DVCQGAnswer.self) { group in
                    for i in 0..<6 { group.addTask { try await client.lookUp(["X\(i)"]) } }
                    for try await answer in group { #expect(answer.results.first?.outcome == .notFound) }
                }
                #expect(await sim.sessionsIssued() == 2)
            }
        }

        @Test("a session refused again right after re-login is thrown as \"-1\", after exactly one re-login")
        func sessionRefusedTwice() async throws {
            try await withPortal(.init(faults: .init(sessionLifetimeSeconds: 0))) { sim, client in
                let error = await dvcqgError { _ = try await client.lookUp(["A"]) }
                guard case .envelope(let code, _)? = error else {
                    Issue.record("expected an envelope error, got \(String(describing: error))")
                    return
                }
                #expect(code == "-1")
                #expect(await sim.sessionsIssued() == 2)
            }
        }

        @Test("wrong credentials are a typed, non-retryable error")
        func badCredentials() async throws {
            try await withPortal(.init(password: "right")) { sim, _ in
                let url = try #require(await sim.baseURL)
                let client = DVCQGClient(DVCQGConfig(baseURL: url, username: "motcua", password: "wrong", madonvi: testUnit))
                let error = await dvcqgError { _ = try await client.lookUp(["A"]) }
                #expect(error == .badCredentials)
                #expect(error?.isRetryable == false)
                #expect(await sim.sessionsIssued() == 0)
            }
        }

        @Test("5xx failures surface as .http and apply nothing")
        func serverErrors() async throws {
            try await withPortal { sim, client in
                try await client.login()
                await sim.setFaults(.init(failRate: 1))
                let error = await dvcqgError { _ = try await client.sync([dossier("A")], isUpdating: false) }
                #expect(error == .http(500, retryAfter: nil))
                #expect(error?.isRetryable == true)
                #expect(await sim.dump().dossiers.isEmpty)
            }
        }

        @Test("over the rate limit the portal answers 429 with Retry-After, surfaced in the error")
        func rateLimit() async throws {
            try await withPortal { sim, client in
                try await client.login()
                await sim.setFaults(.init(rateLimitPerSecond: 1))
                // The window opens with the first call; calling until refused does not depend on timing.
                var refusal: DVCQGError?
                for _ in 0..<50 where refusal == nil {
                    refusal = await dvcqgError { _ = try await client.lookUp(["A"]) }
                }
                #expect(refusal == .http(429, retryAfter: 1))
                #expect(refusal?.retryAfter == 1)
            }
        }

        @Test("a lost answer: the create was applied, so its retry as a create finds \"đã tồn tại\"")
        func lostAnswer() async throws {
            try await withPortal { sim, client in
                try await client.login()
                await sim.setFaults(.init(lostAnswerRate: 1))
                let error = await dvcqgError { _ = try await client.sync([dossier("A", status: 2)], isUpdating: false) }
                #expect(error == .http(502, retryAfter: nil))

                await sim.setFaults(.none)
                let retry = try await client.sync([dossier("A", status: 2)], isUpdating: false)
                #expect(retry.results.first?.outcome == .alreadyExists)
                let update = try await client.sync([dossier("A", status: 2)], isUpdating: true)
                #expect(update.results.first?.outcome == .ok)
                let log = await sim.writeLog()
                #expect(log.map(\.answerLost) == [true, false])
                #expect(log.map(\.isUpdating) == [false, true])
            }
        }

        @Test("during an outage every call answers 503 with Retry-After; the admin endpoints still answer")
        func outage() async throws {
            // The portal's clock stands still: on a loaded machine the wall clock could use up the
            // outage between the calls below.
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_000_000))
            try await withPortal(.init(clock: { clock.now })) { sim, client in
                await sim.setFaults(.init(outageSeconds: 120))
                let error = await dvcqgError { _ = try await client.lookUp(["A"]) }
                guard case .http(503, let after)? = error, let after else {
                    Issue.record("expected 503 with Retry-After, got \(String(describing: error))")
                    return
                }
                #expect(after == 120)
                let url = try #require(await sim.baseURL)
                #expect(try await admin(url, "GET", "sim/dump").status == 200)
                #expect(await sim.faults().outageSeconds == 120)

                #expect(try await admin(url, "POST", "sim/faults", json: #"{"outageSeconds": 0}"#).status == 200)
                #expect(try await client.lookUp(["A"]).results.first?.outcome == .notFound)
            }
        }

        @Test("a hanging call times out at the client, and is still applied when the portal gets to it")
        func hangThenLateWrite() async throws {
            // The timeout leaves room for a loaded machine (the whole suite runs in parallel on two cores)
            // to answer the log-in; the hang is well past it.
            try await withPortal(timeout: 20) { sim, client in
                try await client.login()
                await sim.setFaults(.init(hangRate: 1, hangSeconds: 25))
                let error = await dvcqgError { _ = try await client.sync([dossier("LATE")], isUpdating: false) }
                #expect(error == .timeout)
                #expect(error?.isRetryable == true)
                // The contract's warning: a write can land after the sender gave up on it.
                #expect(await eventually(within: .seconds(120)) { await sim.dump().dossier("LATE") != nil })
                #expect(await sim.writeLog().map(\.maHoSo) == ["LATE"])
            }
        }

        @Test("added latency delays answers but changes nothing else")
        func latency() async throws {
            try await withPortal { sim, client in
                try await client.login()
                await sim.setFaults(.init(latencyMs: 200))
                let clock = ContinuousClock()
                let start = clock.now
                let answer = try await client.sync([dossier("A")], isUpdating: false)
                #expect(clock.now - start >= .milliseconds(200))
                #expect(answer.results.first?.isSuccess == true)
            }
        }

        @Test("the same seed and the same calls give the same faults")
        func seededFaults() async throws {
            func outcomes(seed: UInt64) async throws -> [Bool] {
                try await withPortal(.init(seed: seed)) { sim, client in
                    try await client.login()
                    await sim.setFaults(.init(failRate: 0.5))
                    var failed: [Bool] = []
                    for i in 0..<24 {
                        failed.append(await dvcqgError { _ = try await client.lookUp(["X\(i)"]) } != nil)
                    }
                    return failed
                }
            }
            let first = try await outcomes(seed: 42)
            let second = try await outcomes(seed: 42)
            #expect(first == second)
            #expect(first.contains(true) && first.contains(false))
        }

        @Test("stopping the simulator ends held calls without applying them")
        func stopDuringHang() async throws {
            let sim = DVCQGSimulator()
            let url = try await sim.start()
            let client = DVCQGClient(DVCQGConfig(baseURL: url, username: "motcua", password: "motcua", madonvi: testUnit, timeout: 600))
            try await client.login()
            await sim.setFaults(.init(hangRate: 1, hangSeconds: 600))
            let call = Task { try await client.sync([dossier("NEVER")], isUpdating: false) }
            #expect(await eventually { await sim.callsInFlight() == 1 })
            await sim.stop()
            #expect(await dvcqgError { _ = try await call.value } != nil)
            #expect(await sim.dump().dossiers.isEmpty)
            #expect(await sim.callsInFlight() == 0)
        }

        @Test("a portal that is not listening is a transport error")
        func unreachable() async throws {
            let sim = DVCQGSimulator()
            let url = try await sim.start()
            await sim.stop()
            let client = DVCQGClient(DVCQGConfig(baseURL: url, username: "motcua", password: "motcua", madonvi: testUnit, timeout: 5))
            let error = await dvcqgError { _ = try await client.lookUp(["A"]) }
            guard case .transport? = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
            #expect(error?.isRetryable == true)
        }

        @Test("admin endpoints: faults patched in part, dump and log as JSON, reset to the start")
        func adminEndpoints() async throws {
            try await withPortal(.init(faults: .init(latencyMs: 1))) { sim, client in
                _ = try await client.sync([dossier("A")], isUpdating: false)
                _ = try await client.appendProgress([step("A")])
                let url = try #require(await sim.baseURL)

                let patched = try await admin(url, "POST", "sim/faults", json: #"{"failRate": 0.25}"#)
                #expect(patched.status == 200)
                let faults = try JSONDecoder().decode(DVCQGFaults.self, from: patched.body)
                #expect(faults.failRate == 0.25 && faults.latencyMs == 1, "a partial patch keeps the other controls")
                #expect(try await admin(url, "POST", "sim/faults", json: #"{"hangRate": 3}"#).status == 400)
                #expect(try await admin(url, "POST", "sim/faults", json: "not json").status == 400)
                #expect(await sim.faults().failRate == 0.25)

                let dump = try JSONDecoder().decode(DVCQGDump.self, from: try await admin(url, "GET", "sim/dump").body)
                #expect(dump == (await sim.dump()))
                #expect(dump.dossier("A")?.progress.count == 1)

                struct Log: Decodable { let writes: [DVCQGWrite] }
                let d = JSONDecoder()
                d.dateDecodingStrategy = .iso8601
                let log = try d.decode(Log.self, from: try await admin(url, "GET", "sim/log").body)
                #expect(log.writes.map(\.service) == ["DongBoHoSoMC", "CapNhatTienDoHoSoMC"])

                #expect(try await admin(url, "POST", "sim/reset").status == 200)
                #expect(await sim.dump().dossiers.isEmpty)
                #expect(await sim.writeLog().isEmpty)
                #expect(await sim.faults() == DVCQGFaults(latencyMs: 1), "reset restores the faults of the start")
                // The reset forgot the client's session: the next call logs in again by itself.
                #expect(try await client.lookUp(["A"]).results.first?.outcome == .notFound)
                #expect(await sim.sessionsIssued() == 1)
            }
        }
    }
}
