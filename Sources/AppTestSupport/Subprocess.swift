// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs a program to its end for a test (a validator, a fixture generator) without blocking a
/// thread: the test runner's cooperative pool has as many threads as cores (two here), and a
/// test that sat in `waitUntilExit()` while a Java or Python checker ran stalled every other test
/// on that thread (simulator tests ran past their time limits on a loaded machine).
public enum Subprocess {
    public struct Result: Sendable {
        public let status: Int32
        /// Standard output, followed by standard error when they were merged.
        public let output: Data
        public var text: String { String(decoding: output, as: UTF8.self) }
    }

    /// Runs `executable` with `arguments`; standard error joins the output unless `mergeErrors` is
    /// false (then it is dropped); `environment` is added to this process's. Output goes through a
    /// file: a pipe's reader would wait for a grandchild that keeps it open.
    public static func run(
        _ executable: String, _ arguments: [String], mergeErrors: Bool = true, environment: [String: String] = [:]
    ) async throws -> Result {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-subprocess-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: file) }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = handle
        p.standardError = mergeErrors ? handle : FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { done in
            p.terminationHandler = { done.resume(returning: $0.terminationStatus) }
            do {
                try p.run()
            } catch {
                p.terminationHandler = nil
                done.resume(throwing: error)
            }
        }
        return Result(status: status, output: try Data(contentsOf: file))
    }
}
