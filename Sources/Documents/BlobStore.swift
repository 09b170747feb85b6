// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation

/// A stored blob: its content address and size.
public struct BlobRef: Sendable, Hashable, Codable {
    public let sha256: String
    public let size: Int

    public init(sha256: String, size: Int) {
        self.sha256 = sha256
        self.size = size
    }
}

/// Where scans and PDFs live, addressed by their SHA-256. Callers never see paths, so an
/// S3-compatible store can replace the file store without touching them.
public protocol BlobStore: Sendable {
    /// Moves a staged file into the store (or drops it when the same bytes are already stored).
    func adopt(_ staged: StagedFile) async throws -> BlobRef
    /// A local file with the blob's bytes, for tools that need a path (OCR, inspection).
    func localURL(_ sha256: String) async throws -> URL
    func exists(_ sha256: String) async throws -> Bool
    /// Deletes a blob. Callers delete only blobs no dossier references (see DocumentService).
    func delete(_ sha256: String) async throws
}

/// A file being received: bytes go to a temporary file while the SHA-256 and size are computed,
/// so memory does not grow with the upload and the hash is known without a second read.
public final class StagedFile: @unchecked Sendable {
    public let url: URL
    private let handle: FileHandle
    private var hasher = SHA256()
    public private(set) var size = 0
    /// The first bytes, for content sniffing.
    public private(set) var head: [UInt8] = []
    private var finished: BlobRef?

    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        url = directory.appendingPathComponent("upload-\(UUID().uuidString).part")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if head.count < 16 { head += bytes.prefix(16 - head.count) }
        hasher.update(bufferPointer: bytes)
        size += bytes.count
        try handle.write(contentsOf: bytes)
    }

    /// Flushes to disk and returns the content address.
    public func finish() throws -> BlobRef {
        if let f = finished { return f }
        try handle.synchronize()
        try handle.close()
        let digest = Digits.hex(hasher.finalize())
        let ref = BlobRef(sha256: digest, size: size)
        finished = ref
        return ref
    }

    /// Removes the temporary file (after a refusal or once adopted).
    public func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }
}

/// Content-addressed files under a directory: `ab/cd/abcd…`. A blob appears only by an atomic
/// rename of a complete, fsynced file, so it is never half-visible; the same bytes are stored once.
public struct FileBlobStore: BlobStore {
    public let root: URL

    public init(root: URL) throws {
        self.root = root
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// The staging directory inside the store (same file system, so rename is atomic).
    public var stagingDirectory: URL { root.appendingPathComponent("staging") }

    func path(_ sha: String) -> URL {
        let a = sha.prefix(2)
        let b = sha.dropFirst(2).prefix(2)
        return root.appendingPathComponent(String(a)).appendingPathComponent(String(b)).appendingPathComponent(sha)
    }

    public func adopt(_ staged: StagedFile) async throws -> BlobRef {
        let ref = try staged.finish()
        let target = path(ref.sha256)
        if FileManager.default.fileExists(atPath: target.path) {
            staged.discard()
            return ref
        }
        let dir = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if rename(staged.url.path, target.path) != 0 {
            let e = errno
            staged.discard()
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path, NSLocalizedDescriptionKey: "rename failed: errno \(e)"])
        }
        // Make the rename itself durable.
        let fd = open(dir.path, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        return ref
    }

    public func localURL(_ sha256: String) async throws -> URL {
        let p = path(sha256)
        guard FileManager.default.fileExists(atPath: p.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: p.path])
        }
        return p
    }

    public func exists(_ sha256: String) async throws -> Bool { FileManager.default.fileExists(atPath: path(sha256).path) }

    public func delete(_ sha256: String) async throws {
        try? FileManager.default.removeItem(at: path(sha256))
    }
}
