// SPDX-License-Identifier: Apache-2.0

/// What an API client (another system of a unit, signing in with client credentials) may do.
/// A client is not an official: it acts on nothing, and reads or files only within its unit and
/// its scopes.
public enum APIScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// Read the dossiers of its unit (as received, handled or decided there), and list them.
    /// Each reading is a look-up of personal data, logged like an official's.
    case dossiersRead = "dossiers:read"
    /// File dossiers received by post at its unit (a postal service's system).
    case dossiersFile = "dossiers:file"
    /// Read the Decision 766 index of its unit and the units under it (a provincial operations centre).
    case indexRead = "index:read"

    /// Scopes written as OAuth writes them: names separated by spaces (commas also accepted).
    /// Nil when a name is unknown.
    public static func parse(_ text: String) -> Set<APIScope>? {
        var out: Set<APIScope> = []
        for name in text.split(whereSeparator: { $0 == " " || $0 == "," }) {
            guard let s = APIScope(rawValue: String(name)) else { return nil }
            out.insert(s)
        }
        return out
    }

    public static func text(_ scopes: Set<APIScope>) -> String { scopes.map(\.rawValue).sorted().joined(separator: " ") }
}
