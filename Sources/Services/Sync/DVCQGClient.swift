// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Network
import Storage

/// Where and as whom MotCua talks to the national portal's adapter.
public struct DVCQGConfig: Sendable {
    /// The adapter's base URL; the endpoints are resolved against it.
    public var baseURL: URL
    public var username: String
    public var password: String
    /// The unit code sent as `madonvi` on every call (e.g. "000.00.00.H56").
    public var madonvi: String
    /// Per HTTP request; a call that takes longer fails with ``DVCQGError/timeout``.
    public var timeout: TimeInterval
    /// Endpoint paths differ between environments (LGSP, NGSP); the contract's are the defaults.
    public var authPath: String
    public var integrationPath: String

    public init(
        baseURL: URL, username: String, password: String, madonvi: String, timeout: TimeInterval = 30, authPath: String = "auth",
        integrationPath: String = "integration"
    ) {
        self.baseURL = baseURL
        self.username = username
        self.password = password
        self.madonvi = madonvi
        self.timeout = timeout
        self.authPath = authPath
        self.integrationPath = integrationPath
    }
}


/// The portal's services, with their per-call limits (batch within ``limit``).
public enum DVCQGService: String, Sendable, CaseIterable {
    case dongBoHoSo = "DongBoHoSoMC"
    case capNhatTienDo = "CapNhatTienDoHoSoMC"
    case traCuuHoSo = "TraCuuHoSo"
    case layDanhSachTTHC = "LayDanhSachTTHC"
    /// Simulator only: not every adapter has it; use it for tooling, never for correctness.
    case thongKeHoSo = "ThongKeHoSo"

    /// Elements of `data` allowed in one call; more and the whole call is refused.
    public var limit: Int {
        switch self {
        case .dongBoHoSo, .traCuuHoSo: 50
        case .capNhatTienDo: 10
        case .layDanhSachTTHC, .thongKeHoSo: 1
        }
    }
}


/// Why a call to the portal failed as a whole. Item failures are not errors: they come back in
/// ``DVCQGAnswer/results``.
public enum DVCQGError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request did not get an answer: nobody listens (``HTTPCall/Failure/unreachable(_:)``),
    /// or the connection broke.
    case transport(HTTPCall.Failure)
    /// The answer was not HTTP 200 (429, 5xx, or a wrong URL). `retryAfter` is the server's
    /// `Retry-After` in seconds from now, if it sent one.
    case http(Int, retryAfter: TimeInterval?)
    /// No answer within ``DVCQGConfig/timeout``. The call may still have been applied.
    case timeout
    /// The adapter refused the call: its `error_code` (not "0"/"00") and message. "-1" after the
    /// single re-login means the fresh session was refused too.
    case envelope(code: String, message: String)
    /// `/auth` answered "401": the configured username or password is wrong. Retrying will not help.
    case badCredentials
    /// HTTP 200 with a body that is not the adapter's JSON envelope.
    case malformed(String)

    /// A later attempt may succeed (a person need not act first).
    public var isRetryable: Bool {
        switch self {
        case .transport, .timeout, .malformed: true
        case .http(let status, _): status == 429 || status == 408 || status >= 500
        case .envelope(let code, _): code == "-1"
        case .badCredentials: false
        }
    }

    /// The server's requested wait before retrying, if any.
    public var retryAfter: TimeInterval? {
        if case .http(_, let after) = self { return after }
        return nil
    }

    public var description: String {
        switch self {
        case .transport(let e): "DVCQG unreachable: \(e)"
        case .http(let s, let after): "DVCQG answered HTTP \(s)" + (after.map { String(format: ", retry after %.0f s", $0) } ?? "")
        case .timeout: "DVCQG did not answer in time (the call may still have been applied)"
        case .envelope(let code, let message): "DVCQG refused the call: error_code \(code): \(message)"
        case .badCredentials: "DVCQG refused the username or password (error_code 401)"
        case .malformed(let why): "DVCQG answered something that is not its JSON envelope: \(why)"
        }
    }
}


/// What a successful call answered: the envelope and one result per element of `data`, in order
/// (for `LayDanhSachTTHC` and `ThongKeHoSo`, the rows of the answer).
public struct DVCQGAnswer: Sendable, Equatable {
    /// "0" or "00".
    public let errorCode: String
    public let message: String
    public let results: [DVCQGItemResult]

    public init(errorCode: String, message: String, results: [DVCQGItemResult]) {
        self.errorCode = errorCode
        self.message = message
        self.results = results
    }
}


/// The portal's verdict on one element of `data`.
public struct DVCQGItemResult: Sendable, Equatable {
    public let maHoSo: String?
    /// "0" for success; absent in the answer is read as "0" (catalogue rows carry none).
    public let errorCode: String
    public let message: String
    /// `TraCuuHoSo`: the stored record.
    public let record: JSONValue?
    /// The whole entry as answered.
    public let raw: JSONValue

