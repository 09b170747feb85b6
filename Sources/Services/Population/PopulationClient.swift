// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

import Network

/// One person as the national population database answers (shared/specs/population-db.md).
///
/// Swift names are English; the coding keys are the contract's field names, so the answer body
/// decodes directly and re-encoding gives the same JSON.
public struct PopulationRecord: Codable, Sendable, Hashable {
    public enum Sex: Int, Codable, Sendable, Hashable {
        case male = 1
        case female = 2

        /// As printed on forms.
        public var vietnameseName: String {
            switch self {
            case .male: "Nam"
            case .female: "Nữ"
            }
        }
    }

    /// An address: the 2025 province and commune unit codes, and the detail as the database holds it.
    public struct Address: Codable, Sendable, Hashable {
        public var provinceCode: String
        public var communeCode: String
        public var detail: String

        public init(provinceCode: String, communeCode: String, detail: String) {
            self.provinceCode = provinceCode
            self.communeCode = communeCode
            self.detail = detail
        }

        enum CodingKeys: String, CodingKey {
            case provinceCode = "MaTinh"
            case communeCode = "MaXa"
            case detail = "ChiTiet"
        }

        private static let separators = CharacterSet.whitespaces.union(CharacterSet(charactersIn: ",;"))

        /// The address on one line, for a form field or a receipt: the detail, then the commune and
        /// province names when the caller knows them and the detail does not already say them
        /// (compared without case and diacritics, since the database's spelling may differ).
        /// With no detail and no names, falls back to the codes so the line is never empty.
        public func oneLine(communeName: String? = nil, provinceName: String? = nil) -> String {
            var parts: [String] = []
            // Line breaks in the detail become commas, without doubling a comma already there.
            let detail = self.detail.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: Self.separators) }
                .filter { !$0.isEmpty }.joined(separator: ", ")
            if !detail.isEmpty { parts.append(detail) }
            let folded = TextFolding.fold(detail)
            for name in [communeName, provinceName] {
                guard let name = name?.trimmingCharacters(in: .whitespaces), !name.isEmpty, !folded.contains(TextFolding.fold(name)) else { continue }
                parts.append(name)
            }
            if parts.isEmpty { return "mã xã \(communeCode), mã tỉnh \(provinceCode)" }
            return parts.joined(separator: ", ")
        }
    }

    public var idNumber: String
    public var fullName: String
    public var birthDate: LocalDate
    public var sex: Sex
    public var nationality: String
    public var ethnicity: String
    public var permanentAddress: Address
    public var currentAddress: Address
    public var isHouseholdHead: Bool

    public init(
        idNumber: String, fullName: String, birthDate: LocalDate, sex: Sex, nationality: String, ethnicity: String,
        permanentAddress: Address, currentAddress: Address, isHouseholdHead: Bool
    ) {
        self.idNumber = idNumber
        self.fullName = fullName
        self.birthDate = birthDate
        self.sex = sex
        self.nationality = nationality
        self.ethnicity = ethnicity
        self.permanentAddress = permanentAddress
        self.currentAddress = currentAddress
        self.isHouseholdHead = isHouseholdHead
    }

    enum CodingKeys: String, CodingKey {
        case idNumber = "SoDinhDanh"
        case fullName = "HoVaTen"
        case birthDate = "NgaySinh"
        case sex = "GioiTinh"
        case nationality = "QuocTich"
        case ethnicity = "DanToc"
        case permanentAddress = "NoiThuongTru"
        case currentAddress = "NoiOHienTai"
        case isHouseholdHead = "ChuHo"
    }
}


