// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import NIOCore
import Services
import Storage

/// An RFC 9457 problem: every error answer of the API, as `application/problem+json`,
/// naming the field at fault where there is one.
struct Problem: HTTPResponseError {
    struct FieldError: Encodable, Sendable {
        let field: String
        let message: String
    }

    let status: HTTPResponse.Status
    let slug: String
    let title: String
    let detail: String
    var errors: [FieldError] = []
    var currentStatus: Int?
    var allowedActions: [String]?
    var currentVersion: Int?
    /// Seconds before trying again (429).
    var retryAfter: Int?

    struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let errors: [FieldError]?
        let currentStatus: Int?
        let allowedActions: [String]?
        let currentVersion: Int?
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(
            type: "https://motcua.dev/problems/\(slug)", title: title, status: Int(status.code), detail: detail,
            errors: errors.isEmpty ? nil : errors, currentStatus: currentStatus, allowedActions: allowedActions, currentVersion: currentVersion)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }

    static func invalid(_ field: String, _ message: String) -> Problem {
        Problem(status: .badRequest, slug: "invalid-input", title: "Dữ liệu không hợp lệ / Invalid input", detail: "\(field): \(message)", errors: [.init(field: field, message: message)])
    }

    static func unprocessable(_ field: String, _ message: String) -> Problem {
        Problem(status: .unprocessableContent, slug: "unprocessable", title: "Không thể xử lý yêu cầu / Request cannot be processed", detail: "\(field): \(message)", errors: [.init(field: field, message: message)])
    }

    static func unauthorized(_ detail: String) -> Problem {
        Problem(status: .unauthorized, slug: "unauthorized", title: "Chưa đăng nhập / Not signed in", detail: detail)
    }

    static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, slug: "not-found", title: "Không tìm thấy / Not found", detail: detail)
    }

    /// Maps a use-case error to its HTTP answer.
    static func from(_ e: ServiceError) -> Problem {
        switch e {
        case .notFound: return .notFound(e.message)
        case .invalid(let field, let message): return .unprocessable(field, message)
        case .unauthorized(let m): return .unauthorized(m)
        case .forbidden(let m): return Problem(status: .forbidden, slug: "forbidden", title: "Không có quyền / Forbidden", detail: m)
        case .unsupportedMedia(let m):
            return Problem(status: .unsupportedMediaType, slug: "unsupported-media", title: "Định dạng tệp không được chấp nhận / Unsupported file type", detail: m, errors: [.init(field: "file", message: m)])
        case .tooLarge(let m):
            return Problem(status: .contentTooLarge, slug: "too-large", title: "Tệp quá lớn / File too large", detail: m, errors: [.init(field: "file", message: m)])
        case .locked(_, let seconds, let m):
            var p = Problem(status: .tooManyRequests, slug: "too-many-attempts", title: "Quá nhiều lần thử / Too many attempts", detail: m)
            p.retryAfter = max(1, seconds)
            return p
        case .unavailable(let m):
            return Problem(status: .serviceUnavailable, slug: "unavailable", title: "Hệ thống liên thông tạm thời không trả lời / Upstream unavailable", detail: m)
        case .conflict(let m, let status, let allowed, let version):
            var p = Problem(status: .conflict, slug: "conflict", title: "Xung đột trạng thái / Conflict", detail: m)
            p.currentStatus = status?.rawValue
            p.allowedActions = allowed.map(\.rawValue)
            p.currentVersion = version
            return p
        }
    }
}

/// Turns every error into problem+json, so no route answers with a bare text error.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppContext

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let p as Problem {
            return try p.response(from: request, context: context)
        } catch let e as ServiceError {
            return try Problem.from(e).response(from: request, context: context)
        } catch let e as HTTPError {
            let slug = e.status == .notFound ? "not-found" : "http-\(e.status.code)"
            return try Problem(status: e.status, slug: slug, title: e.status.reasonPhrase, detail: e.body ?? "\(request.method) \(request.uri.path): \(e.status.reasonPhrase)")
                .response(from: request, context: context)
        } catch let e as StorageError {
            context.logger.error("storage error: \(e)")
            return try Problem(status: .serviceUnavailable, slug: "storage", title: "Lỗi lưu trữ / Storage error", detail: "the database could not complete the request; try again")
                .response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error: \(error)")
            return try Problem(status: .internalServerError, slug: "internal", title: "Lỗi hệ thống / Internal error", detail: "an unexpected error occurred; it was logged")
                .response(from: request, context: context)
        }
    }
}
