// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Testing

/// The files in `deploy/` at work: `scripts/deploy-test.sh` verifies the systemd units and serves
/// two instances on one PostgreSQL behind the shipped nginx site over TLS, then kills one.
@Suite("Deployment files")
struct DeployTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("systemd units verify; the nginx site redirects to TLS, passes request ids, spreads over two instances and survives one's death")
    func shippedFiles() async throws {
        let binary = Self.root.appendingPathComponent(".build/debug/motcua")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the motcua binary first (swift build)")
        let script = Self.root.appendingPathComponent("scripts/deploy-test.sh").path
        let report = try await Shell.run("\(script) \(binary.path) 2>&1; echo \"exit=$?\"", seconds: 300)
        #expect(report.hasSuffix("deploy test passed\nexit=0\n"), "\(report.suffix(3000))")
    }
}
