// SPDX-License-Identifier: Apache-2.0
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An outgoing HTTP request to another system (the national portal, the population database, a
/// timestamp authority, a simulator in tests).
public struct HTTPCall: Sendable {
    public var url: URL
    public var method: String
    public var headers: [(String, String)] = []
    public var body: Data?
    /// A file sent as the body instead, read in chunks (large uploads stay out of memory).
    public var bodyFile: URL?
    /// Until the answer's head arrives (AsyncHTTPClient's deadline ends there); reading the body
    /// is bounded only by ``maxAnswerBytes`` — a server that stalls mid-body is not cut short yet.
    public var timeout: TimeInterval

    public init(url: URL, method: String = "GET", timeout: TimeInterval) {
        self.url = url
        self.method = method
        self.timeout = timeout
    }

    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.0.lowercased() == name.lowercased() }
        headers.append((name, value))
    }

    /// The answer.
    public struct Answer: Sendable {
        public let status: Int
        public let headers: [(String, String)]
        public let body: Data

        public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    /// Why there is no answer.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Nobody listens there (connection refused, no route, unknown host).
        case unreachable(String)
        /// No complete answer in time; the request may still have been applied.
        case timeout
        /// The connection broke or spoke something else than HTTP.
        case transport(String)

        public var description: String {
            switch self {
            case .unreachable(let why): "unreachable (\(why))"
            case .timeout: "no answer in time"
            case .transport(let why): "connection failed (\(why))"
            }
        }
    }

    /// Largest answer read (a bigger one is a transport failure, not a memory problem).
    public static let maxAnswerBytes = 64 << 20

    /// Sends the request. Throws ``Failure``, or `CancellationError` when the task is cancelled.
    ///
    /// One client for the process, on SwiftNIO (AsyncHTTPClient): Foundation's URLSession on Linux
    /// lost wake-ups under load here (tests waited forever for answers that had arrived), so no
    /// MotCua code uses it.
    public func send() async throws -> Answer {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        if let bodyFile { request.body = try Self.stream(bodyFile) }
        let deadline = NIODeadline.now() + .milliseconds(Int64((timeout * 1000).rounded(.up)))
        do {
            let response = try await Self.client.execute(request, deadline: deadline)
            let bytes = try await response.body.collect(upTo: Self.maxAnswerBytes)
            return Answer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: Data(bytes.readableBytesView))
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            throw Self.failure(error)
        }
    }

    /// Sends the request and writes a 2xx answer's body to `file` as it arrives (any size); any
    /// other answer's body is returned as usual and nothing is written.
    public func download(to file: URL) async throws -> Answer {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        let deadline = NIODeadline.now() + .milliseconds(Int64((timeout * 1000).rounded(.up)))
        do {
            let response = try await Self.client.execute(request, deadline: deadline)
            let headers = response.headers.map { ($0.name, $0.value) }
            guard (200..<300).contains(response.status.code) else {
                let bytes = try await response.body.collect(upTo: 1 << 20)
                return Answer(status: Int(response.status.code), headers: headers, body: Data(bytes.readableBytesView))
            }
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else { throw Failure.transport("cannot create \(file.path)") }
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            for try await chunk in response.body { try handle.write(contentsOf: Data(chunk.readableBytesView)) }
            return Answer(status: Int(response.status.code), headers: headers, body: Data())
        } catch let f as Failure {
            throw f
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            throw Self.failure(error)
        }
    }

    static func stream(_ file: URL) throws -> HTTPClientRequest.Body {
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        let handle = try FileHandle(forReadingFrom: file)
        let chunks = AsyncThrowingStream<ByteBuffer, any Error>(unfolding: {
            guard let data = try handle.read(upToCount: 256 << 10), !data.isEmpty else {
                try? handle.close()
                return nil
            }
            return ByteBuffer(bytes: data)
        })
        return .stream(chunks, length: .known(Int64(size)))
    }

    static func failure(_ error: any Error) -> Failure {
        if let e = error as? HTTPClientError {
            if e == .deadlineExceeded || e == .readTimeout || e == .writeTimeout { return .timeout }
            if e == .connectTimeout { return .unreachable("connect timeout") }
            return .transport(String(describing: e))
        }
        if let e = error as? NIOConnectionError {
            return .unreachable(e.connectionErrors.first.map { String(describing: $0.error) } ?? (e.dnsAError ?? e.dnsAAAAError).map { String(describing: $0) } ?? "cannot connect")
        }
        if let e = error as? IOError, [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL].contains(e.errnoCode) {
            return .unreachable(String(describing: e))
        }
        if let e = error as? ChannelError, case .connectTimeout = e { return .unreachable("connect timeout") }
        return .transport(String(describing: error))
    }

    /// Fails a request at once when no connection can be made (the callers retry with their own
    /// backoff and tell "unreachable" from "slow"); connections are kept for reuse.
    static let client: HTTPClient = {
        var c = HTTPClient.Configuration()
        c.connectionPool.retryConnectionEstablishment = false
        c.timeout = .init(connect: .seconds(10))
        c.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: c)
    }()
}
