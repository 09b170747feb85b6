// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How repeated wrong passwords slow an account down. The first failures cost only the password
/// hash's own time; from the fifth in a row the account is locked, one minute and then twice as
/// long after each further failure, at most an hour, so guessing a password takes years while
/// an official who mistypes waits a minute. A success starts the count again. [R] the counts are
/// our choice, configurable (`MOTCUA_SIGNIN_FREE_FAILURES`, `MOTCUA_SIGNIN_LONGEST_LOCK_MINUTES`).
public struct SignInThrottle: Sendable, Equatable {
    /// Failures in a row allowed before the first lock.
    public var freeFailures: Int
    public var firstLock: TimeInterval
    public var longestLock: TimeInterval

    public init(freeFailures: Int = 4, firstLock: TimeInterval = 60, longestLock: TimeInterval = 3600) {
        self.freeFailures = freeFailures
        self.firstLock = firstLock
        self.longestLock = longestLock
    }

    /// How long the account stays locked after its `failures`-th failure in a row (nil: not locked).
    public func lock(afterFailures failures: Int) -> TimeInterval? {
        guard failures > freeFailures else { return nil }
        let doublings = min(failures - freeFailures - 1, 30)
        return min(longestLock, firstLock * pow(2, Double(doublings)))
    }
}
