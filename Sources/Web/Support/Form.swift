// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird

/// `application/x-www-form-urlencoded` bodies of the pages' forms. Every form carries the
/// anti-forgery token (`UI.csrfField`), which must equal the browser's token cookie: a form
/// posted from another site cannot know it.
enum Form {
    static func decode(_ req: Request, limit: Int = 64 << 10) async throws -> [String: String] {
        var body = try await req.body.collect(upTo: limit)
        var out = fields(body.readString(length: body.readableBytes) ?? "")
        try checkToken(out[UI.csrfField], req)
        out[UI.csrfField] = nil
        return out
    }

    /// A query parameter of a page's GET form, decoded as browsers encode forms ("+" is a space).
    static func query(_ req: Request, _ name: String) -> String? {
        fields(req.uri.query ?? "")[name]?.trimmingCharacters(in: .whitespaces)
    }

    /// A form's fields (``FormEncoding``).
    static func fields(_ text: String) -> [String: String] { FormEncoding.decode(text) }

    /// Throws 403 unless `given` is the browser's anti-forgery token.
    static func checkToken(_ given: String?, _ req: Request) throws {
        guard let token = UI.token(in: req), let given, given == token else {
            throw Problem(
                status: .forbidden, slug: "csrf", title: "Biểu mẫu đã hết hạn / Form expired",
                detail: "the form's anti-forgery token does not match this browser's; reload the page and submit again")
        }
    }
}
