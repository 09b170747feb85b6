// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How the DVCQG simulator misbehaves. Set at start, changed at run time with
/// `POST /sim/faults` *(sim)* or ``DVCQGSimulator/setFaults(_:)``.
///
/// Rates are shares of calls in 0…1, drawn from the simulator's seeded generator in the order the
/// calls arrive, so a run with the same seed and the same sequence of calls misbehaves the same way.
/// They apply to `/auth` and `/integration`; the `/sim/*` admin endpoints always answer.
public struct DVCQGFaults: Codable, Sendable, Equatable {
    /// Share of calls answered HTTP 500 without being applied.
    public var failRate: Double
    /// Share of calls held for ``hangSeconds`` before being handled (they are applied then, even if
    /// the client gave up: that is how an old snapshot can land after a newer one).
    public var hangRate: Double
    /// How long a hanging call is held.
    public var hangSeconds: Double
    /// Share of calls applied and then answered HTTP 502: the answer is lost, the write is not.
    public var lostAnswerRate: Double
    /// Lifetime of new sessions.
    public var sessionLifetimeSeconds: Double
    /// Calls admitted per second (a window opened by the first call in it); beyond that, HTTP 429
    /// with `Retry-After`. 0 = no limit.
    public var rateLimitPerSecond: Int
    /// Start an outage of this many seconds when these faults are applied: every call answers 503
    /// with `Retry-After` until it ends. 0 ends a running outage.
    public var outageSeconds: Double
    /// Added before every call is handled.
    public var latencyMs: Int

    public init(
        failRate: Double = 0, hangRate: Double = 0, hangSeconds: Double = 60, lostAnswerRate: Double = 0,
        sessionLifetimeSeconds: Double = 30 * 60, rateLimitPerSecond: Int = 0, outageSeconds: Double = 0, latencyMs: Int = 0
    ) {
        self.failRate = failRate
        self.hangRate = hangRate
        self.hangSeconds = hangSeconds
        self.lostAnswerRate = lostAnswerRate
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.rateLimitPerSecond = rateLimitPerSecond
        self.outageSeconds = outageSeconds
        self.latencyMs = latencyMs
    }

    /// A well-behaved portal.
    public static let none = DVCQGFaults()

    /// Names the first out-of-range control, so a bad `POST /sim/faults` is refused as a whole.
    public func problem() -> String? {
        for (name, rate) in [("failRate", failRate), ("hangRate", hangRate), ("lostAnswerRate", lostAnswerRate)] where !(0...1).contains(rate) {
            return "\(name) must be between 0 and 1"
        }
        if !(hangSeconds >= 0) { return "hangSeconds must be 0 or more" }
        if !(sessionLifetimeSeconds >= 0) { return "sessionLifetimeSeconds must be 0 or more" }
        if rateLimitPerSecond < 0 { return "rateLimitPerSecond must be 0 or more" }
        if !(outageSeconds >= 0) { return "outageSeconds must be 0 or more" }
        if latencyMs < 0 { return "latencyMs must be 0 or more" }
        return nil
    }

    /// A partial update: `POST /sim/faults {"failRate": 0.2}` changes that control and keeps the others.
    public struct Patch: Codable, Sendable {
        public var failRate: Double?
        public var hangRate: Double?
        public var hangSeconds: Double?
        public var lostAnswerRate: Double?
        public var sessionLifetimeSeconds: Double?
        public var rateLimitPerSecond: Int?
        public var outageSeconds: Double?
        public var latencyMs: Int?
    }

    /// These faults with the controls the patch names replaced.
    public func applying(_ p: Patch) -> DVCQGFaults {
        var f = self
        if let v = p.failRate { f.failRate = v }
        if let v = p.hangRate { f.hangRate = v }
        if let v = p.hangSeconds { f.hangSeconds = v }
        if let v = p.lostAnswerRate { f.lostAnswerRate = v }
        if let v = p.sessionLifetimeSeconds { f.sessionLifetimeSeconds = v }
        if let v = p.rateLimitPerSecond { f.rateLimitPerSecond = v }
        if let v = p.outageSeconds { f.outageSeconds = v }
        if let v = p.latencyMs { f.latencyMs = v }
        return f
    }
}


/// DVCQGRandom: tiny, fast and fully determined by its seed, unlike `SystemRandomNumberGenerator`.
/// Good enough for deciding faults; not for anything secret.
struct DVCQGRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
