// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// Every setting, read once from the environment at start. Defaults give the embedded mode
/// (SQLite under ./data, port 8080); a bad value fails at start naming its variable.
public struct AppConfig: Sendable {
    public var dataDir: String
    /// nil = SQLite in the data dir.
    public var databaseURL: String?
    public var httpHost: String
    public var httpPort: Int
    public var officeHours: OfficeHours
    /// First year Vietnam Culture Day (24/11) is a holiday; nil turns it off.
    public var cultureDayFromYear: Int?
    /// Extra holiday-override file (JSON, same format as the bundled one), merged over it.
    public var holidaysFile: String?
    public var tokenLifetime: TimeInterval
    /// bcrypt cost for new password hashes.
    public var bcryptCost: UInt8
    /// Largest accepted upload, in bytes.
    public var maxUploadBytes: Int
    /// The public address of this MotCua (tracking links and QR codes on forms).
    public var publicURL: String = "http://127.0.0.1:8080"
    /// Where officials' signing keys and certificates live (PEM files; never in the database).
    public var pkiDirOverride: String?
    public var pkiDir: String { pkiDirOverride ?? (dataDir as NSString).appendingPathComponent("pki") }
    /// The signing identity (in `pkiDir`) that signs audit checkpoints; default: the top unit's seal.
    public var auditSigner: String?
    /// How wrong passwords in a row lock an account.
    public var signInThrottle = SignInThrottle()
    /// Officials must have signed in with the second factor to receive, decide, sign or revoke.
    public var secondFactorRequired = false
    /// Per-address limits on sign-in, tracking and uploads (`MOTCUA_RATE_LIMITS=off` to disable).
    public var rateLimits = true
    /// The reverse proxy's address, whose X-Forwarded-For names the client.
    public var trustedProxy: String?
    /// A province's own form and result templates (`forms/`, `results/`), read before the shipped ones.
    public var templatesDir: String?
    /// Extra certificate revocation lists (PEM or DER files) honoured when verifying, beside the dev CA's own.
    public var crlFiles: [String] = []
    /// The national portal's adapter (DVCQG): unset URL = sync disabled (and said so on the health page).
    public var dvcqgURL: String?
    public var dvcqgUsername: String = ""
    public var dvcqgPassword: String = ""
    /// `madonvi`, the province's unit code on the portal.
    public var dvcqgUnit: String = ""
    /// How long a portal call that timed out may still be applied there; nothing newer is sent
    /// for that dossier meanwhile.
    public var dvcqgInflightSeconds: Double = 120
    /// How long the relay waits for one portal call before counting it as timed out.
    public var dvcqgTimeoutSeconds: Double = 30
    /// How the relay paces itself (leases, backoff, parking); the defaults suit a real portal.
    public var relay = RelayTuning()
    /// A province's index profile (targets, uncertain ceilings and thresholds, bands): a
    /// `motcua-index-profile/1` JSON file. (`MOTCUA_INDEX_PROFILE`)
    public var indexProfile: String?
    /// How often the scheduled reconciliation compares MotCua with the portal (0 = never).
    public var reconcileHours: Double = 24
    /// The population database connector (CSDLQG về dân cư): unset = look-ups disabled (manual entry).
    public var populationURL: String?
    public var populationClientId: String = ""
    public var populationClientSecret: String = ""
    /// An RFC 3161 time-stamping authority; when set, every signature is timestamped (PAdES B-T).
    public var tsaURL: String?

    public init(
        dataDir: String = "./data", databaseURL: String? = nil, httpHost: String = "127.0.0.1", httpPort: Int = 8080,
        officeHours: OfficeHours = .standard, cultureDayFromYear: Int? = 2026, holidaysFile: String? = nil,
        tokenLifetime: TimeInterval = 8 * 3600, bcryptCost: UInt8 = 10, maxUploadBytes: Int = 50 << 20
    ) {
        self.dataDir = dataDir
        self.databaseURL = databaseURL
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.officeHours = officeHours
        self.cultureDayFromYear = cultureDayFromYear
        self.holidaysFile = holidaysFile
        self.tokenLifetime = tokenLifetime
        self.bcryptCost = bcryptCost
        self.maxUploadBytes = maxUploadBytes
    }

