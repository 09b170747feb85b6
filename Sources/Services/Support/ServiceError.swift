// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// What a use case can answer besides success. Web maps each case to one HTTP status and a
/// problem+json body; the CLI prints the message and exits non-zero.
public enum ServiceError: Error, Sendable, Equatable {
    case notFound(what: String, key: String)
    case invalid(field: String, message: String)
    case unauthorized(String)
    case forbidden(String)
    /// A stale version or a status that does not allow the action; carries what the caller needs to retry.
    case conflict(message: String, status: DossierStatus?, allowedActions: [DossierAction], currentVersion: Int?)
    /// A file whose content is not an accepted type (checked by its bytes, not its name).
    case unsupportedMedia(String)
    /// A body or file over the configured limit.
    case tooLarge(String)
    /// An outside system MotCua depends on cannot answer now; the message says what to do meanwhile.
    case unavailable(String)
    /// Too many attempts: the account (or caller) may try again at `until`, `seconds` from now.
    case locked(until: Date, seconds: Int, message: String)

    public var message: String {
        switch self {
        case .notFound(let what, let key): "\(what) \(key) not found"
        case .invalid(let field, let message): "\(field): \(message)"
        case .unauthorized(let m), .forbidden(let m): m
        case .conflict(let m, _, _, _): m
        case .unsupportedMedia(let m), .tooLarge(let m), .unavailable(let m): m
        case .locked(_, _, let m): m
        }
    }

    /// Maps a rule violation from the Domain.
    static func from(_ e: LifecycleError, code: String? = nil, version: Int? = nil) -> ServiceError {
        switch e {
        case .wrongStatus(let action, let status, let allowed):
            .conflict(
                message: "\(action.rawValue) is not possible while the dossier is \"\(status.vietnameseName)\" (status \(status.rawValue))",
                status: status, allowedActions: allowed, currentVersion: version)
        case .forbidden(_, let reason): .forbidden(reason)
        case .invalidInput(let field, let message): .invalid(field: field, message: message)
        }
    }
}

extension ServiceError: CustomStringConvertible {
    public var description: String { message }
}