/// Why a look-up gave no record. Only ``invalidNumber(_:)`` and ``notFound`` are answers about
/// the person; everything else means "not verified": the officer types the data and the dossier
/// says it was not checked against the database.
public enum PopulationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP 400, or a number that is not 12 digits (checked before calling, so that no arbitrary
    /// text is put into the URL path).
    case invalidNumber(String)
    /// HTTP 404: the database holds no person with this number.
    case notFound
    /// HTTP 403: the purpose or the official was not stated.
    case missingPurpose
    /// The database refused MotCua's credentials (a configuration problem, not an outage).
    case unauthorized(String)
    /// HTTP 429 or 5xx, a timeout or a transport failure; `retryAfter` is the server's
    /// `Retry-After` in seconds when it sent one.
    case unavailable(retryAfter: TimeInterval?)
    /// An answer the contract does not describe.
    case unexpected(status: Int, message: String)

    public var description: String {
        switch self {
        case .invalidNumber(let m): "invalid personal identification number: \(m)"
        case .notFound: "no such person in the population database"
        case .missingPurpose: "the population database requires the purpose and the official of every look-up"
        case .unauthorized(let m): "the population database refused MotCua's credentials: \(m)"
        case .unavailable(let after): "the population database is unavailable" + (after.map { " (retry after \(Int($0)) s)" } ?? "")
        case .unexpected(let status, let m): "unexpected answer from the population database (HTTP \(status)): \(m)"
        }
    }
}


/// Looks people up in the national population database by personal identification number
/// (shared/specs/population-db.md): gets and caches an access token, states the purpose of
/// every call, and turns each answer into a ``PopulationRecord`` or a ``PopulationError``.
///
/// Safe to share: tokens are cached per client and concurrent callers wait for one refresh.
public final class PopulationClient: Sendable {
    public struct Configuration: Sendable {
        /// The base the contract's paths hang from (`{base}/token`, `{base}/citizens/…`).
        public var baseURL: URL
        public var clientId: String
        public var clientSecret: String
        /// Per request; an officer is waiting at the counter, so keep it short and degrade.
        public var timeout: TimeInterval

        public init(baseURL: URL, clientId: String, clientSecret: String, timeout: TimeInterval = 10) {
            self.baseURL = baseURL
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.timeout = timeout
        }
    }

