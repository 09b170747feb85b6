// SPDX-License-Identifier: Apache-2.0

/// The id of the HTTP request being served (`X-Request-Id`, from the proxy or made here), so that
/// what it causes later can be traced back to it: log lines carry it (a logging metadata
/// provider reads it), a dossier change records it for the portal relay, and the relay sends the
/// ids of the changes a call carries to the national portal and keeps them in its delivery log.
public enum RequestTrace {
    @TaskLocal public static var id: String?

    /// Whether an id from outside may be used as is: 1–64 characters of letters, digits, `.`, `_`
    /// and `-` (what nginx's `$request_id` and common tracers send); anything else is replaced.
    public static func isAcceptable(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x2D
        }
    }
}
