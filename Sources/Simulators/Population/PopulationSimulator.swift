// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A stand-in for the national population database (CSDLQG về dân cư) that speaks
/// `shared/specs/population-db.md` over real HTTP, for tests and demos (`motcua sim population`).
///
/// ```
/// POST /token               {"client_id", "client_secret"} → {"access_token", "expires_in"}
/// GET  /citizens/{number}   Bearer + X-Purpose + X-Official (+ X-Dossier) → 200/400/401/403/404
/// GET  /sim/log             (sim) every look-up: who, why, which dossier, when, answer
/// GET  /sim/faults          (sim) the faults in force;  POST /sim/faults: change them (a patch)
/// GET  /sim/people          (sim) ?offset=&limit= the people served, to find numbers to try
/// POST /sim/clock           (sim) {"advanceSeconds": 301}: move the simulator's clock (expire tokens)
/// ```
///
/// The people are the fixed ``wellKnown`` ones, a ``SyntheticPopulation`` from the seed, and
/// the records of a file if one is given (a file's record replaces a person with the same number).
public final class PopulationSimulator: Sendable {
    public struct Configuration: Sendable {
        /// Only loopback by default: the simulator serves personal-looking data without TLS.
        public var host: String
        /// 0 picks a free port; ``start()`` returns the one bound.
        public var port: Int
        /// How many synthetic people to generate.
        public var people: Int
        public var seed: UInt64
        /// A JSON array of citizen records (the wire format) served besides the generated people.
        public var file: String?
        public var clientId: String
        public var clientSecret: String
        public var faults: PopulationFaults
        public var logLevel: Logger.Level

        public init(
            host: String = "127.0.0.1", port: Int = 0, people: Int = 10_000, seed: UInt64 = 1, file: String? = nil,
            clientId: String = "motcua", clientSecret: String = "motcua-secret", faults: PopulationFaults = .none,
            logLevel: Logger.Level = .info
        ) {
            self.host = host
            self.port = port
            self.people = people
            self.seed = seed
            self.file = file
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.faults = faults
            self.logLevel = logLevel
        }
    }

    public let configuration: Configuration
    /// Everyone served, in a stable order: fixed people, generated people, then the file's new ones.
    public let citizens: [Citizen]
    private let index: [String: Int]
    let state: PopulationSimulatorState
    let logger: Logger

    /// Builds the population; throws ``LoadError`` when the file cannot be read or has a record
    /// that contradicts its own number.
    public init(configuration: Configuration = .init()) throws {
        if let p = configuration.faults.problem() { throw LoadError(description: "faults: \(p)") }
        self.configuration = configuration
        var all = Self.wellKnown
        all += SyntheticPopulation.generate(count: configuration.people, seed: configuration.seed, excluding: Set(all.map(\.idNumber)))
        var index: [String: Int] = [:]
        for (i, c) in all.enumerated() { index[c.idNumber] = i }
        if let path = configuration.file {
            let currentYear = VietnamTime.date(of: Date()).year
            for c in try Self.loadCitizens(from: path, currentYear: currentYear) {
                if let i = index[c.idNumber] {
                    all[i] = c
                } else {
                    index[c.idNumber] = all.count
                    all.append(c)
                }
            }
        }
        self.citizens = all
        self.index = index
        self.state = PopulationSimulatorState(faults: configuration.faults, seed: configuration.seed)
        var logger = Logger(label: "population-sim")
        logger.logLevel = configuration.logLevel
        self.logger = logger
    }

    /// The person with this number, if served.
    public func citizen(_ idNumber: String) -> Citizen? {
        index[idNumber].map { citizens[$0] }
    }

    // MARK: Running

    /// Runs until SIGINT or SIGTERM (the CLI); `onRunning` gets the base URL once the port is bound.
    public func run(onRunning: @escaping @Sendable (URL) async -> Void = { _ in }) async throws {
        let host = configuration.host
        try await makeApplication { port in await onRunning(Self.url(host: host, port: port)) }.runService()
    }

    /// Starts serving in the background and returns the base URL once the port is bound (tests).
    /// Call ``stop()`` when done.
    public func start() async throws -> URL {
        // A second start replaces the first; free its port before binding again.
        await stop()
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = makeApplication { port in continuation.yield(port) }
        // Our own group, without signal handlers, so stop() can shut down gracefully: cancelling
        // would make Hummingbird log an error for every open keep-alive connection.
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            // Ends the stream if the server stops or never binds, so start() cannot wait forever.
            defer { continuation.finish() }
            try await group.run()
        }
        if let raced = await state.setServer(.init(task: task, group: group)) { await Self.shutDown(raced) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw LoadError(description: "the population simulator stopped before it was listening")
        }
        return Self.url(host: configuration.host, port: port)
    }

    /// Stops a server started with ``start()``: lets answers in progress finish, closes the port,
    /// and returns when it is closed.
    public func stop() async {
        guard let server = await state.setServer(nil) else { return }
        await Self.shutDown(server)
    }

    private static func shutDown(_ server: PopulationSimulatorState.Server) async {
        await stopServer(server.group, running: server.task)
    }

    private static func url(host: String, port: Int) -> URL {
        URL(string: "http://\(host):\(port)")!
    }

    private func makeApplication(onPort: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let port = configuration.port
        return Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(configuration.host, port: port), serverName: "PopulationSim"),
            onServerRunning: { channel in await onPort(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    // MARK: Admin (sim) from Swift

    /// Every look-up recorded so far, oldest first.
    public func lookups() async -> [LookupLogEntry] { await state.lookups() }

    /// How many access tokens have been issued (a refresh shows up here).
    public func tokensIssued() async -> Int { await state.tokensIssued }

    /// The faults in force; `outageSeconds` is what is left of a running outage.
    public func faults() async -> PopulationFaults { await state.status() }

    /// Replaces the faults; `outageSeconds` > 0 starts an outage now.
    public func setFaults(_ faults: PopulationFaults) async throws {
        if let p = faults.problem() { throw LoadError(description: "faults: \(p)") }
        await state.apply(faults)
    }

    /// Moves the simulator's clock forward (tokens and outages expire by it).
    public func advanceClock(by seconds: TimeInterval) async { await state.advanceClock(by: seconds) }
}
