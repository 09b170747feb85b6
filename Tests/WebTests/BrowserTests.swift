// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Testing

/// The pages in a real browser: `Tests/Browser/journey.py` drives Chromium through Selenium
/// over a real `motcua serve` (demo accounts and catalogue, development PKI) through the whole
/// life of a dossier, in Vietnamese, in English, and at a phone's size; every page it opens is
/// checked for labels, alt texts and console errors. Screenshots of each step are kept under
/// `.build/test-output/browser/<variant>/`.
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
            (try? UploadMemoryTests.sh("/usr/bin/python3 -c 'import selenium' && echo ok"))?.contains("ok") == true,
            "Selenium is missing: scripts/ensure-packages.sh test installs python3-selenium")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-browser-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = Int.random(in: 30000...39999)
        let env = ["MOTCUA_DATA_DIR": dir.path, "MOTCUA_HTTP_PORT": String(port)]
        // The same steps as `make run`: migrate, seed, keys, serve.
        let setup = try UploadMemoryTests.sh(
            "\(binary.path) migrate >/dev/null 2>&1 && \(binary.path) demo --dossiers 0 >/dev/null 2>&1 && \(binary.path) pki init >/dev/null 2>&1 && echo ready", env: env)
        try #require(setup.contains("ready"), "motcua migrate / demo / pki init failed")

        let server = Process()
        server.executableURL = binary
        server.arguments = ["serve"]
        server.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let logFile = dir.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        server.standardOutput = log
        server.standardError = log
        try server.run()
        defer {
            if server.isRunning {
                server.terminate()
                server.waitUntilExit()
            }
        }
        // Ready when it answers (curl retries refused connections), not after a fixed time.
        let health = try UploadMemoryTests.sh(
            "curl -s --retry 60 --retry-connrefused --retry-delay 1 --retry-max-time 120 http://127.0.0.1:\(port)/healthz")
        try #require(health.contains("\"ok\""), "the server did not start: \((try? String(contentsOf: logFile, encoding: .utf8)) ?? "")")

        let shots = Self.root.appendingPathComponent(".build/test-output/browser")
        for (variant, flags) in [("vi", ""), ("en", "--lang en"), ("phone", "--phone")] {
            let folder = shots.appendingPathComponent(variant)
            try? FileManager.default.removeItem(at: folder)
            let script = Self.root.appendingPathComponent("Tests/Browser/journey.py").path
            let report = try UploadMemoryTests.sh(
                "/usr/bin/python3 \(script) --base http://127.0.0.1:\(port) --out \(folder.path) \(flags) 2>&1; echo \"exit=$?\"")
            #expect(report.contains("exit=0") && report.contains("journey passed"), "\(variant): \(report.suffix(2000))")
            let pictures = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasSuffix(".png") } ?? []
            #expect(pictures.count >= 30, "\(variant): \(pictures.count) screenshots")
        }
    }
}
