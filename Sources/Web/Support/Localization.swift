// SPDX-License-Identifier: Apache-2.0
import Foundation
import Hummingbird

/// The languages of the pages: Vietnamese first, English available.
enum Lang: String, CaseIterable, Sendable {
    case vi, en
}

/// The texts of the pages in one language, read from `Resources/l10n/<lang>.json` (flat keys,
/// `{name}` placeholders). A key missing in English falls back to Vietnamese, and a key missing
/// in both shows itself, so a gap is visible, never a crash; a test keeps the files in step.
struct Texts: Sendable {
    let lang: Lang
    /// The page asked for (path and query), for the language switch.
    let here: String
    /// The language was chosen on this request (`?lang=`): remember it in a cookie.
    let chosen: Bool

    static let cookie = "motcua_lang"

    static let tables: [Lang: [String: String]] = {
        var out: [Lang: [String: String]] = [:]
        for lang in Lang.allCases {
            guard let url = Bundle.module.url(forResource: lang.rawValue, withExtension: "json", subdirectory: "Resources/l10n"),
                let data = try? Data(contentsOf: url), let table = try? JSONDecoder().decode([String: String].self, from: data)
            else { continue }
            out[lang] = table
        }
        return out
    }()

    init(lang: Lang, here: String = "/", chosen: Bool = false) {
        self.lang = lang
        self.here = here
        self.chosen = chosen
    }

    /// The language of a request: `?lang=vi|en`, else the cookie, else Vietnamese.
    static func of(_ req: Request) -> Texts {
        let here = req.uri.description
        if let q = req.uri.queryParameters.get("lang"), let lang = Lang(rawValue: q) { return Texts(lang: lang, here: here, chosen: true) }
        if let c = Web.cookie(cookie, in: req), let lang = Lang(rawValue: c) { return Texts(lang: lang, here: here) }
        return Texts(lang: .vi, here: here)
    }

    /// The text of `key` with `{name}` placeholders filled.
    func callAsFunction(_ key: String, _ args: KeyValuePairs<String, String> = [:]) -> String {
        var s = Self.tables[lang]?[key] ?? Self.tables[.vi]?[key] ?? key
        for (name, value) in args { s = s.replacingOccurrences(of: "{\(name)}", with: value) }
        return s
    }

    /// Picks between texts the Domain carries in both languages.
    func pick(_ vietnamese: String, _ english: String) -> String { lang == .en ? english : vietnamese }

    /// The page in the other language (same path and query, `lang` replaced).
    var switchHref: String {
        let other: Lang = lang == .vi ? .en : .vi
        var parts = here.split(separator: "?", maxSplits: 1).map(String.init)
        let path = parts.removeFirst()
        var query = (parts.first ?? "").split(separator: "&").filter { !$0.hasPrefix("lang=") }.map(String.init)
        query.append("lang=\(other.rawValue)")
        return path + "?" + query.joined(separator: "&")
    }

    var setCookie: String? { chosen ? "\(Self.cookie)=\(lang.rawValue); Path=/; Max-Age=31536000; SameSite=Lax" : nil }
}
