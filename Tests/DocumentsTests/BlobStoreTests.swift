// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Crypto
import Documents
import Domain
import Foundation
import Testing

/// One contract, two stores: the file store and the S3 store (against moto's S3-compatible
/// server, started here), and AWS's own example for the signature.
@Suite("Blob stores")
struct BlobStoreTests {
    enum Kind: String, CaseIterable, Sendable { case file, s3 }

    /// A store of `kind` in a fresh place, and a staging directory for uploads.
    func withStore(_ kind: Kind, _ body: (any BlobStore, URL) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-blobs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let staging = dir.appendingPathComponent("staging")
        switch kind {
        case .file:
            try await body(try FileBlobStore(root: dir.appendingPathComponent("blobs")), staging)
        case .s3:
            // The python3 on PATH (the one ensure-packages.sh installed moto into), by its real path,
            // so that stopping it stops the server and not a launcher in front of it.
            let python = try await Shell.run("python3 -c 'import moto.server, flask, sys; print(sys.executable)'").trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(python.hasPrefix("/"), "moto[server] is missing: scripts/ensure-packages.sh test installs it from PyPI")
            let port = try FreePort.take()
            let moto = Process()
            moto.executableURL = URL(fileURLWithPath: python)
            moto.arguments = ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
            moto.standardInput = FileHandle.nullDevice
            moto.standardOutput = FileHandle.nullDevice
            moto.standardError = FileHandle.nullDevice
            try moto.run()
            // SIGKILL: a child of the test process inherits its blocked signals, so moto would
            // never see SIGTERM or SIGINT.
            defer { kill(moto.processIdentifier, SIGKILL) }
            let up = try await Shell.run("curl -s -o /dev/null -w '%{http_code}' --retry 60 --retry-connrefused --retry-delay 1 --retry-max-time 90 http://127.0.0.1:\(port)/", seconds: 120)
            try #require(up.hasPrefix("2") || up.hasPrefix("4"), "moto did not start: \(up)")
            let store = try S3BlobStore(
                .init(endpoint: URL(string: "http://127.0.0.1:\(port)")!, bucket: "motcua-test", region: "us-east-1", accessKey: "test", secretKey: "test"),
                cache: dir.appendingPathComponent("cache"))
            try await store.ensureBucket()
            try await store.ensureBucket()  // idempotent
            try await body(store, staging)
        }
    }

    func stage(_ bytes: [UInt8], in dir: URL) throws -> StagedFile {
        let f = try StagedFile(directory: dir)
        try bytes.withUnsafeBytes { try f.write($0) }
        return f
    }

    @Test("adopt, find, read back, store the same bytes once, delete; a missing blob is missing", arguments: Kind.allCases)
    func contract(kind: Kind) async throws {
        try await withStore(kind) { store, staging in
            var g = SystemRandomNumberGenerator()
            let bytes = (0..<(3 << 20)).map { _ in UInt8.random(in: 0...255, using: &g) }
            let sha = Digits.hex(SHA256.hash(data: bytes))
            let staged = try stage(bytes, in: staging)
            let ref = try await store.adopt(staged)
            #expect(ref == BlobRef(sha256: sha, size: bytes.count))
            #expect(!FileManager.default.fileExists(atPath: staged.url.path), "the staged file is gone once adopted")
            #expect(try await store.exists(sha))
            let readBack = try await store.localURL(sha)
            #expect(try Data(contentsOf: readBack) == Data(bytes))
            // The same bytes again: the same address, nothing new.
            let again = try await store.adopt(try stage(bytes, in: staging))
            #expect(again == ref)
            #expect(try await store.exists(sha))
            // A small and an empty blob.
            let small = try await store.adopt(try stage(Array("giấy khai sinh".utf8), in: staging))
            let smallURL = try await store.localURL(small.sha256)
            #expect(try String(contentsOf: smallURL, encoding: .utf8) == "giấy khai sinh")
            let empty = try await store.adopt(try stage([], in: staging))
            let emptyStored = try await store.exists(empty.sha256)
            #expect(empty.size == 0 && emptyStored)
            // Missing and deleted.
            let missing = String(repeating: "0", count: 64)
            #expect(try await !store.exists(missing))
            await #expect(throws: (any Error).self) { _ = try await store.localURL(missing) }
            try await store.delete(sha)
            #expect(try await !store.exists(sha))
            await #expect(throws: (any Error).self) { _ = try await store.localURL(sha) }
            try await store.delete(sha)  // deleting twice is harmless
            #expect(try await store.exists(small.sha256), "other blobs stay")
        }
    }

    @Test("SigV4: AWS's example (GET /test.txt with a range, 2013-05-24) gives AWS's signature")
    func signature() {
        let signer = SigV4(accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
        let headers = signer.sign(
            method: "GET", url: URL(string: "https://examplebucket.s3.amazonaws.com/test.txt")!, headers: [("Range", "bytes=0-9")],
            payloadHash: SigV4.emptyPayload, at: Date(timeIntervalSince1970: 1_369_353_600))
        let auth = headers.first { $0.0 == "Authorization" }?.1
        #expect(
            auth
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
        #expect(headers.contains { $0 == ("x-amz-date", "20130524T000000Z") })
    }
}
