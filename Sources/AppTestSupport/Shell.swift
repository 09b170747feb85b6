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
        let r = try await Subprocess.run(
            "/usr/bin/timeout", ["--kill-after=10", String(seconds), "/bin/bash", "-c", script], mergeErrors: false, environment: env)
        if r.status == 124 || r.status == 137 {
            throw TestFailure("timed out after \(seconds) s: \(script.prefix(200))")
        }
        return r.text
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

    /// Returns once this server answers /healthz, not after a fixed time: asks every half second
    /// for up to two minutes while the process lives, and fails at once, with what it printed,
    /// when it ended (a port taken, a bad setting).
    public func ready() async throws {
        let deadline = Date().addingTimeInterval(120)
        var last = ""
        while Date() < deadline {
            guard process.isRunning else { throw TestFailure("the server ended before answering: \(output)") }
            last = try await Shell.run("curl -s --max-time 5 \(base)/healthz", seconds: 15)
            if last.contains("\"ok\"") { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        stop()
        throw TestFailure("the server did not answer /healthz within 120 s (last answer: \(last.prefix(200))): \(output)")
    }

    /// What the server printed so far.
    public var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Asks the server to stop (SIGTERM) and returns; a thread of its own, not one of the test
    /// runner's few, sees it end and kills it if it has not within 15 s.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let p = process
        Thread.detachNewThread {
            let deadline = Date().addingTimeInterval(15)
            while p.isRunning && Date() < deadline { usleep(100_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        }
    }
}
