// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The state and rules of the simulated national portal (DVCQG), without HTTP: sessions, the
/// dossiers and progress rows each unit (`madonvi`) sent, the write log, and the fault schedule.
///
/// ``DVCQGSimulator`` serves it over HTTP; tests may also drive it directly. Every method takes the
/// current time, so behaviour over time (sessions, outages, rate windows) is testable without waiting.
public actor DVCQGPortal {
    /// `error_code` of a call refused as a whole (bad request, batch over the limit, unknown service).
    /// The contract only says "other"; the value is the simulator's choice.
    public static let callRejected = "1"
    /// `error_code` of an item that exists already (create) or does not exist (update, progress, look-up).
    public static let itemRejected = "1"
    /// `error_code` of an item that fails validation (contract: "2").
    public static let itemInvalid = "2"

    /// Per-call limits of the contract.
    public static let limits: [String: Int] = [
        "DongBoHoSoMC": 50, "CapNhatTienDoHoSoMC": 10, "TraCuuHoSo": 50, "LayDanhSachTTHC": 1, "ThongKeHoSo": 1,
    ]

    /// What the portal holds for one dossier.
    struct Stored {
        var record: [String: SimJSON]
        var progress: [[String: SimJSON]] = []
    }

    /// What to do with an incoming call, decided before it is handled.
    public enum Admission: Sendable, Equatable {
        /// Maintenance: answer 503 with `Retry-After` seconds.
        case outage(retryAfter: Int)
        /// Over the rate limit: answer 429 with `Retry-After` seconds.
        case rateLimited(retryAfter: Int)
        /// Answer 500 without handling the call.
        case fail
        /// Handle the call after `delay`; if `loseAnswer`, apply it and answer 502.
        case proceed(delay: Duration, loseAnswer: Bool)
    }

    private let username: String
    private let password: String
    private let allowedUnits: Set<String>
    private let catalogue: [DVCQGCatalogueEntry]
    private let initialFaults: DVCQGFaults
    private let seed: UInt64
    /// The portal's time: the wall clock, or a test's clock so that rate windows, outages and
    /// session lifetimes do not depend on how fast a loaded machine runs.
    public nonisolated let clock: @Sendable () -> Date

    private var faults: DVCQGFaults
    private var random: DVCQGRandom
    private var outageUntil: Date?
    private var rateWindow: (start: Date, count: Int)?
    /// Session token → when it was issued; expiry follows the current lifetime, so shortening the
    /// lifetime at run time also expires sessions already handed out.
    private var sessions: [String: Date] = [:]
    private var units: [String: [String: Stored]] = [:]
    private var log: [DVCQGWrite] = []
    /// Sessions handed out since start or reset (tests count re-logins with it).
    public private(set) var sessionsIssued = 0

    public init(
        username: String, password: String, allowedUnits: Set<String> = [], catalogue: [DVCQGCatalogueEntry] = DVCQGCatalogueEntry.sample,
        faults: DVCQGFaults = .none, seed: UInt64 = 766, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.clock = clock
        self.username = username
        self.password = password
        self.allowedUnits = allowedUnits
        self.catalogue = catalogue
        self.initialFaults = faults
        self.seed = seed
        self.faults = faults
        self.random = DVCQGRandom(seed: seed)
        self.outageUntil = faults.outageSeconds > 0 ? clock().addingTimeInterval(faults.outageSeconds) : nil
    }

    // MARK: Faults

    /// Decides the fate of a portal call (`/auth` or `/integration`) arriving at `now`.
    ///
    /// Three draws are taken from the generator for every call that passes the outage and the rate
    /// limit, whatever they decide, so the fault sequence depends only on the seed and the call order.
    public func admit(now: Date) -> Admission {
        if let until = outageUntil {
            if until > now { return .outage(retryAfter: Self.wholeSeconds(until.timeIntervalSince(now))) }
            outageUntil = nil
        }
        if faults.rateLimitPerSecond > 0 {
            if let w = rateWindow, now.timeIntervalSince(w.start) < 1 {
                if w.count >= faults.rateLimitPerSecond {
                    return .rateLimited(retryAfter: Self.wholeSeconds(1 - now.timeIntervalSince(w.start)))
                }
                rateWindow = (w.start, w.count + 1)
            } else {
                rateWindow = (now, 1)
            }
        }
        let (fail, hang, lose) = (random.unit(), random.unit(), random.unit())
        if fail < faults.failRate { return .fail }
        var delay = Duration.milliseconds(faults.latencyMs)
        if hang < faults.hangRate { delay += .milliseconds(Int((faults.hangSeconds * 1000).rounded())) }
        return .proceed(delay: delay, loseAnswer: lose < faults.lostAnswerRate)
    }

    /// `Retry-After` takes whole seconds; round up so a client that obeys it is not early.
    static func wholeSeconds(_ t: TimeInterval) -> Int { max(1, Int(t.rounded(.up))) }

    /// The current controls; `outageSeconds` is what is left of a running outage.
    public func currentFaults(now: Date? = nil) -> DVCQGFaults {
        let now = now ?? clock()
        var f = faults
        f.outageSeconds = outageUntil.map { max(0, $0.timeIntervalSince(now)) } ?? 0
        return f
    }

    /// Replaces the controls; `outageSeconds` > 0 starts an outage now, 0 ends one.
    public func setFaults(_ f: DVCQGFaults, now: Date? = nil) {
        let now = now ?? clock()
        faults = f
        outageUntil = f.outageSeconds > 0 ? now.addingTimeInterval(f.outageSeconds) : nil
        rateWindow = nil
    }

    /// Changes the controls the patch names; an outage is started or ended only if it names one.
    public func apply(_ p: DVCQGFaults.Patch, now: Date? = nil) -> DVCQGFaults {
        let now = now ?? clock()
        faults = faults.applying(p)
        if let s = p.outageSeconds { outageUntil = s > 0 ? now.addingTimeInterval(s) : nil }
        if p.rateLimitPerSecond != nil { rateWindow = nil }
        return currentFaults(now: now)
    }

    /// Back to how the portal started: no data, no log, no sessions, the initial faults and seed.
    public func reset(now: Date? = nil) {
        let now = now ?? clock()
        units = [:]
        log = []
        sessions = [:]
        sessionsIssued = 0
        random = DVCQGRandom(seed: seed)
        setFaults(initialFaults, now: now)
    }

    /// Forgets every session, as a portal restart would: the next call of each client gets "-1".
    public func expireSessions() {
        sessions = [:]
    }

    // MARK: Reading back (sim)

    public func dump() -> DVCQGDump {
        var out: [DVCQGDump.Dossier] = []
        for unit in units.keys.sorted() {
            for (code, s) in units[unit]!.sorted(by: { $0.key < $1.key }) {
                out.append(.init(madonvi: unit, MaHoSo: code, record: .object(s.record), progress: s.progress.map(SimJSON.object)))
            }
        }
        return DVCQGDump(dossiers: out)
    }

    public func writeLog() -> [DVCQGWrite] { log }

    // MARK: POST /auth

    /// Answers a log-in.
    public func auth(_ body: Data, now: Date) -> SimJSON {
        guard let req = try? SimJSON.decode(body).objectValue else {
            return ["error_code": .string(Self.callRejected), "message": "Yêu cầu đăng nhập không phải JSON hợp lệ"]
        }
        guard req["username"]?.stringValue == username, req["password"]?.stringValue == password else {
            return ["error_code": "401", "message": "Sai tên đăng nhập hoặc mật khẩu"]
        }
        sessions = sessions.filter { !isExpired(issued: $0.value, now: now) }
        let token = UUID().uuidString.lowercased()
        sessions[token] = now
        sessionsIssued += 1
        return ["error_code": "0", "session": .string(token)]
    }

    private func isExpired(issued: Date, now: Date) -> Bool {
        now.timeIntervalSince(issued) >= faults.sessionLifetimeSeconds
    }

    // MARK: POST /integration

    /// Answers a service call. `answerLost` only marks the writes in the log: the caller will not
    /// see this answer.
    public func integration(_ body: Data, now: Date, answerLost: Bool = false, requestId: String? = nil) -> SimJSON {
        guard let req = try? SimJSON.decode(body).objectValue else {
            return Self.rejected("Yêu cầu không phải JSON hợp lệ")
        }
        guard let token = req["session"]?.stringValue, let issued = sessions[token], !isExpired(issued: issued, now: now) else {
            return ["error_code": "-1", "message": "Session không hợp lệ"]
        }
        guard let unit = req["madonvi"]?.stringValue, !unit.isEmpty else {
            return Self.rejected("Thiếu madonvi")
        }
        guard allowedUnits.isEmpty || allowedUnits.contains(unit) else {
            return Self.rejected("Tài khoản không được phép gửi dữ liệu cho đơn vị \(unit)")
        }
        guard let service = req["service"]?.stringValue, let limit = Self.limits[service] else {
            return Self.rejected("Dịch vụ \(req["service"]?.stringValue ?? "(trống)") không được hỗ trợ")
        }
        let updating: Bool
        switch req["isUpdating"] {
        case nil, .null?, .string("False")?, .string("false")?, .bool(false)?: updating = false
        case .string("True")?, .string("true")?, .bool(true)?: updating = true
        case .some(let v): return Self.rejected("isUpdating phải là \"True\" hoặc \"False\": \(String(decoding: v.encoded(), as: UTF8.self))")
        }
        guard let data = req["data"]?.arrayValue else {
            return Self.rejected("Trường data phải là một danh sách")
        }
        guard data.count <= limit else {
            return Self.rejected("Vượt quá số bản ghi cho phép trong một lần gọi \(service): \(data.count) > \(limit)")
        }
        switch service {
        case "DongBoHoSoMC":
            return items(data) { syncDossier($0, unit: unit, updating: updating, now: now, answerLost: answerLost, requestId: requestId) }
        case "CapNhatTienDoHoSoMC":
            return items(data) { appendProgress($0, unit: unit, now: now, answerLost: answerLost, requestId: requestId) }
        case "TraCuuHoSo":
            return items(data) { lookUp($0, unit: unit) }
        case "LayDanhSachTTHC":
            return listCatalogue(data)
        case "ThongKeHoSo":
            return statistics(data, unit: unit)
        default:
            return Self.rejected("Dịch vụ \(service) không được hỗ trợ")
        }
    }

    static func rejected(_ message: String) -> SimJSON {
        ["error_code": .string(callRejected), "message": .string(message), "results": []]
    }

    static func ok(_ code: String, _ message: String = "Thành công") -> [String: SimJSON] {
        ["MaHoSo": .string(code), "error_code": "0", "message": .string(message)]
    }

    static func failed(_ code: String, _ errorCode: String, _ message: String) -> [String: SimJSON] {
        ["MaHoSo": .string(code), "error_code": .string(errorCode), "message": .string(message)]
    }

    /// One result per element of `data`, in order; the envelope succeeds even if items fail.
    private func items(_ data: [SimJSON], _ handle: ([String: SimJSON]) -> [String: SimJSON]) -> SimJSON {
        var results: [SimJSON] = []
        for element in data {
            guard let o = element.objectValue else {
                results.append(.object(Self.failed("", Self.itemInvalid, "Phần tử của data phải là một đối tượng")))
                continue
            }
            results.append(.object(handle(o)))
        }
        let good = results.filter { $0["error_code"] == "0" }.count
        return ["error_code": "0", "message": .string("Xử lý thành công \(good)/\(results.count) bản ghi"), "results": .array(results)]
    }

    private func syncDossier(_ r: [String: SimJSON], unit: String, updating: Bool, now: Date, answerLost: Bool, requestId: String?) -> [String: SimJSON] {
        let code = r["MaHoSo"]?.stringValue ?? ""
        if let problem = DVCQGRules.dossierProblem(r) {
            return Self.failed(code, Self.itemInvalid, problem)
        }
        let exists = units[unit]?[code] != nil
        if updating {
            guard exists else { return Self.failed(code, Self.itemRejected, "Hồ sơ \(code) không tồn tại") }
            units[unit]![code]!.record = r
        } else {
            guard !exists else { return Self.failed(code, Self.itemRejected, "Hồ sơ \(code) đã tồn tại") }
            units[unit, default: [:]][code] = Stored(record: r)
        }
        log.append(
            DVCQGWrite(
                seq: log.count + 1, at: now, service: "DongBoHoSoMC", madonvi: unit, maHoSo: code, trangThaiHoSo: r["TrangThaiHoSo"]?.intValue,
                isUpdating: updating, answerLost: answerLost, requestId: requestId))
        return Self.ok(code)
    }

    private func appendProgress(_ r: [String: SimJSON], unit: String, now: Date, answerLost: Bool, requestId: String?) -> [String: SimJSON] {
        let code = r["MaHoSo"]?.stringValue ?? ""
        if let problem = DVCQGRules.progressProblem(r) {
            return Self.failed(code, Self.itemInvalid, problem)
        }
        guard units[unit]?[code] != nil else { return Self.failed(code, Self.itemRejected, "Hồ sơ \(code) không tồn tại") }
        units[unit]![code]!.progress.append(r)
        log.append(
            DVCQGWrite(
                seq: log.count + 1, at: now, service: "CapNhatTienDoHoSoMC", madonvi: unit, maHoSo: code, trangThaiHoSo: r["TrangThai"]?.intValue,
                isUpdating: false, answerLost: answerLost, requestId: requestId))
        return Self.ok(code)
    }

    private func lookUp(_ r: [String: SimJSON], unit: String) -> [String: SimJSON] {
        // OpenCPS sends `mahoso`; the contract writes `MaHoSo`. Accept both.
        let code = (r["MaHoSo"] ?? r["mahoso"])?.stringValue ?? ""
        guard let stored = units[unit]?[code] else { return Self.failed(code, Self.itemRejected, "Hồ sơ \(code) không tồn tại") }
        var out = Self.ok(code)
        out["record"] = .object(stored.record)
        // The processing steps the portal holds, as adapters that expose the history return them
        // (OpenCPS-style `QuaTrinhXuLy`). [R] Whether the national adapter does is not public.
        out["QuaTrinhXuLy"] = .array(stored.progress.map { .object($0) })
        return out
    }

    /// The optional `[{"TuNgay", "DenNgay"}]` of the read services, both ends inclusive.
    /// Portal dates compare as strings: same length, most significant digit first.
    private static func range(_ data: [SimJSON]) -> Result<(String, String), DVCQGProblem> {
        guard let first = data.first else { return .success(("00000000000000", "99999999999999")) }
        guard let o = first.objectValue else { return .failure(DVCQGProblem("Phần tử của data phải là một đối tượng")) }
        var ends = ["TuNgay": "00000000000000", "DenNgay": "99999999999999"]
        for f in ["TuNgay", "DenNgay"] {
            if let p = DVCQGRules.dateProblem(o[f], f, required: false) { return .failure(DVCQGProblem(p)) }
            if let s = o[f]?.stringValue { ends[f] = s }
        }
        return .success((ends["TuNgay"]!, ends["DenNgay"]!))
    }

    private func listCatalogue(_ data: [SimJSON]) -> SimJSON {
        switch Self.range(data) {
        case .failure(let p): return Self.rejected(p.message)
        case .success(let (from, to)):
            let rows = catalogue.filter { $0.NgayCapNhat >= from && $0.NgayCapNhat <= to }
            let json = (try? JSONEncoder().encode(rows)).flatMap { try? SimJSON.decode($0) } ?? []
            // Read services of real adapters answer "00" as often as "0"; answering "00" here keeps
            // senders honest about accepting both.
            return ["error_code": "00", "message": .string("Có \(rows.count) thủ tục"), "results": json]
        }
    }

    private func statistics(_ data: [SimJSON], unit: String) -> SimJSON {
        switch Self.range(data) {
        case .failure(let p): return Self.rejected(p.message)
        case .success(let (from, to)):
            var counts: [Int: Int] = [:]
            for s in units[unit, default: [:]].values {
                guard let received = s.record["NgayTiepNhan"]?.stringValue, received >= from, received <= to,
                    let status = s.record["TrangThaiHoSo"]?.intValue
                else { continue }
                counts[status, default: 0] += 1
            }
            let rows: [SimJSON] = counts.keys.sorted().map {
                ["TrangThaiHoSo": .int($0), "TenTrangThai": .string(DVCQGRules.statusName($0)), "SoLuong": .int(counts[$0]!)]
            }
            return ["error_code": "0", "message": .string("Tổng số \(counts.values.reduce(0, +)) hồ sơ"), "results": .array(rows)]
        }
    }
}


