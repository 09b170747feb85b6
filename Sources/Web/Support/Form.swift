// SPDX-License-Identifier: Apache-2.0
import Foundation
import Hummingbird

/// `application/x-www-form-urlencoded` bodies of the pages' forms.
enum Form {
    static func decode(_ req: Request, limit: Int = 64 << 10) async throws -> [String: String] {
        var body = try await req.body.collect(upTo: limit)
        let text = body.readString(length: body.readableBytes) ?? ""
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let k = kv.first { out[k] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }
}
