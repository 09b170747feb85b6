// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Errors from inspecting a document with the Debian tools.
public enum DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A command-line tool is not installed; `debianPackage` is what to `apt-get install`.
    case toolMissing(tool: String, debianPackage: String)
    /// A tool ran and failed; `stderr` holds its last lines.
    case toolFailed(tool: String, status: Int32, stderr: String)
    /// A tool did not finish within its time limit (a hostile or pathological file).
    case timedOut(tool: String, seconds: Double)
    /// The file is damaged or not what its kind says (headers do not parse, poppler refuses it).
    case corrupt(String)

    public var description: String {
        switch self {
        case .toolMissing(let t, let p): "\(t) is not installed: install the Debian package \(p)"
        case .toolFailed(let t, let s, let e): "\(t) failed (exit \(s)): \(e)"
        case .timedOut(let t, let s): "\(t) did not finish within \(Int(s)) s"
        case .corrupt(let m): "damaged or unreadable file: \(m)"
        }
    }
}

/// Runs external programs (poppler-utils, ocrmypdf) without a shell, so file names are never parsed.
enum Tool {
    struct Output: Sendable {
        let status: Int32
        let stdout: Data
        let stderr: Data

        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        /// The last lines of stderr, enough to explain a failure without flooding a log.
        func stderrTail(_ lines: Int = 8) -> String {
            String(decoding: stderr, as: UTF8.self)
                .split(whereSeparator: \.isNewline)
                .suffix(lines)
                .joined(separator: "\n")
        }
    }

    /// Directories searched after PATH: services often run with a minimal PATH.
    private static let fallbackDirs = ["/usr/bin", "/bin", "/usr/local/bin", "/opt/homebrew/bin"]

    /// The absolute path of an executable, or nil when it is not installed.
    static func locate(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + fallbackDirs
        for dir in dirs where !dir.isEmpty {
            let candidate = URL(fileURLWithPath: dir).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Like `locate`, but throws the error that names the Debian package.
    static func require(_ name: String, package: String) throws -> URL {
        guard let url = locate(name) else { throw DocumentError.toolMissing(tool: name, debianPackage: package) }
        return url
    }

    /// Runs `executable args`, collecting stdout and stderr in temporary files (pipes would
    /// deadlock once a tool writes more than the pipe buffer to the stream we are not reading).
    /// Cancelling the task terminates the process; so does passing `timeout`.
    static func run(
        _ executable: URL,
        _ arguments: [String],
        environment extra: [String: String] = [:],
        timeout: Double? = nil
    ) async throws -> Output {
        let fm = FileManager.default
        let base = fm.temporaryDirectory.appendingPathComponent("motcua-tool-\(UUID().uuidString)")
        let outURL = base.appendingPathExtension("out")
        let errURL = base.appendingPathExtension("err")
        guard fm.createFile(atPath: outURL.path, contents: nil), fm.createFile(atPath: errURL.path, contents: nil) else {
            throw DocumentError.toolFailed(tool: executable.lastPathComponent, status: -1,
                                           stderr: "cannot create temporary files in \(fm.temporaryDirectory.path)")
        }
        defer {
            try? fm.removeItem(at: outURL)
            try? fm.removeItem(at: errURL)
        }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !extra.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle

        let timedOut = TimeoutFlag()
        let status: Int32 = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Int32, any Error>) in
                process.terminationHandler = { p in cont.resume(returning: p.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    cont.resume(throwing: error)
                    return
                }
                if let timeout {
                    DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                        if process.isRunning {
                            timedOut.set()
                            process.terminate()
                        }
                    }
                }
            }
        } onCancel: {
            if process.isRunning { process.terminate() }
        }
        try? outHandle.close()
        try? errHandle.close()
        let name = executable.lastPathComponent
        if timedOut.isSet { throw DocumentError.timedOut(tool: name, seconds: timeout ?? 0) }
        try Task.checkCancellation()
        return Output(status: status, stdout: try Data(contentsOf: outURL), stderr: try Data(contentsOf: errURL))
    }
}

/// A one-way flag shared between the timer and the awaiting task.
private final class TimeoutFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