    public init(raw: JSONValue) {
        self.raw = raw
        maHoSo = raw["MaHoSo"]?.stringValue
        // Codes are strings in the contract; tolerate a number.
        errorCode = raw["error_code"].flatMap { $0.stringValue ?? $0.intValue.map(String.init) } ?? "0"
        message = raw["message"]?.stringValue ?? ""
        record = raw["record"]
    }

    public var outcome: DVCQGItemOutcome { .classify(errorCode: errorCode, message: message) }
    public var isSuccess: Bool { outcome == .ok }
}


/// What an item result means for the sender.
public enum DVCQGItemOutcome: Sendable, Equatable {
    case ok
    /// Create of a dossier the portal holds ("đã tồn tại"): send it again as an update.
    case alreadyExists
    /// Update, progress or look-up of a dossier the portal does not hold ("không tồn tại"): create it first.
    case notFound
    /// The record failed validation (error_code "2"); the message names the field. Resending will not help.
    case invalid
    /// Any other refusal; a person should look at the message.
    case rejected

    /// Classifies an item. The portal signals "exists"/"does not exist" only in the message text, so it is
    /// matched after folding (lower case, no diacritics, đ → d): adapters differ in Unicode normalisation
    /// (NFC or NFD) and some strip the accents altogether.
    public static func classify(errorCode: String, message: String) -> DVCQGItemOutcome {
        if errorCode == "0" || errorCode == "00" { return .ok }
        let folded = TextFolding.fold(message)
        if folded.contains("da ton tai") { return .alreadyExists }
        if folded.contains("khong ton tai") { return .notFound }
        if errorCode == "2" { return .invalid }
        return .rejected
    }
}


