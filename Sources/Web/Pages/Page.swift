// SPDX-License-Identifier: Apache-2.0
import Foundation
import Hummingbird
import NIOCore

/// Pages built as HTML strings (the older pages), framed by the common layout.
enum Page {
    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A page whose body was built as HTML here (escaped with `esc`), in the common layout.
    static func response(title: String, body: String, status: HTTPResponse.Status = .ok, wide: Bool = false, ui: UI) -> Response {
        ui.page("raw", title: title, ["body": body], status: status, wide: wide)
    }
}