struct DVCQGProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}


/// One write the portal accepted *(sim)*: the sequence a test replays to see what landed when.
public struct DVCQGWrite: Codable, Sendable, Equatable {
    /// 1, 2, 3… in the order the writes were applied.
    public let seq: Int
    public let at: Date
    /// `DongBoHoSoMC` or `CapNhatTienDoHoSoMC`.
    public let service: String
    public let madonvi: String
    public let maHoSo: String
    /// The record's `TrangThaiHoSo`, or the progress row's `TrangThai`.
    public let trangThaiHoSo: Int?
    public let isUpdating: Bool
    /// The write was applied but its answer was replaced by a 502 (the lost-answer fault).
    public let answerLost: Bool
    /// The call's `X-Request-Id` header, as sent (the requests behind the changes it carried).
    public var requestId: String?
}


/// Everything the portal holds *(sim)*, sorted by unit and dossier code.
public struct DVCQGDump: Codable, Sendable, Equatable {
    public struct Dossier: Codable, Sendable, Equatable {
        public let madonvi: String
        public let MaHoSo: String
        public let record: SimJSON
        public let progress: [SimJSON]
    }

    public let dossiers: [Dossier]

    /// The stored dossier `code`, in `unit` or in any unit.
    public func dossier(_ code: String, unit: String? = nil) -> Dossier? {
        dossiers.first { $0.MaHoSo == code && (unit == nil || $0.madonvi == unit) }
    }
}
