// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Testing

/// A primary and a hot standby (`pg_basebackup -R`) on loopback with a real `motcua serve`
/// reading from the standby: `scripts/replica-test.sh` does the work and says what it showed
/// (reads served by the standby, read-your-writes, writes surviving a standby restart).
@Suite("Reads from a hot standby")
struct ReplicaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("lists served by the standby, a session's own writes seen at once, writes going on through a standby restart")
    func standby() async throws {
        let binary = Self.root.appendingPathComponent(".build/debug/motcua")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the motcua binary first (swift build)")
        let script = Self.root.appendingPathComponent("scripts/replica-test.sh").path
        let report = try await Shell.run("\(script) \(binary.path) 2>&1; echo \"exit=$?\"", seconds: 600)
        #expect(report.contains("exit=0") && report.hasSuffix("replica test passed\nexit=0\n"), "\(report.suffix(3000))")
    }
}
