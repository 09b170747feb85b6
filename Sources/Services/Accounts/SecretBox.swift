// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation

/// Seals the secrets MotCua must read back (the officials' TOTP secrets) before they are stored,
/// with AES-256-GCM under the instance's secret key (`MOTCUA_SECRET_KEY` or `_FILE`, else a key
/// file made once in the data folder). A copy of the database alone (a leaked dump, a backup, a
/// standby's reader) then holds no second factor. Each sealed value is bound to what it belongs
/// to (the account), so one cannot be moved to another row, and names the key that sealed it,
/// so an instance started with another key says so instead of failing every code.
///
/// Stored form: `sealed1:<key id>:<base64 of nonce ‖ ciphertext ‖ tag>`. Text without the prefix
/// is a secret stored before sealing existed; ``MotCua/boot`` seals those at start.
public struct SecretBox: Sendable {
    static let prefix = "sealed1:"
    let key: SymmetricKey
    /// The first eight hex digits of a MAC of a fixed text: names the key without revealing it.
    public let keyID: String
    /// The key being replaced (`MOTCUA_SECRET_KEY_PREVIOUS`): opens what it sealed, seals nothing.
    let previous: [UInt8]?

    public init(key bytes: [UInt8], previous: [UInt8]? = nil) {
        key = SymmetricKey(data: bytes)
        keyID = Self.id(of: key)
        self.previous = previous
    }

    static func id(of key: SymmetricKey) -> String {
        String(Digits.hex(Array(HMAC<SHA256>.authenticationCode(for: Data("motcua secret key id".utf8), using: key))).prefix(8))
    }

    /// Whether a stored value was sealed under this box's (current) key.
    public func isCurrent(_ stored: String) -> Bool { stored.hasPrefix(Self.prefix + keyID + ":") }

    /// Why a stored value cannot be opened.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// Sealed under another key: the instances do not share one.
        case otherKey(String)
        /// Changed, cut, or moved from another row.
        case damaged
        public var description: String {
            switch self {
            case .otherKey(let id):
                return "a stored secret was sealed with another key (id \(id)); every instance must use the same MOTCUA_SECRET_KEY (or _FILE)"
            case .damaged: return "a stored secret is damaged or belongs to another row"
            }
        }
    }

    public static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(prefix) }

    /// A MAC of `message` under a key derived from the secret key for one purpose, so a MAC made
    /// for one use is worthless for another (short-lived tickets the browser carries).
    func mac(_ purpose: String, _ message: Data) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: key(for: purpose)))
    }

    /// Whether `mac` is `message`'s MAC for `purpose` (compared in constant time).
    func isValid(mac: [UInt8], _ purpose: String, _ message: Data) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: message, using: key(for: purpose))
    }

    private func key(for purpose: String) -> SymmetricKey {
        SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data(purpose.utf8), using: key))
    }

    public func seal(_ plain: String, for owner: String) throws -> String {
        let box = try AES.GCM.seal(Data(plain.utf8), using: key, authenticating: Data(owner.utf8))
        guard let combined = box.combined else { throw Failure.damaged }
        return Self.prefix + keyID + ":" + combined.base64EncodedString()
    }

    /// The plain text of a stored value; text stored before sealing is returned as it is.
    public func open(_ stored: String, for owner: String) throws -> String {
        guard Self.isSealed(stored) else { return stored }
        let parts = stored.dropFirst(Self.prefix.count).split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw Failure.damaged }
        let opening: SymmetricKey
        if parts[0] == keyID {
            opening = key
        } else if let previous, parts[0] == Self.id(of: SymmetricKey(data: previous)) {
            opening = SymmetricKey(data: previous)
        } else {
            throw Failure.otherKey(parts[0])
        }
        guard let data = Data(base64Encoded: parts[1]), let box = try? AES.GCM.SealedBox(combined: data),
            let plain = try? AES.GCM.open(box, using: opening, authenticating: Data(owner.utf8))
        else { throw Failure.damaged }
        return String(decoding: plain, as: UTF8.self)
    }

    /// The key from the configuration, else from `<data dir>/keys/secret.key`, made (32 random
    /// bytes, base64, readable by the owner only) the first time. Instances that share a
    /// database must share the key: give them the same file (`MOTCUA_SECRET_KEY_FILE`).
    static func load(_ config: AppConfig) throws -> SecretBox {
        if let key = config.secretKey { return SecretBox(key: key, previous: config.previousSecretKey) }
        let dir = URL(fileURLWithPath: BackupService.keysDir(config))
        let file = dir.appendingPathComponent("secret.key")
        let fm = FileManager.default
        if !fm.fileExists(atPath: file.path) {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let text = Data(RandomBytes.make(32)).base64EncodedString() + "\n"
            // Created with no permissions for others before the key is written, and never
            // replaced: another process that made it first wins, and both read the same key.
            let draft = file.path + ".\(getpid())"
            guard fm.createFile(atPath: draft, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw AppConfig.ConfigError(variable: "MOTCUA_SECRET_KEY_FILE", message: "is unset and \(dir.path) is not writable")
            }
            defer { try? fm.removeItem(atPath: draft) }
            if link(draft, file.path) != 0 && errno != EEXIST {
                throw AppConfig.ConfigError(variable: "MOTCUA_SECRET_KEY_FILE", message: "is unset and \(file.path) could not be created")
            }
        }
        guard let text = try? String(contentsOf: file, encoding: .utf8), let key = AppConfig.secretKey(text) else {
            throw AppConfig.ConfigError(variable: "MOTCUA_SECRET_KEY_FILE", message: "is unset and \(file.path) holds no key (32 bytes in base64 or 64 hex digits)")
        }
        return SecretBox(key: key)
    }
}

/// The instance's ``SecretBox``, loaded the first time a secret is sealed or opened.
final class SecretBoxHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var box: SecretBox?

    func get(_ config: AppConfig) throws -> SecretBox {
        lock.lock()
        defer { lock.unlock() }
        if let box { return box }
        let b = try SecretBox.load(config)
        box = b
        return b
    }
}
