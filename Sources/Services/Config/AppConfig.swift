// SPDX-License-Identifier: Apache-2.0
import Documents
import Domain
import Foundation

/// Every setting, read once from the environment at start. Defaults give the embedded mode
/// (SQLite under ./data, port 8080); a bad value fails at start naming its variable.
public struct AppConfig: Sendable {
    public var dataDir: String
    /// nil = SQLite in the data dir.
    public var databaseURL: String?
    /// A hot standby of that primary (`DATABASE_READ_URL`): dashboard, report, search and list
    /// reads go there while it is up and has replayed what the reader last wrote.
    public var databaseReadURL: String?
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
    /// Officials must have signed in at level 2 (the second factor, or a single sign-on portal
    /// that vouches for level 2) to receive, decide, sign or revoke: the default, as the law asks
    /// of officials handling dossiers. `MOTCUA_SECOND_FACTOR=optional` turns it off (the demo).
    public var secondFactorRequired = true
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
    /// Officials' single sign-on portal (`MOTCUA_SSO_*`); unset = passwords only.
    public var officialsSSO: OpenIDProvider?
    /// The national e-ID (VNeID) for citizens (`MOTCUA_EID_*`); unset = citizens use passwords.
    public var citizenEID: OpenIDProvider?
    /// Where text messages go (`MOTCUA_SMS`): nil = the file `sms.log` in the data directory.
    public var sms: SMSDestination?
    /// A bearer token for an HTTP SMS gateway (`MOTCUA_SMS_TOKEN` or `MOTCUA_SMS_TOKEN_FILE`).
    public var smsToken: String?
    /// Blobs in an S3-compatible store instead of `blobDir` (`MOTCUA_S3_*`).
    public var s3: S3BlobStore.Settings?
    /// The bearer token Prometheus scrapes `/metrics` with (`MOTCUA_METRICS_TOKEN` or `_FILE`).
    public var metricsToken: String?
    /// How an official's account is first bound to their single sign-on identity
    /// (`MOTCUA_SSO_FIRST_BIND`): `password` (default) asks for the account's MotCua password once;
    /// `trust` binds at the first single sign-on, trusting the portal's username.
    public var ssoFirstBind: SSOFirstBind = .password
    public enum SSOFirstBind: String, Sendable { case password, trust }
    /// The key that seals stored secrets (``SecretBox``): 32 bytes, from `MOTCUA_SECRET_KEY` or
    /// `MOTCUA_SECRET_KEY_FILE` (base64 or 64 hex digits); nil = a key file in the data folder.
    public var secretKey: [UInt8]?
    /// The key before it (`MOTCUA_SECRET_KEY_PREVIOUS` or `_FILE`) while rotating: values sealed
    /// under it still open, and each start re-seals them under `secretKey` (docs/OPERATIONS.md).
    public var previousSecretKey: [UInt8]?
    /// Log lines as text (default) or one JSON object per line (`MOTCUA_LOG_FORMAT=json`), for a
    /// log collector; either way each line written while serving a request carries its id.
    public var logJSON = false
    /// Where text messages go when `sms` is not set.
    public var smsDestination: SMSDestination { sms ?? .file((dataDir as NSString).appendingPathComponent("sms.log")) }

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
        // A secret from NAME, or from the file NAME_FILE names (a mounted secret); an unreadable
        // file is an error, never an empty secret.
        func secret(_ name: String) -> String? {
            if let v = value(name) { return v }
            guard let path = value(name + "_FILE") else { return nil }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                errors.append(.init(variable: name + "_FILE", message: "names a file that cannot be read: \(path)"))
                return nil
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        if let v = value("MOTCUA_DATA_DIR") { c.dataDir = v }
        for name in ["MOTCUA_SECRET_KEY", "MOTCUA_SECRET_KEY_PREVIOUS"] {
            guard let v = secret(name) else { continue }
            guard let key = Self.secretKey(v) else {
                errors.append(.init(variable: name, message: "must be 32 random bytes in base64 or as 64 hex digits, e.g. from `openssl rand -base64 32` (the value is not shown)"))
                continue
            }
            if name == "MOTCUA_SECRET_KEY" { c.secretKey = key } else { c.previousSecretKey = key }
        }
        if c.previousSecretKey != nil && c.secretKey == nil {
            errors.append(.init(variable: "MOTCUA_SECRET_KEY_PREVIOUS", message: "needs MOTCUA_SECRET_KEY (or _FILE): the new key that replaces it"))
        }
        if let v = value("DATABASE_URL") {
            if v.hasPrefix("postgres://") || v.hasPrefix("postgresql://") {
                c.databaseURL = v
            } else {
                errors.append(.init(variable: "DATABASE_URL", message: "must be a postgres:// URL (unset it to use SQLite in MOTCUA_DATA_DIR)"))
            }
        }
        if let v = value("DATABASE_READ_URL") {
            if !(v.hasPrefix("postgres://") || v.hasPrefix("postgresql://")) {
                errors.append(.init(variable: "DATABASE_READ_URL", message: "must be a postgres:// URL of a hot standby (or unset)"))
            } else if c.databaseURL == nil {
                errors.append(.init(variable: "DATABASE_READ_URL", message: "needs DATABASE_URL (the primary): a standby replicates a PostgreSQL primary, not SQLite"))
            } else {
                c.databaseReadURL = v
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
            c.populationClientId = value("POPULATION_CLIENT_ID") ?? ""
            c.populationClientSecret = secret("POPULATION_CLIENT_SECRET") ?? ""
            if c.populationClientId.isEmpty { errors.append(.init(variable: "POPULATION_CLIENT_ID", message: "is required when POPULATION_URL is set")) }
            if c.populationClientSecret.isEmpty {
                errors.append(.init(variable: "POPULATION_CLIENT_SECRET", message: "is required when POPULATION_URL is set (or POPULATION_CLIENT_SECRET_FILE)"))
            }
        }
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
        // OpenID Connect providers: the issuer turns one on, and then its client is required.
        func provider(_ prefix: String, claim: String) -> OpenIDProvider? {
            guard let issuer = value(prefix + "ISSUER") else { return nil }
            guard let u = URL(string: issuer), u.scheme == "https" || u.scheme == "http", u.host != nil, u.query == nil else {
                errors.append(.init(variable: prefix + "ISSUER", message: "must be the provider's issuer URL, e.g. https://sso.sonha.gov.vn/realms/motcua (got \"\(issuer)\")"))
                return nil
            }
            guard let id = value(prefix + "CLIENT_ID"), let clientSecret = secret(prefix + "CLIENT_SECRET") else {
                errors.append(.init(variable: prefix + "CLIENT_ID, " + prefix + "CLIENT_SECRET", message: "are required when \(prefix)ISSUER is set (the secret may come from \(prefix)CLIENT_SECRET_FILE)"))
                return nil
            }
            let level2 = value(prefix + "LEVEL2_ACR").map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) } ?? ["2"]
            return OpenIDProvider(
                issuer: issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer, clientID: id, clientSecret: clientSecret,
                accountClaim: value(prefix + "CLAIM") ?? claim, level2ACR: level2, scope: value(prefix + "SCOPE") ?? "openid profile")
        }
        if let v = value("MOTCUA_SSO_FIRST_BIND") {
            if let b = SSOFirstBind(rawValue: v) { c.ssoFirstBind = b } else {
                errors.append(.init(variable: "MOTCUA_SSO_FIRST_BIND", message: "must be password or trust (got \"\(v)\")"))
            }
        }
        if let v = value("MOTCUA_SMS") {
            if let d = SMSDestination(v) { c.sms = d } else {
                errors.append(.init(variable: "MOTCUA_SMS", message: "must be console, file:<path>, or the https:// address of an SMS gateway (got \"\(v)\")"))
            }
        }
        c.smsToken = secret("MOTCUA_SMS_TOKEN")
        if let v = value("MOTCUA_S3_ENDPOINT") {
            let secretKey = secret("MOTCUA_S3_SECRET_KEY")
            if let u = URL(string: v), u.scheme == "http" || u.scheme == "https", u.host != nil, let bucket = value("MOTCUA_S3_BUCKET"),
                let key = value("MOTCUA_S3_ACCESS_KEY"), let secretKey
            {
                c.s3 = .init(endpoint: u, bucket: bucket, region: value("MOTCUA_S3_REGION") ?? "us-east-1", accessKey: key, secretKey: secretKey)
            } else {
                errors.append(
                    .init(
                        variable: "MOTCUA_S3_ENDPOINT",
                        message: "must be the http(s) address of an S3-compatible store, with MOTCUA_S3_BUCKET, MOTCUA_S3_ACCESS_KEY and MOTCUA_S3_SECRET_KEY (or _FILE) set"))
            }
        }
        if let v = value("MOTCUA_LOG_FORMAT") {
            switch v {
            case "json": c.logJSON = true
            case "text": c.logJSON = false
            default: errors.append(.init(variable: "MOTCUA_LOG_FORMAT", message: "must be text or json (got \"\(v)\")"))
            }
        }
        c.metricsToken = secret("MOTCUA_METRICS_TOKEN")
        c.officialsSSO = provider("MOTCUA_SSO_", claim: "preferred_username")
        c.citizenEID = provider("MOTCUA_EID_", claim: "citizen_id")
        if let first = errors.first {
            if errors.count == 1 { throw first }
            throw ConfigError(variable: errors.map(\.variable).joined(separator: ", "), message: errors.map(\.description).joined(separator: "; "))
        }
        return c
    }
}

