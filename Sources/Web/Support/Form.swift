// SPDX-License-Identifier: Apache-2.0
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

    /// `a=1&b=x+y` as browsers encode forms ("+" is a space, then percent-escapes); the first of
    /// a repeated name wins.
    static func fields(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let k = kv.first, out[k] == nil { out[k] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }

    /// Throws 403 unless `given` is the browser's anti-forgery token.
    static func checkToken(_ given: String?, _ req: Request) throws {
        guard let token = UI.token(in: req), let given, given == token else {
            throw Problem(
                status: .forbidden, slug: "csrf", title: "Biểu mẫu đã hết hạn / Form expired",
                detail: "the form's anti-forgery token does not match this browser's; reload the page and submit again")
        }
    }
}
