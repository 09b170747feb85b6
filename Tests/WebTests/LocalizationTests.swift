// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Services
import Testing
import Web

/// The pages' texts: the Vietnamese and English files hold the same keys, every key the pages
/// use exists, and the dashboard reads in English when asked (and stays so).
@Suite("Localization")
struct LocalizationTests {
    static let l10n = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/Web/Resources/l10n")
    static let pages = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/Web")

    static func table(_ lang: String) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(contentsOf: l10n.appendingPathComponent("\(lang).json")))
    }

    @Test("vi.json and en.json have the same keys, with the same placeholders; every key the pages name exists")
    func files() throws {
        let vi = try Self.table("vi")
        let en = try Self.table("en")
        #expect(Set(vi.keys) == Set(en.keys))
        let placeholder = try Regex("\\{[a-z]+\\}")
        for (k, v) in vi {
            let a = Set(v.matches(of: placeholder).map { String(v[$0.range]) })
            let b = Set((en[k] ?? "").matches(of: placeholder).map { String(en[k]![$0.range]) })
            #expect(a == b, "placeholders of \(k)")
        }
        // Every literal "group.key" (any depth) in the Web sources whose group the files use:
        // t("…"), lists of "col.…", "action.…" keys and the like. Keys built at run time
        // ("status.\(s)") are covered by the pages tests that render them.
        let groups = Set(vi.keys.compactMap { $0.split(separator: ".").first.map(String.init) })
        let key = try Regex("\"((?:\(groups.sorted().joined(separator: "|")))(?:\\.[A-Za-z-]+)+)\"")
        var used: Set<String> = []
        let files = FileManager.default.enumerator(at: Self.pages, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for m in text.matches(of: key) { used.insert(String(m.output[1].substring!)) }
        }
        #expect(used.count > 150)
        #expect(used.subtracting(vi.keys).isEmpty, "missing: \(used.subtracting(vi.keys).sorted())")
    }

    @Test("the dashboard in English: ?lang=en switches and is remembered; the switch leads back to Vietnamese", arguments: [TestDB.sqlite])
    func englishDashboard(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            _ = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: TestApp.tanLap, applicant: TestApp.applicant()), by: TestApp.officer(TestApp.tanLap))
            let (router, _) = buildRouter(app: t.app)
            try await Application(router: router).test(.router) { client in
                // The browser already holds its anti-forgery cookie, so the only cookie set is the language.
                let api = API(client: client)
                let session = "\(try await api.session("lanhdao.0002003h99")); \(testCSRFCookie)"
                let en = try await api.page("/dashboard?period=2026-11&lang=en", cookie: session)
                #expect(en.status == .ok && en.setCookie?.hasPrefix("motcua_lang=en") == true)
                #expect(en.text.contains("<html lang=\"en\">") && en.text.contains("Service index for citizens and businesses"))
                #expect(en.text.contains("Progress") && en.text.contains("Dossiers losing points") && en.text.contains("received in the period: 1"))
                #expect(en.text.contains("href=\"/dashboard?period=2026-11&amp;lang=vi\""))
                #expect(!en.text.contains("Chỉ tiêu</h2>"))
                let remembered = try await api.page("/dashboard/officials?period=2026-11", cookie: session + "; motcua_lang=en")
                #expect(remembered.text.contains("Results per official") && remembered.setCookie == nil)
                // The switch (lang=vi) wins over the remembered English.
                let vi = try await api.page("/dashboard?period=2026-11&lang=vi", cookie: session + "; motcua_lang=en")
                #expect(vi.text.contains("<html lang=\"vi\">") && vi.text.contains("Chỉ số phục vụ người dân, doanh nghiệp"))
            }
        }
    }
}