    public let configuration: Configuration
    private let tokens = PopulationTokenCache()

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Looks a person up.
    ///
    /// - Parameters:
    ///   - idNumber: the 12-digit personal identification number.
    ///   - purpose: why (`X-Purpose`), e.g. `tiep-nhan-ho-so`. Blank is sent as absent; the
    ///     database then refuses (``PopulationError/missingPurpose``).
    ///   - official: the officer's account id (`X-Official`).
    ///   - dossier: the dossier code (`X-Dossier`), when there is one.
    /// - Throws: ``PopulationError``, or `CancellationError` when the task is cancelled.
    public func lookUp(idNumber: String, purpose: String, official: String, dossier: String? = nil) async throws -> PopulationRecord {
        guard idNumber.utf8.count == 12, idNumber.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw PopulationError.invalidNumber(PersonalID.Problem.notTwelveDigits.message)
        }
        var token = try await tokens.token(replacing: nil) { try await self.fetchToken() }
        var (data, response) = try await send(lookUpRequest(idNumber, token: token, purpose: purpose, official: official, dossier: dossier))
        if response.status == 401 {
            // The token expired early or the database restarted: refresh once, then give up.
            token = try await tokens.token(replacing: token) { try await self.fetchToken() }
            (data, response) = try await send(lookUpRequest(idNumber, token: token, purpose: purpose, official: official, dossier: dossier))
            if response.status == 401 { throw PopulationError.unauthorized("a freshly issued token was refused") }
        }
        switch response.status {
        case 200:
            do {
                return try JSONDecoder().decode(PopulationRecord.self, from: data)
            } catch {
                throw PopulationError.unexpected(status: 200, message: "malformed record: \(error)")
            }
        case 400: throw PopulationError.invalidNumber(Self.message(data) ?? "rejected by the population database")
        case 403: throw PopulationError.missingPurpose
        case 404: throw PopulationError.notFound
        default: throw Self.failure(response, data)
        }
    }

    // MARK: Requests

    private struct TokenRequest: Encodable {
        let client_id: String
        let client_secret: String
    }

    private struct TokenAnswer: Decodable {
        let access_token: String
        let expires_in: Double
    }

    /// Gets a new token and says when to stop using it.
    private func fetchToken() async throws -> (token: String, refreshAt: Date) {
        var request = HTTPCall(url: configuration.baseURL.appendingPathComponent("token"), method: "POST", timeout: configuration.timeout)
        request.setHeader("Content-Type", "application/json")
        request.setHeader("Accept", "application/json")
        request.body = try JSONEncoder().encode(TokenRequest(client_id: configuration.clientId, client_secret: configuration.clientSecret))
        let started = Date()
        let (data, response) = try await send(request)
        switch response.status {
        case 200:
            guard let answer = try? JSONDecoder().decode(TokenAnswer.self, from: data), !answer.access_token.isEmpty else {
                throw PopulationError.unexpected(status: 200, message: "malformed token answer")
            }
            // Stop using a token a little before it expires (a tenth of its life, at most 30 s),
            // counted from when it was asked for, so a slow answer cannot make it outlive the server's.
            let margin = min(30, answer.expires_in / 10)
            return (answer.access_token, started.addingTimeInterval(max(0, answer.expires_in - margin)))
        case 400, 401, 403:
            throw PopulationError.unauthorized(Self.message(data) ?? "HTTP \(response.status)")
        default:
            throw Self.failure(response, data)
        }
    }

    private func lookUpRequest(_ idNumber: String, token: String, purpose: String, official: String, dossier: String?) -> HTTPCall {
        var request = HTTPCall(url: configuration.baseURL.appendingPathComponent("citizens").appendingPathComponent(idNumber), timeout: configuration.timeout)
        request.setHeader("Authorization", "Bearer \(token)")
        request.setHeader("Accept", "application/json")
        for (name, value) in [("X-Purpose", purpose), ("X-Official", official), ("X-Dossier", dossier ?? "")] {
            let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if !v.isEmpty { request.setHeader(name, Self.headerValue(v)) }
        }
        return request
    }

    /// Header values must be ASCII; a purpose typed in Vietnamese ("tiếp nhận hồ sơ") is sent
    /// percent-escaped (UTF-8), which the simulator decodes. ASCII text goes as is.
    static func headerValue(_ s: String) -> String {
        if s.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value != 0x25 && $0.value != 0x7F }) { return s }
        var allowed = CharacterSet(charactersIn: UnicodeScalar(0x21)...UnicodeScalar(0x7E))
        allowed.remove("%")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// Sends a request; transport failures and timeouts become ``PopulationError/unavailable(retryAfter:)``.
    private func send(_ request: HTTPCall) async throws -> (Data, HTTPCall.Answer) {
        do {
            let answer = try await request.send()
            return (answer.body, answer)
        } catch is HTTPCall.Failure {
            throw PopulationError.unavailable(retryAfter: nil)
        }
    }

    /// 429 and 5xx are "try later"; anything else is outside the contract.
    private static func failure(_ response: HTTPCall.Answer, _ data: Data) -> PopulationError {
        let status = response.status
        if status == 429 || (500...599).contains(status) {
            return .unavailable(retryAfter: retryAfterSeconds(response.header("Retry-After")))
        }
        return .unexpected(status: status, message: message(data) ?? String(decoding: data.prefix(200), as: UTF8.self))
    }

    /// A `Retry-After` value as seconds from `now`: either delay-seconds or an HTTP-date
    /// (RFC 9110 §10.2.3); nil when absent or unreadable.
    public static func retryAfterSeconds(_ value: String?, now: Date = Date()) -> TimeInterval? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return TimeInterval(max(0, seconds)) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = f.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// The `message` of an error body, when the server sent one.
    private static func message(_ data: Data) -> String? {
        struct Body: Decodable { let message: String? }
        return (try? JSONDecoder().decode(Body.self, from: data))?.message
    }
}


/// Holds the current token; concurrent callers share one refresh instead of each logging in.
private actor PopulationTokenCache {
    private var current: (token: String, refreshAt: Date)?
    private var pending: Task<(token: String, refreshAt: Date), any Error>?

    /// A usable token. `stale` is one the server just refused: it is dropped unless another
    /// caller has already replaced it.
    func token(replacing stale: String?, fetch: @escaping @Sendable () async throws -> (token: String, refreshAt: Date)) async throws -> String {
        if let stale, current?.token == stale { current = nil }
        if let c = current, Date() < c.refreshAt { return c.token }
        if let pending { return try await pending.value.token }
        let task = Task { try await fetch() }
        pending = task
        defer { pending = nil }
        let fresh = try await task.value
        current = fresh
        return fresh.token
    }
}
