// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging

/// The primary's write-ahead-log position a request's reads must have caught up with: set from
/// the request's session (where its last write left the primary), nil for a reader that wrote
/// nothing. A standby that has not replayed that far is not asked.
public enum ReadFence {
    @TaskLocal public static var position: String?
}

/// A PostgreSQL hot standby (streaming replication) that serves heavy reads: dashboard, reports,
/// search, lists. Every write, and every read not routed here, goes to the primary.
///
/// A read goes to the standby only while it is up, still a standby, and has replayed the
/// reader's fence (its own writes: read-your-writes per session); otherwise, and whenever the
/// standby fails or does not answer within `timeout`, the same read runs on the primary. Reads
/// are side-effect free, so running one again is safe. A probe every second keeps the state
/// (up, replayed position, lag) that /metrics and /readyz report; PostgresNIO's pool waits for a
/// server that is down rather than failing, so every standby call is bounded by `timeout`.
public final class ReadReplica: @unchecked Sendable {
    public let standby: PostgresDatabase
    let primary: any Database
    let timeout: Duration
    private let lock = NSLock()
    private var state = Status()
    static let logger = Logger(label: "motcua.replica")

    /// What the last probe found, and where reads went.
    public struct Status: Sendable {
        /// Answered the last probe (or the last read) in time.
        public var up = false
        /// In recovery, i.e. still a standby (a promoted one is not read from: it may have diverged).
        public var inRecovery = false
        /// The standby's replayed position and the primary's current one.
        public var replayed: UInt64?
        public var primaryPosition: UInt64?
        /// Seconds since the last transaction the standby replayed was committed (grows while
        /// the primary is idle, so it is a hint; `lagBytes` is the measure).
        public var replayAgeSeconds: Double?
        public var readsOnStandby = 0
        public var readsOnPrimary = 0
        public var lastError: String?
        public var checkedAt: Date?

        /// Bytes of the primary's log the standby has not replayed.
        public var lagBytes: UInt64? {
            guard let p = primaryPosition, let r = replayed else { return nil }
            return p > r ? p - r : 0
        }
    }

    public init(standby: PostgresDatabase, primary: any Database, timeout: Duration = .seconds(2)) {
        self.standby = standby
        self.primary = primary
        self.timeout = timeout
    }

    public var status: Status { lock.withLock { state } }

    /// Runs the read `body` on the standby when it may, else on the primary.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        if await standbyMay(after: ReadFence.position.flatMap(Self.position)) {
            do {
                let value = try await bounded { try await body(self.standby) }
                lock.withLock { state.readsOnStandby += 1 }
                return value
            } catch is CancellationError where Task.isCancelled {
                throw CancellationError()
            } catch {
                markDown(error)
            }
        }
        let value = try await body(primary)
        lock.withLock { state.readsOnPrimary += 1 }
        return value
    }

    /// Up, a standby, and past `fence`; a fence beyond the last probe's position asks the
    /// standby again (it usually replays a commit within milliseconds).
    func standbyMay(after fence: UInt64?) async -> Bool {
        let s = status
        guard s.up, s.inRecovery else { return false }
        guard let fence else { return true }
        if let r = s.replayed, r >= fence { return true }
        do {
            let row = try await bounded { try await self.standby.first("SELECT pg_last_wal_replay_lsn()::text AS replayed") }
            let replayed = row?.string("replayed").flatMap(Self.position)
            lock.withLock { if let replayed { state.replayed = max(state.replayed ?? 0, replayed) } }
            return (replayed ?? 0) >= fence
        } catch {
            markDown(error)
            return false
        }
    }

    /// Asks both servers where they are; called every second by ``run(every:)`` and by tests.
    public func probe() async {
        let now = Date()
        do {
            let row = try await bounded {
                try await self.standby.first(
                    "SELECT pg_is_in_recovery() AS recovering, pg_last_wal_replay_lsn()::text AS replayed, EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 AS age"
                )
            }
            let primaryRow = try? await bounded { try await self.primary.first("SELECT pg_current_wal_lsn()::text AS lsn") }
            let recovering = row?.bool("recovering") ?? false
            let replayed = row?.string("replayed").flatMap(Self.position)
            var age: Double?
            if case .double(let d) = row?["age"] { age = d }
            let primaryPosition = primaryRow?.string("lsn").flatMap(Self.position)
            lock.withLock {
                if !state.up { Self.logger.info("the standby answers; reads go to it again") }
                state.up = true
                state.inRecovery = recovering
                state.replayed = replayed
                state.replayAgeSeconds = age
                state.primaryPosition = primaryPosition
                state.lastError = nil
                state.checkedAt = now
            }
        } catch {
            markDown(error)
            lock.withLock { state.checkedAt = now }
        }
    }

    /// Probes until the task is cancelled.
    public func run(every interval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            await probe()
            try? await Task.sleep(for: interval)
        }
    }

    func markDown(_ error: any Error) {
        lock.withLock {
            if state.up { Self.logger.warning("the standby failed; reads go to the primary: \(error)") }
            state.up = false
            state.lastError = "\(error)"
        }
    }

    /// `work` on the standby, or a timeout error after `timeout`. The caller does not wait for a
    /// call the pool holds back (a task group would wait for its child to end): it is cancelled
    /// and left to finish on its own.
    func bounded<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let once = Once<T>()
        let timeout = timeout
        return try await withCheckedThrowingContinuation { continuation in
            once.arm(continuation)
            let timer = Task {
                // Cancelled when the standby answered first: no timer is left sleeping per read.
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                if once.resume(.failure(StorageError.failed("the standby did not answer within \(timeout)"))) { once.cancelWorker() }
            }
            once.setWorker(Task {
                do { once.resume(.success(try await work())) } catch { once.resume(.failure(error)) }
                timer.cancel()
            })
        }
    }

    /// A log position as PostgreSQL writes it (`16/B374D848`), as a number.
    public static func position(_ text: String) -> UInt64? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let hi = UInt64(parts[0], radix: 16), let lo = UInt64(parts[1], radix: 16), hi <= UInt32.max, lo <= UInt32.max else { return nil }
        return hi << 32 | lo
    }

    public func close() async { await standby.close() }
}

/// A continuation resumed by whichever of two tasks finishes first.
private final class Once<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    private var worker: Task<Void, Never>?

    func arm(_ c: CheckedContinuation<T, any Error>) { lock.withLock { continuation = c } }
    func setWorker(_ t: Task<Void, Never>) { lock.withLock { worker = t } }
    func cancelWorker() { lock.withLock { worker }?.cancel() }

    /// Resumes the waiter unless it was already; true when this call did.
    @discardableResult
    func resume(_ result: Result<T, any Error>) -> Bool {
        guard let c = lock.withLock({ () -> CheckedContinuation<T, any Error>? in
            defer { continuation = nil }
            return continuation
        }) else { return false }
        c.resume(with: result)
        return true
    }
}
