// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// Tracking a dossier without an account: the dossier code, then a one-time code sent by text
/// message to the phone on file. Knowing a code and a phone number is not enough to read a
/// dossier; holding that phone is. A right code opens a grant for half an hour.
public struct TrackingService: Sendable {
    let app: MotCua

    /// How long a code is good, how soon another may be sent, how many per hour, how many tries.
    public static let codeLifetime: TimeInterval = 300
    public static let resendAfter: TimeInterval = 60
    public static let perHour = 5
    public static let maxAttempts = 5
    public static let grantLifetime: TimeInterval = 1800

    /// Sends a code to the phone on file when `phone` is that phone. The caller answers the same
    /// whether or not it was sent, so the form does not reveal which phone goes with which code;
    /// the text goes out after the answer (``NotificationService/deliverSoon()``), so the answer
    /// does not wait for the SMS gateway either.
    public func sendCode(dossierCode: String, phone: String) async throws {
        guard dossierCode.count <= 40, PhoneNumber.isValid(phone), let row = try await DossierStore.row(code: dossierCode, on: app.database) else { return }
        let (d, _) = try await DossierService.load(row, app: app)
        guard d.applicant.phoneMatches(phone), let onFile = d.applicant.phone else { return }
        let now = app.clock.now()
        var g = SystemRandomNumberGenerator()
        let secret = Digits.pad(Int.random(in: 0..<1_000_000, using: &g), 6)
        let sent: Bool = try await app.database.transaction { tx in
            try await TrackingStore.reserve(dossierCode: d.code, at: now, on: tx)
            let before = try await TrackingStore.pending(dossierCode: d.code, on: tx)
            if let b = before, now.timeIntervalSince(b.sentAt) < Self.resendAfter { return false }
            let newHour = before.map { now.timeIntervalSince($0.hourStartedAt) >= 3600 } ?? true
            let inHour = newHour ? 0 : before!.sentInHour
            guard inHour < Self.perHour else { return false }
            try await TrackingStore.savePending(
                dossierCode: d.code,
                .init(
                    codeHash: Self.hash(secret, d.code), phone: onFile, sentAt: now, expiresAt: now.addingTimeInterval(Self.codeLifetime), attempts: 0,
                    hourStartedAt: newHour ? now : before!.hourStartedAt, sentInHour: inHour + 1),
                on: tx)
            // Without diacritics: a Vietnamese text message with them is sent as UCS-2, 70
            // characters a part instead of 160.
            try await TrackingStore.enqueue(
                id: TimeOrderedID.make(at: now), channel: "sms", recipient: onFile,
                body: "MotCua: ma xac thuc tra cuu ho so \(d.code) la {secret}, hieu luc 5 phut. Khong cung cap ma nay cho bat ky ai.",
                secret: secret, purpose: "tracking-code", dossierCode: d.code, at: now, on: tx)
            return true
        }
        if sent { app.notifications.deliverSoon() }
    }

    /// Checks a code; a right one is used up and returns a grant token (kept by the browser).
    public func confirm(dossierCode: String, code: String) async throws -> String {
        let now = app.clock.now()
        let digits = code.filter(\.isNumber)
        enum Outcome { case granted(String), wrong, none, exhausted }
        let outcome: Outcome = try await app.database.transaction { tx in
            guard let p = try await TrackingStore.pending(dossierCode: dossierCode, on: tx), !p.codeHash.isEmpty, p.expiresAt > now else { return .none }
            guard p.attempts < Self.maxAttempts else { return .exhausted }
            guard digits.count == 6, Self.hash(digits, dossierCode) == p.codeHash else {
                try await TrackingStore.countWrongAttempt(dossierCode: dossierCode, on: tx)
                return .wrong
            }
            try await TrackingStore.usePending(dossierCode: dossierCode, at: now, on: tx)
            let token = RandomBytes.token()
            try await TrackingStore.insertGrant(
                tokenHash: AccountService.digest(token), dossierCode: dossierCode, phone: p.phone, expiresAt: now.addingTimeInterval(Self.grantLifetime), on: tx)
            return .granted(token)
        }
        switch outcome {
        case .granted(let token): return token
        case .wrong: throw ServiceError.invalid(field: "code", message: "wrong code; check the last text message and type its six digits")
        case .none: throw ServiceError.invalid(field: "code", message: "no code is waiting for this dossier, or it has expired; ask for a new one")
        case .exhausted: throw ServiceError.invalid(field: "code", message: "too many wrong codes; ask for a new one")
        }
    }

    /// The dossier's tracking details for the holder of a live grant, with the phone it was
    /// opened with (the rating form proves itself with it); nil without one.
    public func tracking(dossierCode: String, grant: String) async throws -> (PublicTracking, phone: String)? {
        guard grant.count == 64,
            let phone = try await TrackingStore.grant(tokenHash: AccountService.digest(grant), dossierCode: dossierCode, at: app.clock.now(), on: app.database),
            let found = try await app.results.track(code: dossierCode, phone: phone)
        else { return nil }
        return (found, phone)
    }

    /// The phone on file as shown to whoever typed it: the last three digits.
    public static func masked(_ phone: String) -> String {
        let digits = phone.filter(\.isNumber)
        return String(repeating: "•", count: max(0, digits.count - 3)) + digits.suffix(3)
    }

    /// What is stored of a code: bound to its dossier, hashed like every other secret we check.
    static func hash(_ code: String, _ dossierCode: String) -> String {
        AccountService.digest("\(dossierCode):\(code)")
    }
}
