// SPDX-License-Identifier: Apache-2.0

/// How the population simulator misbehaves; the same controls as ``DVCQGFaults`` where they
/// overlap. Set at start, changed at run time with `POST /sim/faults` *(sim)* or
/// ``PopulationSimulator/setFaults(_:)``.
///
/// The fail rate is drawn from the simulator's seeded generator in the order calls arrive, so the
/// same seed and the same calls misbehave the same way. Faults apply to `/token` and
/// `/citizens/…`; the `/sim/*` endpoints always answer.
public struct PopulationFaults: Codable, Sendable, Equatable {
    /// Share of calls (0…1) answered HTTP 500.
    public var failRate: Double
    /// Calls admitted per second (a window opened by the first call in it); beyond that, HTTP 429
    /// with `Retry-After`. 0 = no limit.
    public var rateLimitPerSecond: Int
    /// Start an outage of this many seconds when these faults are applied: every call answers 503
    /// with `Retry-After` until it ends. 0 ends a running outage.
    public var outageSeconds: Double
    /// Added before every call is answered.
    public var latencyMs: Int
    /// Lifetime of new access tokens (`expires_in`); the contract's example is 300.
    public var tokenLifetimeSeconds: Int

    public init(failRate: Double = 0, rateLimitPerSecond: Int = 0, outageSeconds: Double = 0, latencyMs: Int = 0, tokenLifetimeSeconds: Int = 300) {
        self.failRate = failRate
        self.rateLimitPerSecond = rateLimitPerSecond
        self.outageSeconds = outageSeconds
        self.latencyMs = latencyMs
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
    }

    /// A well-behaved database.
    public static let none = PopulationFaults()

    /// Names the first out-of-range control, so a bad `POST /sim/faults` is refused as a whole.
    public func problem() -> String? {
        if !(0...1).contains(failRate) { return "failRate must be between 0 and 1" }
        if rateLimitPerSecond < 0 { return "rateLimitPerSecond must be 0 or more" }
        if !(outageSeconds >= 0) { return "outageSeconds must be 0 or more" }
        if latencyMs < 0 { return "latencyMs must be 0 or more" }
        if tokenLifetimeSeconds < 1 { return "tokenLifetimeSeconds must be 1 or more" }
        return nil
    }

    /// A partial update: `POST /sim/faults {"failRate": 0.2}` changes that control and keeps the others.
    public struct Patch: Codable, Sendable {
        public var failRate: Double?
        public var rateLimitPerSecond: Int?
        public var outageSeconds: Double?
        public var latencyMs: Int?
        public var tokenLifetimeSeconds: Int?
        /// Reseeds the fault generator, to replay a run from a known point.
        public var seed: UInt64?

        public init(
            failRate: Double? = nil, rateLimitPerSecond: Int? = nil, outageSeconds: Double? = nil, latencyMs: Int? = nil,
            tokenLifetimeSeconds: Int? = nil, seed: UInt64? = nil
        ) {
            self.failRate = failRate
            self.rateLimitPerSecond = rateLimitPerSecond
            self.outageSeconds = outageSeconds
            self.latencyMs = latencyMs
            self.tokenLifetimeSeconds = tokenLifetimeSeconds
            self.seed = seed
        }
    }

    /// These faults with the controls the patch names replaced.
    public func applying(_ p: Patch) -> PopulationFaults {
        var f = self
        if let v = p.failRate { f.failRate = v }
        if let v = p.rateLimitPerSecond { f.rateLimitPerSecond = v }
        if let v = p.outageSeconds { f.outageSeconds = v }
        if let v = p.latencyMs { f.latencyMs = v }
        if let v = p.tokenLifetimeSeconds { f.tokenLifetimeSeconds = v }
        return f
    }
}
