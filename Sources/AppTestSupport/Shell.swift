// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Shell pipelines for tests that drive real programs (a browser, curl, a server process).
public enum Shell {
    /// Runs `script` with bash and returns its standard output (standard error is dropped).
    ///
    /// Standard input is /dev/null, and the output goes through a file, not a pipe: a program the
    /// script started that lives on (a browser's crash handler, a server) keeps a pipe open and
    /// would make a reader wait for its end forever. `timeout` ends the script, and everything it
    /// started in its process group, after `seconds`, so a hang fails the test instead of the run.
    /// The caller awaits the end without holding a thread: the test runner has as many as cores.
    public static func run(_ script: String, env: [String: String] = [:], seconds: Int = 300) async throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-shell-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["--kill-after=10", String(seconds), "/bin/bash", "-c", script]
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = handle
        p.standardError = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { done in
            p.terminationHandler = { done.resume(returning: $0.terminationStatus) }
            do {
                try p.run()
            } catch {
                p.terminationHandler = nil
                done.resume(throwing: error)
            }
        }
        if status == 124 || status == 137 {
            throw TestFailure("timed out after \(seconds) s: \(script.prefix(200))")
        }
        return String(decoding: try Data(contentsOf: output), as: UTF8.self)
    }
}

/// A `motcua serve` process for tests that need a real server (a browser, a 200 MB upload).
public final class LiveServer: @unchecked Sendable {
    public let base: String
    public let process: Process
    let log: URL

    /// Starts `binary serve` on `port` with `env`; ``ready()`` waits until it answers. Its output
    /// goes to a file in `dir`.
    public init(binary: URL, port: Int, env: [String: String], dir: URL) throws {
        base = "http://127.0.0.1:\(port)"
        log = dir.appendingPathComponent("serve.log")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process = Process()
        process.executableURL = binary
        process.arguments = ["serve"]
        process.environment = ProcessInfo.processInfo.environment.merging(env.merging(["MOTCUA_HTTP_PORT": String(port)]) { $1 }) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try? handle.close()
    }

    /// Returns once the server answers /healthz (curl retries refused connections), not after a
    /// fixed time; stops it and fails when it never does.
    public func ready() async throws {
        let health = try await Shell.run("curl -s --retry 60 --retry-connrefused --retry-delay 1 --retry-max-time 120 \(base)/healthz", seconds: 150)
        guard health.contains("\"ok\"") else {
            stop()
            throw TestFailure("the server did not start: \(output)")
        }
    }

    /// What the server printed so far.
    public var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
