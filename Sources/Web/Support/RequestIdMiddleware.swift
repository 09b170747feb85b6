// SPDX-License-Identifier: Apache-2.0
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// Gives every request an id: the proxy's `X-Request-Id` when it is a plain token (nginx:
/// `proxy_set_header X-Request-Id $request_id`), else one made here. It is answered back in
/// `X-Request-Id`, carried by every log line written while serving the request (the logging
/// metadata provider reads ``RequestTrace``), kept with the dossier changes the request makes,
/// and sent with the portal calls that deliver them.
struct RequestIdMiddleware<Context: RequestContext>: RouterMiddleware {
    static var header: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[Self.header].flatMap { RequestTrace.isAcceptable($0) ? $0 : nil } ?? Self.make()
        var response = try await RequestTrace.$id.withValue(id) { try await next(request, context) }
        response.headers[Self.header] = id
        return response
    }

    /// 16 hex digits: unique enough to find one request in a day's logs.
    static func make() -> String {
        let n = UInt64.random(in: .min ... .max)
        let hex = String(n, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
