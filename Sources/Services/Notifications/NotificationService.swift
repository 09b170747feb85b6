// SPDX-License-Identifier: Apache-2.0
import Foundation
import Network
import Storage

/// Delivers the outbox of text messages (`notifications`): right after the transaction that
/// wrote them, and again from the worker for those that failed. A message is claimed before it
/// is sent, so two instances never send it twice; its one-time code is erased once sent.
public struct NotificationService: Sendable {
    let app: MotCua

    /// Attempts before a message is left for an administrator (the code has expired by then anyway).
    static let maxAttempts = 5

    /// Sends what is waiting; returns how many went out.
    @discardableResult
    public func deliverPending(limit: Int = 50) async throws -> Int {
        var sent = 0
        for m in try await TrackingStore.unsent(limit: limit, maxAttempts: Self.maxAttempts, on: app.database) {
            guard try await TrackingStore.claim(m, on: app.database) else { continue }
            do {
                try await send(m)
                try await TrackingStore.markSent(id: m.id, at: app.clock.now(), on: app.database)
                sent += 1
            } catch {
                try await TrackingStore.markFailed(id: m.id, error: "\(error)", on: app.database)
            }
        }
        return sent
    }

    /// Sends what waits in the background, so the answer that queued it does not wait for the
    /// gateway (nor tells, by taking longer, that something was sent: the tracking form answers
    /// the same whether or not the phone matched). A failure is left for the worker's next round.
    public func deliverSoon() {
        app.backgroundDeliveries.add { [self] in _ = try? await deliverPending(limit: 10) }
    }

    /// Returns once every background delivery started so far has ended (tests, shutdown).
    public func settle() async { await app.backgroundDeliveries.settle() }

    struct GatewayRefused: Error, CustomStringConvertible {
        let description: String
    }

    func send(_ m: TrackingStore.Message) async throws {
        let stamp = ISO8601DateFormatter().string(from: app.clock.now())
        switch app.config.smsDestination {
        case .console:
            print("SMS to \(m.recipient): \(m.text)")
        case .file(let path):
            let line = Data("\(stamp)\t\(m.recipient)\t\(m.text)\n".utf8)
            if !FileManager.default.fileExists(atPath: path) {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
        case .http(let url):
            var call = HTTPCall(url: url, method: "POST", timeout: 10)
            call.setHeader("Content-Type", "application/json")
            if let token = app.config.smsToken { call.setHeader("Authorization", "Bearer \(token)") }
            call.body = try JSONEncoder().encode(["to": m.recipient, "text": m.text, "id": m.id])
            let answer = try await call.send()
            guard (200..<300).contains(answer.status) else { throw GatewayRefused(description: "the SMS gateway answered HTTP \(answer.status)") }
        }
    }
}

/// Background deliveries, one after another: each waits for the one before, so awaiting the last
/// awaits them all.
final class BackgroundDeliveries: @unchecked Sendable {
    private let lock = NSLock()
    private var last: Task<Void, Never>?

    func add(_ work: @escaping @Sendable () async -> Void) {
        lock.lock()
        defer { lock.unlock() }
        let previous = last
        last = Task {
            await previous?.value
            await work()
        }
    }

    func settle() async {
        let t = lock.withLock { last }
        await t?.value
    }
}
