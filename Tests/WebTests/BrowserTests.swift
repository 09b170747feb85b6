// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Simulators
import Testing

/// The pages in a real browser: `Tests/Browser/journey.py` drives Chromium through Selenium
/// over a real `motcua serve` (demo accounts and catalogue, development PKI) through the whole
/// life of a dossier, in Vietnamese, in English, and at a phone's size; every page it opens is
/// checked for labels, alt texts and console errors. Screenshots of each step are kept under
/// `.build/test-output/browser/<variant>/`. The citizen signs in through an e-ID provider
/// (`OIDCProvider`) started here.
@Suite("Browser journey", .serialized)
struct BrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("citizen files online → counter → leader → specialist → supplement → draft → approve and sign → finish → track, download, verify, rate → dashboard")
    func journey() async throws {
        let binary = Self.root.appendingPathComponent(".build/debug/motcua")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the motcua binary first (swift build)")
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing: scripts/ensure-packages.sh test installs chromium and chromium-driver")
        }
        try #require(
            (try? await Shell.run("/usr/bin/python3 -c 'import selenium' && echo ok"))?.contains("ok") == true,
            "Selenium is missing: scripts/ensure-packages.sh test installs python3-selenium")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-browser-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = try FreePort.take()
        // The citizen signs in with the e-ID: a real OpenID Connect provider on another port.
        let eid = OIDCProvider(
            configuration: .init(
                title: OIDCProvider.Realm.citizens.title, people: OIDCProvider.Realm.citizens.people,
                clients: [.init(id: "motcua", secret: "motcua-secret", redirectURIs: ["http://127.0.0.1:\(port)/dang-nhap/oidc"])], logLevel: .warning))
        let issuer = try await eid.start()
        defer { Task { await eid.stop() } }
        let env = [
            "MOTCUA_DATA_DIR": dir.path, "MOTCUA_EID_ISSUER": issuer.absoluteString, "MOTCUA_EID_CLIENT_ID": "motcua",
            "MOTCUA_EID_CLIENT_SECRET": "motcua-secret", "MOTCUA_SMS": "file:\(dir.path)/sms.log",
            // The demo officials sign in with a password only (the citizen through the e-ID).
            "MOTCUA_SECOND_FACTOR": "optional",
        ]
        // The same steps as `make run`: migrate, seed, keys, serve.
        let setup = try await Shell.run(
            "\(binary.path) migrate >/dev/null 2>&1 && \(binary.path) demo --dossiers 0 >/dev/null 2>&1 && \(binary.path) pki init >/dev/null 2>&1 && echo ready", env: env)
        try #require(setup.contains("ready"), "motcua migrate / demo / pki init failed")

        let server = try LiveServer(binary: binary, port: port, env: env, dir: dir)
        defer { server.stop() }
        try await server.ready()
        // The provider is stopped whatever happens: a server left running would keep the test
        // process from ending.
        do { try await journeys(server, sms: dir.appendingPathComponent("sms.log").path) } catch {
            await eid.stop()
            throw error
        }
        #expect(await eid.redemptions().count == 3, "one e-ID sign-in per variant")
        await eid.stop()
    }

    func journeys(_ server: LiveServer, sms: String) async throws {
        let shots = Self.root.appendingPathComponent(".build/test-output/browser")
        for (variant, flags) in [("vi", ""), ("en", "--lang en"), ("phone", "--phone")] {
            let folder = shots.appendingPathComponent(variant)
            try? FileManager.default.removeItem(at: folder)
            let script = Self.root.appendingPathComponent("Tests/Browser/journey.py").path
            let report = try await Shell.run(
                "/usr/bin/python3 \(script) --base \(server.base) --out \(folder.path) --sms \(sms) \(flags) 2>&1; echo \"exit=$?\"", seconds: 700)
            #expect(report.contains("exit=0") && report.contains("journey passed"), "\(variant): \(report.suffix(2000))")
            let pictures = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasSuffix(".png") } ?? []
            #expect(pictures.count >= 30, "\(variant): \(pictures.count) screenshots")
        }
    }
}
