// SPDX-License-Identifier: Apache-2.0
import Foundation
import ServiceLifecycle

extension PopulationSimulator {
    /// One request for a person's data, as the database records it (the contract asks both sides
    /// to record the purpose of every look-up). Refused requests that got past authentication are
    /// recorded too, with their status: a citizen may want to know about those as well.
    public struct LookupLogEntry: Codable, Sendable, Equatable {
        public let at: Date
        /// The `client_id` the token was issued to.
        public let client: String
        public let official: String?
        public let purpose: String?
        public let dossier: String?
        public let idNumber: String
        /// The HTTP status answered.
        public let status: Int
    }

    /// What the fault controls say about a call before it is handled.
    enum Admission: Sendable {
        case proceed
        case refuse(status: Int, retryAfter: Int?, message: String)
    }
}


/// Everything that changes while the population simulator runs: tokens, the look-up log, faults,
/// the fault generator and the simulated clock. An actor because Hummingbird handles requests
/// concurrently.
actor PopulationSimulatorState {
    struct Token {
        let client: String
        let expires: Date
    }

    /// The log is kept to this many entries, so a demo left running for days stays small.
    static let logCapacity = 10_000

    private var tokens: [String: Token] = [:]
    private(set) var tokensIssued = 0
    private var log: [PopulationSimulator.LookupLogEntry] = []
    private(set) var faults: PopulationFaults
    private var rng: PopulationRNG
    private var outageUntil: Date?
    /// Added to the wall clock, so a test can expire tokens without waiting.
    private var clockOffset: TimeInterval = 0
    private var windowStart: Date?
    private var windowCount = 0
    private var server: Server?

    /// A server started in the background by ``PopulationSimulator/start()``.
    struct Server: Sendable {
        let task: Task<Void, any Error>
        let group: ServiceGroup
    }

    init(faults: PopulationFaults, seed: UInt64) {
        var f = faults
        if f.outageSeconds > 0 { outageUntil = Date().addingTimeInterval(f.outageSeconds) }
        f.outageSeconds = 0
        self.faults = f
        // A stream apart from the population's, so changing faults never changes the people.
        self.rng = PopulationRNG(seed: seed ^ 0x5EED_FA17)
    }

    func now() -> Date { Date().addingTimeInterval(clockOffset) }

    func advanceClock(by seconds: TimeInterval) { clockOffset += seconds }

    // MARK: Faults

    func apply(_ f: PopulationFaults) {
        faults = f
        // Like the DVCQG simulator, outageSeconds is an order ("start an outage now"), not a state.
        if f.outageSeconds > 0 {
            outageUntil = now().addingTimeInterval(f.outageSeconds)
        } else {
            outageUntil = nil
        }
        faults.outageSeconds = 0
        windowStart = nil
        windowCount = 0
    }

    func apply(_ patch: PopulationFaults.Patch) -> String? {
        var next = faults.applying(patch)
        // An outage not mentioned in the patch keeps running.
        if patch.outageSeconds == nil { next.outageSeconds = outageRemaining() }
        if let p = next.problem() { return p }
        if let s = patch.seed { rng = PopulationRNG(seed: s ^ 0x5EED_FA17) }
        apply(next)
        return nil
    }

    /// The faults in force, with the outage as the seconds it still has to run.
    func status() -> PopulationFaults {
        var f = faults
        f.outageSeconds = outageRemaining()
        return f
    }

    private func outageRemaining() -> Double {
        guard let until = outageUntil else { return 0 }
        return max(0, until.timeIntervalSince(now()))
    }

    /// Decides whether a call is answered normally; counts it against the rate limit.
    func admit() -> PopulationSimulator.Admission {
        let now = now()
        if let until = outageUntil {
            if now < until {
                return .refuse(status: 503, retryAfter: Int(until.timeIntervalSince(now).rounded(.up)), message: "simulated outage")
            }
            outageUntil = nil
        }
        if faults.rateLimitPerSecond > 0 {
            if let start = windowStart, now.timeIntervalSince(start) < 1 {
                windowCount += 1
            } else {
                windowStart = now
                windowCount = 1
            }
            if windowCount > faults.rateLimitPerSecond {
                return .refuse(status: 429, retryAfter: 1, message: "rate limit: \(faults.rateLimitPerSecond) calls per second")
            }
        }
        if faults.failRate > 0, rng.unit() < faults.failRate {
            return .refuse(status: 500, retryAfter: nil, message: "simulated failure")
        }
        return .proceed
    }

    // MARK: Tokens

    func issueToken(client: String) -> (token: String, expiresIn: Int) {
        let now = now()
        tokens = tokens.filter { $0.value.expires > now }
        // Unguessable, unlike everything else here: a token is a credential even in a simulator.
        let token = UUID().uuidString.lowercased() + UUID().uuidString.lowercased()
        tokens[token] = Token(client: client, expires: now.addingTimeInterval(TimeInterval(faults.tokenLifetimeSeconds)))
        tokensIssued += 1
        return (token, faults.tokenLifetimeSeconds)
    }

    /// The client a bearer token belongs to, or nil when it is unknown or expired.
    func client(forToken token: String) -> String? {
        guard let t = tokens[token], t.expires > now() else { return nil }
        return t.client
    }

    // MARK: Log

    func record(_ entry: PopulationSimulator.LookupLogEntry) {
        if log.count >= Self.logCapacity { log.removeFirst(log.count - Self.logCapacity + 1) }
        log.append(entry)
    }

    func lookups() -> [PopulationSimulator.LookupLogEntry] { log }

    // MARK: Lifecycle

    func setServer(_ new: Server?) -> Server? {
        let previous = server
        server = new
        return previous
    }
}
