// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import Simulators

/// `motcua sim …`: stand-ins for the outside systems MotCua talks to, for tests and demos.
struct Sim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim", abstract: "Simulators of outside systems (national portal, population database, sign-in providers) for tests and demos.",
        // `population` (SimPopulation.swift) is the population-database simulator.
        subcommands: [DVCQG.self, SimPopulation.self, SimOIDC.self])

    struct DVCQG: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dvcqg", abstract: "Simulate the national portal's sync adapter (specs/dvcqg-sync.md) on 127.0.0.1.",
            discussion: """
                Keeps what it receives in memory until stopped (Ctrl-C). Misbehaves as told by the flags, and at run time \
                through POST /sim/faults, e.g. curl -d '{"outageSeconds": 60}' <url>/sim/faults. GET /sim/dump and \
                GET /sim/log show what it holds and every write it accepted; POST /sim/reset starts over.
                """)

        @Option(help: "Port to listen on (0 = any free port).")
        var port = 8091

        @Option(help: "Account MotCua logs in with.")
        var username = "motcua"

        @Option(help: "Password of that account.")
        var password = "motcua"

        @Option(help: "The unit code (madonvi) the account may send for; several separated by commas, or * for any.")
        var unit = "000.00.00.H99"

        @Option(help: "Session lifetime in minutes.")
        var sessionMinutes: Double = 30

        @Option(help: "Share of calls answered HTTP 500 (0…1).")
        var failRate: Double = 0

        @Option(help: "Share of calls held for --hang-seconds before being handled (0…1).")
        var hangRate: Double = 0

        @Option(help: "How long a hanging call is held, in seconds.")
        var hangSeconds: Double = 60

        @Option(help: "Share of calls applied, then answered HTTP 502 (0…1): the lost-answer case.")
        var lostAnswerRate: Double = 0

        @Option(help: "Calls admitted per second; more get HTTP 429 with Retry-After (0 = no limit).")
        var rateLimit = 0

        @Option(help: "Start with an outage of this many seconds (every call 503).")
        var outageSeconds: Double = 0

        @Option(help: "Latency added to every call, in milliseconds.")
        var latencyMs = 0

        @Option(help: "Seed of the fault schedule (same seed and calls, same faults).")
        var seed: UInt64 = 766

        func run() async throws {
            let faults = DVCQGFaults(
                failRate: failRate, hangRate: hangRate, hangSeconds: hangSeconds, lostAnswerRate: lostAnswerRate,
                sessionLifetimeSeconds: sessionMinutes * 60, rateLimitPerSecond: rateLimit, outageSeconds: outageSeconds, latencyMs: latencyMs)
            if let problem = faults.problem() { throw ValidationError(problem) }
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
            let units = unit.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard let firstUnit = units.first else { throw ValidationError("--unit needs a unit code, or *") }
            // An account of the real portal is tied to its unit; "*" accepts any (data is kept per madonvi either way).
            let allowed: Set<String> = units.contains("*") ? [] : Set(units)
            let sim = DVCQGSimulator(
                .init(port: port, username: username, password: password, allowedUnits: allowed, faults: faults, seed: seed))
            let url = try await sim.start(handleSignals: true)
            say("DVCQG simulator listening on \(url.absoluteString) (Ctrl-C to stop)")
            say("point MotCua at it with:")
            say("  export DVCQG_URL=\(url.absoluteString)")
            say("  export DVCQG_USERNAME=\(username)")
            say("  export DVCQG_PASSWORD=\(password)")
            say("  export DVCQG_UNIT=\(firstUnit == "*" ? "000.00.00.H99" : firstUnit)")
            say("admin: GET \(url.absoluteString)/sim/status, /sim/dump, /sim/log, /sim/faults; POST /sim/faults, /sim/reset, /sim/expire-sessions")
            try await sim.waitUntilStopped()
            say("DVCQG simulator stopped")
        }
    }
}
