// SPDX-License-Identifier: Apache-2.0
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A stand-in for the national portal's adapter (DVCQG), served over real HTTP on 127.0.0.1 and
/// speaking the contract in `specs/dvcqg-sync.md`: `POST /auth`, `POST /integration`, plus the
/// admin endpoints *(sim)*:
///
/// - `GET /sim/dump`: every stored dossier with its progress rows (``DVCQGDump``);
/// - `GET /sim/log`: every accepted write, in order (`{"writes": [DVCQGWrite]}`);
/// - `GET /sim/status`: calls held right now (hangs, latency) and writes accepted (``DVCQGStatus``);
/// - `GET /sim/faults`, `POST /sim/faults`: read or change the controls (``DVCQGFaults``; a partial
///   object changes only the controls it names);
/// - `POST /sim/reset`: back to the start (no data, log or sessions; initial faults and seed);
/// - `POST /sim/expire-sessions`: forget every session, as a portal restart would.
///
/// ```
/// let sim = DVCQGSimulator(.init(faults: .init(lostAnswerRate: 0.1)))
/// let url = try await sim.start()   // http://127.0.0.1:<free port>
/// …
/// await sim.stop()
/// ```
public actor DVCQGSimulator {
    public struct Configuration: Sendable {
        /// 0 picks a free port; read it back from ``DVCQGSimulator/start(handleSignals:)``.
        public var port: Int
        public var username: String
        public var password: String
        /// The units (`madonvi`) the account may send for; empty accepts any.
        public var allowedUnits: Set<String>
        public var faults: DVCQGFaults
        /// Seeds the fault schedule, so a failing run can be replayed.
        public var seed: UInt64
        /// What `LayDanhSachTTHC` answers.
        public var catalogue: [DVCQGCatalogueEntry]
        public var logger: Logger
        /// The portal's time (the wall clock unless a test steers it).
        public var clock: @Sendable () -> Date

        public init(
            port: Int = 0, username: String = "motcua", password: String = "motcua", allowedUnits: Set<String> = [],
            faults: DVCQGFaults = .none, seed: UInt64 = 766, catalogue: [DVCQGCatalogueEntry] = DVCQGCatalogueEntry.sample,
            logger: Logger? = nil, clock: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.clock = clock
            self.port = port
            self.username = username
            self.password = password
            self.allowedUnits = allowedUnits
            self.faults = faults
            self.seed = seed
            self.catalogue = catalogue
            self.logger =
                logger
                ?? {
                    // Quiet by default: tests start dozens of these.
                    var l = Logger(label: "dvcqg-sim")
                    l.logLevel = .warning
                    return l
                }()
        }
    }

    public enum StartError: Error, CustomStringConvertible {
        case alreadyStarted
        case stoppedBeforeListening

        public var description: String {
            switch self {
            case .alreadyStarted: "the simulator is already running"
            case .stoppedBeforeListening: "the server stopped before it was listening (is the port free?)"
            }
        }
    }

    /// The portal's state; tests may read and steer it directly.
    public nonisolated let portal: DVCQGPortal
    private let configuration: Configuration
    private let inFlight = DVCQGInFlight()
    private var group: ServiceGroup?
    private var running: Task<Void, any Error>?
    /// `http://127.0.0.1:<port>` once started.
    public private(set) var baseURL: URL?

    public init(_ configuration: Configuration = .init()) {
        self.configuration = configuration
        self.portal = DVCQGPortal(
            username: configuration.username, password: configuration.password, allowedUnits: configuration.allowedUnits,
            catalogue: configuration.catalogue, faults: configuration.faults, seed: configuration.seed, clock: configuration.clock)
    }

    /// Starts listening on 127.0.0.1 and returns the base URL once the port is bound.
    /// - Parameter handleSignals: stop gracefully on SIGINT and SIGTERM (for the CLI; tests leave the
    ///   process's signals alone).
    public func start(handleSignals: Bool = false) async throws -> URL {
        guard running == nil else { throw StartError.alreadyStarted }
        let inFlight = self.inFlight
        await inFlight.reopen()
        // Checked again: another `start` may have run while this one waited.
        guard running == nil else { throw StartError.alreadyStarted }
        let (bound, announce) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: Self.router(portal: portal, inFlight: inFlight),
            configuration: .init(address: .hostname("127.0.0.1", port: configuration.port), serverName: "DVCQG-sim"),
            onServerRunning: { channel in
                announce.yield(channel.localAddress?.port ?? -1)
                announce.finish()
            },
            logger: configuration.logger)
        // Services shut down in reverse order: the canceller goes first, so held calls end before the
        // server waits for open requests (a 60-second hang would otherwise hold up Ctrl-C).
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: app),
                    .init(service: CancelHeldCalls(inFlight: inFlight), successTerminationBehavior: .ignore),
                ],
                gracefulShutdownSignals: handleSignals ? [.sigint, .sigterm] : [], logger: configuration.logger))
        self.group = group
        running = Task {
            // However the server ends, end in-flight work and unblock `start`.
            defer { announce.finish() }
            do {
                try await group.run()
            } catch {
                await inFlight.cancelAll()
                throw error
            }
            await inFlight.cancelAll()
        }
        var it = bound.makeAsyncIterator()
        guard let port = await it.next(), port > 0 else {
            // Binding failed: surface the server's own error (address in use…).
            let task = running
            running = nil
            self.group = nil
            try await task?.value
            throw StartError.stoppedBeforeListening
        }
        let url = URL(string: "http://127.0.0.1:\(port)")!
        baseURL = url
        return url
    }

    /// Stops the server: calls still held (hang, latency) end without being applied.
    public func stop() async {
        guard let task = running else { return }
        // Cancel held calls first: graceful shutdown waits for every open request to answer.
        await inFlight.cancelAll()
        await stopServer(group, running: task)
        running = nil
        group = nil
        baseURL = nil
    }

    /// Waits until the server stops (on a signal given to `start`, or ``stop()``).
    public func waitUntilStopped() async throws {
        try await running?.value
    }

    // MARK: Conveniences for tests

    public func dump() async -> DVCQGDump { await portal.dump() }
    public func writeLog() async -> [DVCQGWrite] { await portal.writeLog() }
    public func setFaults(_ f: DVCQGFaults) async { await portal.setFaults(f) }
    public func faults() async -> DVCQGFaults { await portal.currentFaults() }
    public func reset() async { await portal.reset() }
    public func expireSessions() async { await portal.expireSessions() }
    public func sessionsIssued() async -> Int { await portal.sessionsIssued }
    /// Calls admitted and not yet answered (held by a hang or latency, or being handled).
    public func callsInFlight() async -> Int { await inFlight.count }

    // MARK: HTTP

    static func router(portal: DVCQGPortal, inFlight: DVCQGInFlight) -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(CloseConnections())
        router.post("auth") { req, _ in
            let body = try await Self.body(req)
            return await Self.portalCall(portal: portal, inFlight: inFlight) { now, _ in await portal.auth(body, now: now) }
        }
        router.post("integration") { req, _ in
            let body = try await Self.body(req)
            let requestId = req.headers[.init("X-Request-Id")!]
            return await Self.portalCall(portal: portal, inFlight: inFlight) { now, lost in
                await portal.integration(body, now: now, answerLost: lost, requestId: requestId)
            }
        }
        router.get("sim/dump") { _, _ in
            Self.json(try encode(await portal.dump()))
        }
        router.get("sim/log") { _, _ in
            Self.json(try encode(["writes": await portal.writeLog()]))
        }
        router.get("sim/status") { _, _ in
            Self.json(try encode(DVCQGStatus(callsInFlight: await inFlight.count, writes: await portal.writeLog().count)))
        }
        router.get("sim/faults") { _, _ in
            Self.json(try encode(await portal.currentFaults()))
        }
        router.post("sim/faults") { req, _ in
            let patch: DVCQGFaults.Patch
            do {
                patch = try JSONDecoder().decode(DVCQGFaults.Patch.self, from: try await Self.body(req))
            } catch {
                return Self.text(.badRequest, "faults: expected a JSON object of controls (\(error))")
            }
            if let problem = (await portal.currentFaults()).applying(patch).problem() {
                return Self.text(.badRequest, "faults: \(problem)")
            }
            return Self.json(try encode(await portal.apply(patch)))
        }
        router.post("sim/reset") { _, _ in
            await portal.reset()
            return Self.json(try encode(await portal.currentFaults()))
        }
        router.post("sim/expire-sessions") { _, _ in
            await portal.expireSessions()
            return Self.text(.ok, "sessions expired")
        }
        return router
    }

    /// Runs one portal call through the fault schedule.
    ///
    /// The call's work runs in a task of its own, tracked in `inFlight`: a held (hanging) call is then
    /// applied when its time is up even if the client has hung up, as on a real slow server, and
    /// ``stop()`` can still cancel it.
    static func portalCall(
        portal: DVCQGPortal, inFlight: DVCQGInFlight, _ handle: @escaping @Sendable (Date, Bool) async -> SimJSON
    ) async -> Response {
        switch await portal.admit(now: portal.clock()) {
        case .outage(let s):
            return text(.serviceUnavailable, "Hệ thống đang bảo trì (sim: outage)", retryAfter: s)
        case .rateLimited(let s):
            return text(.tooManyRequests, "Quá nhiều yêu cầu (sim: rate limit)", retryAfter: s)
        case .fail:
            return text(.internalServerError, "Internal Server Error (sim: failure)")
        case .proceed(let delay, let lose):
            let work = Task<Response, Never> {
                if delay > .zero {
                    do { try await Task.sleep(for: delay) } catch {
                        return text(.serviceUnavailable, "sim: stopping")
                    }
                }
                let answer = await handle(portal.clock(), lose)
                if lose { return text(.badGateway, "Bad Gateway (sim: applied, answer lost)") }
                return json(answer.encoded())
            }
            let id = await inFlight.add(work)
            let response = await work.value
            await inFlight.remove(id)
            return response
        }
    }

    static func encode(_ value: some Encodable) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return try e.encode(value)
    }

    static func body(_ req: Request) async throws -> Data {
        let buffer = try await req.body.collect(upTo: 16 << 20)
        return Data(buffer.readableBytesView)
    }

    static func json(_ data: Data) -> Response {
        var h = HTTPFields()
        h[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ status: HTTPResponse.Status, _ s: String, retryAfter: Int? = nil) -> Response {
        var h = HTTPFields()
        h[.contentType] = "text/plain; charset=utf-8"
        if let retryAfter { h[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(string: s)))
    }
}


/// Ends held calls as soon as a graceful shutdown starts (on a signal or ``DVCQGSimulator/stop()``).
struct CancelHeldCalls: Service {
    let inFlight: DVCQGInFlight

    func run() async throws {
        try? await gracefulShutdown()
        await inFlight.cancelAll()
    }
}


/// Calls being worked on, so that stopping the simulator can cut them short.
/// `GET /sim/status`: what a test waits on from another process.
public struct DVCQGStatus: Codable, Sendable, Equatable {
    /// Calls admitted and not yet answered: a hang held now is still to be applied.
    public var callsInFlight: Int
    public var writes: Int
}

actor DVCQGInFlight {
    private var tasks: [Int: Task<Response, Never>] = [:]
    private var next = 0
    /// Set by `cancelAll`: a call admitted while the server shuts down is cut short at once.
    private var closed = false

    func add(_ t: Task<Response, Never>) -> Int {
        if closed { t.cancel() }
        next += 1
        tasks[next] = t
        return next
    }

    func remove(_ id: Int) { tasks[id] = nil }

    var count: Int { tasks.count }

    func cancelAll() {
        closed = true
        for t in tasks.values { t.cancel() }
    }

    func reopen() { closed = false }
}
