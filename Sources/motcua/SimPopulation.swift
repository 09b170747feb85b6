// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import Simulators

/// `motcua sim population`: a stand-in for the national population database, serving
/// shared/specs/population-db.md on 127.0.0.1 until interrupted.
struct SimPopulation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population",
        abstract: "Serve a simulated national population database (CSDLQG về dân cư) for identity look-ups.",
        discussion: """
            Serves fixed demo people (001190012345 Phạm Thị Hoa, 001090012345 Lê Văn Đạt, …), a synthetic population \
            generated from --seed, and the records of --file. Simulator-only endpoints: GET /sim/log (every look-up: who, \
            why, which dossier, when), GET|POST /sim/faults (e.g. {"failRate":0.2}, {"outageSeconds":30}, \
            {"rateLimitPerSecond":5}, {"latencyMs":300}), GET /sim/people?offset=&limit=, POST /sim/clock \
            {"advanceSeconds":301}.
            """)

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 8092

    @Option(help: "How many synthetic people to generate.")
    var people: Int = 10_000

    @Option(help: "Seed of the synthetic population and of the fault generator.")
    var seed: UInt64 = 1

    @Option(help: "A JSON array of citizen records (the look-up answer format) to serve besides the generated people.")
    var file: String?

    @Option(help: "Write everyone the simulator would serve to this JSON file (usable with --file) and exit.")
    var export: String?

    @Option(help: "The client_id MotCua must present.")
    var clientId: String = "motcua"

    @Option(help: "The client_secret MotCua must present.")
    var clientSecret: String = "motcua-secret"

    @Option(help: "Share of calls answered HTTP 500, 0 to 1.")
    var failRate: Double = 0

    @Option(help: "Milliseconds added before every answer.")
    var latencyMs: Int = 0

    @Option(help: "Calls admitted per second before HTTP 429 with Retry-After (0 = no limit).")
    var rateLimit: Int = 0

    @Option(help: "Lifetime of access tokens, in seconds.")
    var tokenLifetime: Int = 300

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard people >= 0 else { throw ValidationError("--people must be 0 or more") }
        if let p = faults.problem() { throw ValidationError(p) }
    }

    var faults: PopulationFaults {
        PopulationFaults(failRate: failRate, rateLimitPerSecond: rateLimit, latencyMs: latencyMs, tokenLifetimeSeconds: tokenLifetime)
    }

    func run() async throws {
        let simulator: PopulationSimulator
        do {
            simulator = try PopulationSimulator(
                configuration: .init(
                    port: port, people: people, seed: seed, file: file, clientId: clientId, clientSecret: clientSecret, faults: faults))
        } catch {
            FileHandle.standardError.write(Data("motcua sim population: \(error)\n".utf8))
            throw ExitCode(66)
        }
        if let export {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(simulator.citizens).write(to: URL(fileURLWithPath: export))
            print("wrote \(simulator.citizens.count) people to \(export)")
            return
        }
        let count = simulator.citizens.count
        let (id, secret) = (clientId, clientSecret)
        try await simulator.run { url in
            print(
                """
                population database simulator: \(url) (\(count) people, seed \(seed))
                MotCua reads:
                  export POPULATION_URL=\(url)
                  export POPULATION_CLIENT_ID=\(id)
                  export POPULATION_CLIENT_SECRET=\(secret)
                try: 001190012345 (Phạm Thị Hoa), 001090012345 (Lê Văn Đạt); more at \(url)/sim/people
                """)
            fflush(nil)  // so a script reading a pipe sees the URL at once
        }
    }
}
