// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation
import Network

/// Blobs in an S3-compatible object store (path-style: `<endpoint>/<bucket>/blobs/ab/cd/<sha256>`),
/// for a province whose instances share no disk. Objects are written once under their content
/// address; the payload hash S3 asks for is that address, so nothing is read twice. Tools that
/// need a path (OCR) get a local copy, checked against the address, kept in a cache directory.
public struct S3BlobStore: BlobStore {
    public struct Settings: Sendable, Equatable {
        public var endpoint: URL
        public var bucket: String
        public var region: String
        public var accessKey: String
        public var secretKey: String

        public init(endpoint: URL, bucket: String, region: String, accessKey: String, secretKey: String) {
            self.endpoint = endpoint
            self.bucket = bucket
            self.region = region
            self.accessKey = accessKey
            self.secretKey = secretKey
        }
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public let settings: Settings
    let signer: SigV4
    /// Local copies for `localURL` (and the staging of uploads).
    public let cache: URL

    public init(_ settings: Settings, cache: URL) throws {
        self.settings = settings
        self.signer = SigV4(accessKey: settings.accessKey, secretKey: settings.secretKey, region: settings.region)
        self.cache = cache
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
    }

    func objectURL(_ sha: String) -> URL {
        settings.endpoint.appendingPathComponent(settings.bucket).appendingPathComponent("blobs/\(sha.prefix(2))/\(sha.dropFirst(2).prefix(2))/\(sha)")
    }

    func call(_ method: String, _ url: URL, payloadHash: String = SigV4.emptyPayload, headers: [(String, String)] = []) -> HTTPCall {
        var c = HTTPCall(url: url, method: method, timeout: 120)
        for (k, v) in headers + signer.sign(method: method, url: url, headers: headers, payloadHash: payloadHash, at: Date()) { c.setHeader(k, v) }
        return c
    }

    func send(_ c: HTTPCall, _ what: String) async throws -> HTTPCall.Answer {
        do { return try await c.send() } catch let f as HTTPCall.Failure { throw Failure(description: "the object store is \(f) (\(what))") }
    }

    /// Checks the bucket, and creates it only when it is not there (keys without the right to
    /// create buckets work with an existing one; 409 means another instance just made it).
    public func ensureBucket() async throws {
        let url = settings.endpoint.appendingPathComponent(settings.bucket)
        let head = try await send(call("HEAD", url), "looking for bucket \(settings.bucket)")
        if head.status == 200 { return }
        guard head.status == 404 else {
            throw Failure(description: "the object store answered HTTP \(head.status) for bucket \(settings.bucket); check MOTCUA_S3_* and the keys' rights (ListBucket, GetObject, PutObject, DeleteObject)")
        }
        let a = try await send(call("PUT", url), "creating bucket \(settings.bucket)")
        guard (200..<300).contains(a.status) || a.status == 409 else {
            throw Failure(description: "the object store refused to create bucket \(settings.bucket): HTTP \(a.status) \(String(decoding: a.body.prefix(300), as: UTF8.self))")
        }
    }

    public func adopt(_ staged: StagedFile) async throws -> BlobRef {
        let ref = try staged.finish()
        defer { staged.discard() }
        if try await exists(ref.sha256) { return ref }
        var put = call("PUT", objectURL(ref.sha256), payloadHash: ref.sha256, headers: [("content-type", "application/octet-stream")])
        put.bodyFile = staged.url
        let a = try await send(put, "storing \(ref.sha256)")
        guard (200..<300).contains(a.status) else {
            throw Failure(description: "the object store refused \(ref.sha256): HTTP \(a.status) \(String(decoding: a.body.prefix(300), as: UTF8.self))")
        }
        return ref
    }

    public func localURL(_ sha256: String) async throws -> URL {
        let local = cache.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256)
        if FileManager.default.fileExists(atPath: local.path) { return local }
        try FileManager.default.createDirectory(at: local.deletingLastPathComponent(), withIntermediateDirectories: true)
        let part = local.appendingPathExtension("part-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: part) }
        let a: HTTPCall.Answer
        do { a = try await call("GET", objectURL(sha256)).download(to: part) } catch let f as HTTPCall.Failure {
            throw Failure(description: "the object store is \(f) (reading \(sha256))")
        }
        guard a.status == 200 else {
            if a.status == 404 { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: objectURL(sha256).path]) }
            throw Failure(description: "the object store answered HTTP \(a.status) for \(sha256)")
        }
        // What comes back must be what was stored.
        let handle = try FileHandle(forReadingFrom: part)
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        try handle.close()
        guard Digits.hex(hasher.finalize()) == sha256 else { throw Failure(description: "the object store returned other bytes for \(sha256)") }
        if rename(part.path, local.path) != 0, !FileManager.default.fileExists(atPath: local.path) {
            throw Failure(description: "cannot keep a local copy of \(sha256) in \(cache.path)")
        }
        return local
    }

    public func exists(_ sha256: String) async throws -> Bool {
        let a = try await send(call("HEAD", objectURL(sha256)), "looking for \(sha256)")
        if a.status == 404 { return false }
        guard a.status == 200 else { throw Failure(description: "the object store answered HTTP \(a.status) looking for \(sha256)") }
        return true
    }

    public func delete(_ sha256: String) async throws {
        let a = try await send(call("DELETE", objectURL(sha256)), "deleting \(sha256)")
        guard (200..<300).contains(a.status) || a.status == 404 else { throw Failure(description: "the object store answered HTTP \(a.status) deleting \(sha256)") }
        try? FileManager.default.removeItem(at: cache.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256))
    }
}