extension AppConfig {
    /// 32 key bytes from base64 or 64 hex digits; nil for anything else (a short or typed key).
    static func secretKey(_ text: String) -> [UInt8]? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.count == 64, t.allSatisfy(\.isHexDigit) {
            var bytes: [UInt8] = []
            var i = t.startIndex
            while i < t.endIndex {
                let j = t.index(i, offsetBy: 2)
                bytes.append(UInt8(t[i..<j], radix: 16)!)
                i = j
            }
            return bytes
        }
        if let d = Data(base64Encoded: t), d.count == 32 { return Array(d) }
        return nil
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

/// An OpenID Connect provider people sign in with (authorization code flow, PKCE, a confidential
/// client). What is taken from it: who the person is (`accountClaim`) and the assurance level
/// reached (`acr`); roles and units stay MotCua's.
public struct OpenIDProvider: Sendable, Equatable {
    /// Exactly as the provider writes `iss` (no trailing slash).
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    /// The ID token claim that names the account: a MotCua username for officials
    /// (`preferred_username`), the personal ID number for citizens (`citizen_id` [U]: VNeID's
    /// claim names are not public; set `MOTCUA_EID_CLAIM`).
    public var accountClaim: String
    /// `acr` values that mean level 2 (`MOTCUA_SSO_LEVEL2_ACR`, default "2").
    public var level2ACR: Set<String>
    public var scope: String

    public init(issuer: String, clientID: String, clientSecret: String, accountClaim: String, level2ACR: Set<String> = ["2"], scope: String = "openid profile") {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.accountClaim = accountClaim
        self.level2ACR = level2ACR
        self.scope = scope
    }
}

/// Where MotCua's text messages (one-time codes) go.
public enum SMSDestination: Sendable, Equatable {
    /// Printed on standard output (a demo on one's own machine).
    case console
    /// Appended to a file, one line per message (the demo's default: `data/sms.log`).
    case file(String)
    /// POSTed as JSON `{"to", "text"}` to an SMS gateway (with `MOTCUA_SMS_TOKEN` as a bearer token).
    case http(URL)

    public init?(_ text: String) {
        if text == "console" {
            self = .console
        } else if text.hasPrefix("file:"), text.count > 5 {
            self = .file(String(text.dropFirst(5)))
        } else if let u = URL(string: text), u.scheme == "https" || u.scheme == "http", u.host != nil {
            self = .http(u)
        } else {
            return nil
        }
    }
}