/// Talks to the portal's adapter: logs in, keeps the session, calls services.
///
/// One instance per adapter; calls may run concurrently and share the session. On "-1" (session
/// unknown or expired) the client logs in once more and repeats the call once; a second "-1" is
/// thrown. It does not retry anything else: backoff, batching and parking belong to the relay,
/// which knows what each call carries. Every error thrown is a ``DVCQGError``, or a
/// `CancellationError` when the calling task was cancelled.
public actor DVCQGClient {
    public nonisolated let config: DVCQGConfig
    private var token: String?
    private var loggingIn: Task<String, any Error>?
    /// Successful log-ins so far (a rising count under load means sessions keep expiring).
    public private(set) var logins = 0

    public init(_ config: DVCQGConfig) {
        self.config = config
    }

    /// Logs in now and keeps the new session for later calls.
    @discardableResult
    public func login() async throws -> String {
        try await freshSession(replacing: token)
    }

    /// Calls `service` with `data`; returns the envelope and item results, or throws if the call failed
    /// as a whole (``DVCQGError``).
    public func call(service: DVCQGService, isUpdating: Bool = false, data: [JSONValue]) async throws -> DVCQGAnswer {
        let first = try await currentSession()
        let answer = try await integration(session: first, service: service, isUpdating: isUpdating, data: data)
        guard answer.code == "-1" else { return try Self.checked(answer) }
        // The portal did not process a call it answered "-1", so repeating it is safe.
        let second = try await freshSession(replacing: first)
        let again = try await integration(session: second, service: service, isUpdating: isUpdating, data: data)
        if again.code == "-1" {
            if token == second { token = nil }
            throw DVCQGError.envelope(code: again.code, message: again.message)
        }
        return try Self.checked(again)
    }

    /// `DongBoHoSoMC`: creates (`isUpdating: false`) or replaces the records.
    public func sync(_ records: [DongBoHoSoRecord], isUpdating: Bool) async throws -> DVCQGAnswer {
        try await call(service: .dongBoHoSo, isUpdating: isUpdating, data: try records.map { try JSONValue(encoding: $0) })
    }

    /// `CapNhatTienDoHoSoMC`: appends processing steps.
    public func appendProgress(_ rows: [TienDoRecord]) async throws -> DVCQGAnswer {
        try await call(service: .capNhatTienDo, data: try rows.map { try JSONValue(encoding: $0) })
    }

    /// `TraCuuHoSo`: the stored record of each code (``DVCQGItemResult/record``), or a "không tồn tại" item.
    public func lookUp(_ codes: [String]) async throws -> DVCQGAnswer {
        try await call(service: .traCuuHoSo, data: codes.map { ["MaHoSo": .string($0)] })
    }

    /// `LayDanhSachTTHC`: the national catalogue, optionally only entries updated in a range.
    public func catalogue(updatedFrom from: Date? = nil, to: Date? = nil) async throws -> [JSONValue] {
        var range: [String: JSONValue] = [:]
        if let from { range["TuNgay"] = .string(DVCQGDate.string(from)) }
        if let to { range["DenNgay"] = .string(DVCQGDate.string(to)) }
        return try await call(service: .layDanhSachTTHC, data: range.isEmpty ? [] : [.object(range)]).results.map(\.raw)
    }

    // MARK: Sessions

    private func currentSession() async throws -> String {
        if let token { return token }
        return try await freshSession(replacing: nil)
    }

    /// A session other than `stale`: the current one if another call already replaced `stale`, the
    /// result of a log-in under way, or a new log-in. Concurrent calls that all see "-1" thus cause
    /// one log-in, not one each.
    private func freshSession(replacing stale: String?) async throws -> String {
        if let token, token != stale { return token }
        if let loggingIn { return try await loggingIn.value }
        let attempt = Task { try await self.performLogin() }
        loggingIn = attempt
        do {
            let s = try await attempt.value
            loggingIn = nil
            token = s
            logins += 1
            return s
        } catch {
            loggingIn = nil
            throw error
        }
    }

    private func performLogin() async throws -> String {
        let body = JSONValue.object(["username": .string(config.username), "password": .string(config.password)])
        let answer = try await post(config.authPath, body)
        let code = Self.code(answer)
        if code == "401" { throw DVCQGError.badCredentials }
        guard code == "0" || code == "00" else {
            throw DVCQGError.envelope(code: code ?? "", message: answer["message"]?.stringValue ?? "")
        }
        guard let s = answer["session"]?.stringValue, !s.isEmpty else { throw DVCQGError.malformed("log-in succeeded without a session") }
        return s
    }

    // MARK: HTTP

    private struct RawAnswer {
        let code: String
        let message: String
        let body: JSONValue
    }

    private func integration(session: String, service: DVCQGService, isUpdating: Bool, data: [JSONValue]) async throws -> RawAnswer {
        let body: JSONValue = [
            "session": .string(session), "madonvi": .string(config.madonvi), "service": .string(service.rawValue),
            // The adapter wants the .NET spelling of a boolean, as a string.
            "isUpdating": isUpdating ? "True" : "False", "data": .array(data),
        ]
        let answer = try await post(config.integrationPath, body)
        guard let code = Self.code(answer) else { throw DVCQGError.malformed("no error_code in the answer") }
        return RawAnswer(code: code, message: answer["message"]?.stringValue ?? "", body: answer)
    }

    private static func checked(_ a: RawAnswer) throws -> DVCQGAnswer {
        guard a.code == "0" || a.code == "00" else { throw DVCQGError.envelope(code: a.code, message: a.message) }
        let results = a.body["results"]?.arrayValue ?? []
        return DVCQGAnswer(errorCode: a.code, message: a.message, results: results.map(DVCQGItemResult.init(raw:)))
    }

    private static func code(_ answer: JSONValue) -> String? {
        answer["error_code"].flatMap { $0.stringValue ?? $0.intValue.map(String.init) }
    }

    /// POSTs JSON and returns the decoded envelope of an HTTP 200 answer.
    private nonisolated func post(_ path: String, _ body: JSONValue) async throws -> JSONValue {
        var request = HTTPCall(url: config.baseURL.appendingPathComponent(path), method: "POST", timeout: config.timeout)
        request.setHeader("Content-Type", "application/json; charset=utf-8")
        request.setHeader("Accept", "application/json")
        // The requests whose changes this call carries (set by the relay): the portal's logs and ours meet.
        if let trace = RequestTrace.id { request.setHeader("X-Request-Id", trace) }
        request.body = body.encoded()
        let http: HTTPCall.Answer
        do {
            http = try await request.send()
        } catch let e as HTTPCall.Failure {
            throw e == .timeout ? DVCQGError.timeout : DVCQGError.transport(e)
        }
        let data = http.body
        guard http.status == 200 else {
            let after = http.header("Retry-After").flatMap { Self.parseRetryAfter($0, now: Date()) }
            throw DVCQGError.http(http.status, retryAfter: after)
        }
        do {
            let json = try JSONDecoder().decode(JSONValue.self, from: data)
            guard case .object = json else { throw DVCQGError.malformed("the answer is not a JSON object") }
            return json
        } catch let e as DVCQGError {
            throw e
        } catch {
            throw DVCQGError.malformed("invalid JSON (\(data.count) bytes)")
        }
    }

    /// Seconds to wait from a `Retry-After` header: delay-seconds ("120") or an HTTP date
    /// ("Wed, 21 Oct 2015 07:28:00 GMT", RFC 9110 §10.2.3); nil if it is neither. A date in the
    /// past means 0.
    public static func parseRetryAfter(_ value: String, now: Date) -> TimeInterval? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if !v.isEmpty, v.allSatisfy(\.isASCII), v.allSatisfy(\.isNumber) { return TimeInterval(v) }
        guard let date = httpDate(v) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// IMF-fixdate, the only form servers may send now (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
    static func httpDate(_ s: String) -> Date? {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let parts = s.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT", let day = Int(parts[1]),
            let month = months.firstIndex(of: String(parts[2])), let year = Int(parts[3])
        else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3 else { return nil }
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "GMT")!
        let comps = DateComponents(year: year, month: month + 1, day: day, hour: hms[0], minute: hms[1], second: hms[2])
        guard comps.isValidDate(in: c) else { return nil }
        return c.date(from: comps)
    }
}