    /// Content-addressed blobs (scans, PDFs).
    public var blobDir: String { (dataDir as NSString).appendingPathComponent("blobs") }

    /// The SQLite file used when no DATABASE_URL is set.
    public var sqlitePath: String { (dataDir as NSString).appendingPathComponent("motcua.sqlite") }

    /// A configuration problem, naming the variable and what is expected.
    public struct ConfigError: Error, CustomStringConvertible, Sendable {
        public let variable: String
        public let message: String
        public var description: String { "configuration error: \(variable) \(message)" }
    }

    /// Reads the environment; every problem found is reported, not only the first.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        var c = AppConfig()
        var errors: [ConfigError] = []
        func value(_ k: String) -> String? {
            guard let v = env[k]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        if let v = value("MOTCUA_DATA_DIR") { c.dataDir = v }
        if let v = value("DATABASE_URL") {
            if v.hasPrefix("postgres://") || v.hasPrefix("postgresql://") {
                c.databaseURL = v
            } else {
                errors.append(.init(variable: "DATABASE_URL", message: "must be a postgres:// URL (unset it to use SQLite in MOTCUA_DATA_DIR)"))
            }
        }
        if let v = value("MOTCUA_HTTP_PORT") {
            if let p = Int(v), (1...65535).contains(p) { c.httpPort = p } else {
                errors.append(.init(variable: "MOTCUA_HTTP_PORT", message: "must be a port number 1–65535 (got \"\(v)\")"))
            }
        }
        if let v = value("MOTCUA_HTTP_HOST") { c.httpHost = v }
        if let v = value("MOTCUA_OFFICE_HOURS") {
            if let h = OfficeHours(text: v) { c.officeHours = h } else {
                errors.append(.init(variable: "MOTCUA_OFFICE_HOURS", message: "must look like 07:30-11:30,13:00-17:00 (got \"\(v)\")"))
            }
        }
        if let v = value("MOTCUA_CULTURE_DAY_FROM") {
            if v == "off" { c.cultureDayFromYear = nil } else if let y = Int(v), (2000...2200).contains(y) { c.cultureDayFromYear = y } else {
                errors.append(.init(variable: "MOTCUA_CULTURE_DAY_FROM", message: "must be a year or \"off\" (got \"\(v)\")"))
            }
        }
        if let v = value("MOTCUA_HOLIDAYS_FILE") {
            if FileManager.default.fileExists(atPath: v) { c.holidaysFile = v } else {
                errors.append(.init(variable: "MOTCUA_HOLIDAYS_FILE", message: "names a file that does not exist: \(v)"))
            }
        }
        if let v = value("MOTCUA_TOKEN_TTL_MINUTES") {
            if let m = Int(v), m > 0, m <= 7 * 24 * 60 { c.tokenLifetime = TimeInterval(m * 60) } else {
                errors.append(.init(variable: "MOTCUA_TOKEN_TTL_MINUTES", message: "must be minutes between 1 and 10080 (got \"\(v)\")"))
            }
        }
        if let v = value("MOTCUA_PUBLIC_URL") {
            if let u = URL(string: v), u.scheme == "http" || u.scheme == "https", u.host != nil {
                c.publicURL = v.hasSuffix("/") ? String(v.dropLast()) : v
            } else {
                errors.append(.init(variable: "MOTCUA_PUBLIC_URL", message: "must be an http(s) URL such as https://motcua.sonha.gov.vn (got \"\(v)\")"))
            }
        } else {
            c.publicURL = "http://\(c.httpHost):\(c.httpPort)"
        }
        if let v = value("MOTCUA_PKI_DIR") { c.pkiDirOverride = v }
        if let v = value("MOTCUA_AUDIT_SIGNER") { c.auditSigner = v }
        // A setting of two words: the first means true.
        func either(_ name: String, _ yes: String, _ no: String) -> Bool? {
            guard let v = value(name) else { return nil }
            if v == yes || v == no { return v == yes }
            errors.append(.init(variable: name, message: "must be \(yes) or \(no) (got \"\(v)\")"))
            return nil
        }
        if let on = either("MOTCUA_RATE_LIMITS", "on", "off") { c.rateLimits = on }
        if let v = value("MOTCUA_TRUSTED_PROXY") { c.trustedProxy = v }
        if let required = either("MOTCUA_SECOND_FACTOR", "required", "optional") { c.secondFactorRequired = required }
        if let v = value("MOTCUA_SIGNIN_FREE_FAILURES") {
            if let n = Int(v), (1...100).contains(n) { c.signInThrottle.freeFailures = n } else {
                errors.append(.init(variable: "MOTCUA_SIGNIN_FREE_FAILURES", message: "must be a whole number from 1 to 100 (got \"\(v)\")"))
            }
        }
        if let v = value("MOTCUA_SIGNIN_LONGEST_LOCK_MINUTES") {
            if let n = Int(v), (1...10080).contains(n) { c.signInThrottle.longestLock = TimeInterval(n * 60) } else {
                errors.append(.init(variable: "MOTCUA_SIGNIN_LONGEST_LOCK_MINUTES", message: "must be a whole number of minutes from 1 to 10080 (got \"\(v)\")"))
            }
        }
        if let v = value("MOTCUA_TEMPLATES_DIR") {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: v, isDirectory: &isDir), isDir.boolValue { c.templatesDir = v } else {
                errors.append(.init(variable: "MOTCUA_TEMPLATES_DIR", message: "names a directory that does not exist: \(v)"))
            }
        }
        if let v = value("DVCQG_URL") {
            if let u = URL(string: v), u.scheme == "http" || u.scheme == "https", u.host != nil { c.dvcqgURL = v } else {
                errors.append(.init(variable: "DVCQG_URL", message: "must be the http(s) base URL of the portal's adapter (got \"\(v)\")"))
            }
            for k in ["DVCQG_USERNAME", "DVCQG_PASSWORD", "DVCQG_UNIT"] where value(k) == nil {
                errors.append(.init(variable: k, message: "is required when DVCQG_URL is set"))
            }
        }
        c.dvcqgUsername = value("DVCQG_USERNAME") ?? ""
        c.dvcqgPassword = value("DVCQG_PASSWORD") ?? ""
        c.dvcqgUnit = value("DVCQG_UNIT") ?? ""
        if let v = value("DVCQG_INFLIGHT_SECONDS") {
            if let x = Double(v), x >= 0, x <= 3600 { c.dvcqgInflightSeconds = x } else {
                errors.append(.init(variable: "DVCQG_INFLIGHT_SECONDS", message: "must be seconds between 0 and 3600 (got \"\(v)\")"))
            }
        }
        func seconds(_ k: String, _ range: ClosedRange<Double>, _ set: (Double) -> Void) {
            guard let v = value(k) else { return }
            if let x = Double(v), range.contains(x) { set(x) } else {
                errors.append(.init(variable: k, message: "must be seconds between \(String(format: "%g", range.lowerBound)) and \(String(format: "%g", range.upperBound)) (got \"\(v)\")"))
            }
        }
        seconds("DVCQG_TIMEOUT_SECONDS", 0.5...600) { c.dvcqgTimeoutSeconds = $0 }
        seconds("DVCQG_LEASE_SECONDS", 5...86400) { c.relay.leaseSeconds = $0 }
        seconds("DVCQG_BACKOFF_SECONDS", 0.01...3600) { c.relay.backoffBaseSeconds = $0 }
        seconds("DVCQG_BACKOFF_CAP_SECONDS", 0.01...86400) { c.relay.backoffCapSeconds = $0 }
        if let v = value("DVCQG_MAX_ATTEMPTS") {
            if let n = Int(v), (1...100_000).contains(n) { c.relay.maxAttempts = n } else {
                errors.append(.init(variable: "DVCQG_MAX_ATTEMPTS", message: "must be a number of attempts between 1 and 100000 (got \"\(v)\")"))
            }
        }
        // A relay stops sending at lease − in-flight allowance − timeout, so every call it made has
        // landed or expired before another relay may take the dossier; with no room left it would
        // never send at all.
        if c.relay.leaseSeconds - c.dvcqgInflightSeconds - c.dvcqgTimeoutSeconds <= 0 {
            errors.append(
                .init(
                    variable: "DVCQG_LEASE_SECONDS",
                    message:
                        "must exceed DVCQG_INFLIGHT_SECONDS + DVCQG_TIMEOUT_SECONDS (\(String(format: "%g", c.relay.leaseSeconds)) ≤ \(String(format: "%g", c.dvcqgInflightSeconds)) + \(String(format: "%g", c.dvcqgTimeoutSeconds)))"
                ))
        }
        if let v = value("MOTCUA_INDEX_PROFILE") {
            if FileManager.default.fileExists(atPath: v) { c.indexProfile = v } else {
                errors.append(.init(variable: "MOTCUA_INDEX_PROFILE", message: "names a file that does not exist: \(v)"))
            }
        }
        if let v = value("MOTCUA_RECONCILE_HOURS") {
            if let h = Double(v), h >= 0, h <= 24 * 31 { c.reconcileHours = h } else {
                errors.append(.init(variable: "MOTCUA_RECONCILE_HOURS", message: "must be hours between 0 (never) and 744 (got \"\(v)\")"))
            }
        }
        if let v = value("POPULATION_URL") {
            if let u = URL(string: v), u.scheme == "http" || u.scheme == "https", u.host != nil { c.populationURL = v } else {
                errors.append(.init(variable: "POPULATION_URL", message: "must be the http(s) base URL of the population database connector (got \"\(v)\")"))
            }
            for k in ["POPULATION_CLIENT_ID", "POPULATION_CLIENT_SECRET"] where value(k) == nil {
                errors.append(.init(variable: k, message: "is required when POPULATION_URL is set"))
            }
        }
        c.populationClientId = value("POPULATION_CLIENT_ID") ?? ""
        c.populationClientSecret = value("POPULATION_CLIENT_SECRET") ?? ""
        if let v = value("MOTCUA_TSA_URL") {
            if let u = URL(string: v), u.scheme == "http" || u.scheme == "https", u.host != nil { c.tsaURL = v } else {
                errors.append(.init(variable: "MOTCUA_TSA_URL", message: "must be the http(s) URL of an RFC 3161 time-stamping service (got \"\(v)\")"))
            }
        }
        if let v = value("MOTCUA_CRL_FILES") {
            let files = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let missing = files.filter { !FileManager.default.fileExists(atPath: $0) }
            if missing.isEmpty { c.crlFiles = files } else {
                errors.append(.init(variable: "MOTCUA_CRL_FILES", message: "names files that do not exist: \(missing.joined(separator: ", "))"))
            }
        }
        if let v = value("MOTCUA_MAX_UPLOAD_MB") {
            if let m = Int(v), (1...2048).contains(m) { c.maxUploadBytes = m << 20 } else {
                errors.append(.init(variable: "MOTCUA_MAX_UPLOAD_MB", message: "must be megabytes between 1 and 2048 (got \"\(v)\")"))
            }
        }
        if let first = errors.first {
            if errors.count == 1 { throw first }
            throw ConfigError(variable: errors.map(\.variable).joined(separator: ", "), message: errors.map(\.description).joined(separator: "; "))
        }
        return c
    }
}

/// How a portal relay paces itself. (`DVCQG_LEASE_SECONDS`, `DVCQG_BACKOFF_SECONDS`,
/// `DVCQG_BACKOFF_CAP_SECONDS`, `DVCQG_MAX_ATTEMPTS`)
public struct RelayTuning: Sendable, Equatable {
    /// How long a relay owns the dossiers it claimed; a relay that dies frees them at the end.
    public var leaseSeconds: Double = 300
    /// Backoff before attempt n + 1 is base × 2ⁿ, at most the cap, with jitter.
    public var backoffBaseSeconds: Double = 10
    public var backoffCapSeconds: Double = 300
    /// Rejections by the portal before a dossier is parked for an administrator.
    public var maxAttempts = 8

    public init() {}
}
