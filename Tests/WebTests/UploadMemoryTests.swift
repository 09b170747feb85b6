// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Testing

/// A real server process and a real 200 MB upload: the body is streamed to disk and refused at
/// the limit, and the server's peak memory does not grow by anything near the upload's size.
@Suite("Upload limits on a live server")
struct UploadMemoryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Peak resident memory of a process in MiB (VmHWM).
    static func peakMiB(_ pid: Int32) throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kb = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { throw TestFailure("no VmHWM for \(pid)") }
        return kb / 1024
    }

    @Test("a 200 MB upload is refused at a 20 MB limit without the server's memory growing near that")
    func twoHundredMegabytes() async throws {
        let binary = Self.root.appendingPathComponent(".build/debug/motcua")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the motcua binary first (swift build)")
        try #require(!(try await Shell.run("command -v curl")).isEmpty, "install curl")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-upload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = try FreePort.take()
        let env = ["MOTCUA_DATA_DIR": dir.path, "MOTCUA_MAX_UPLOAD_MB": "20", "MOTCUA_SECOND_FACTOR": "optional"]
        _ = try await Shell.run("\(binary.path) demo --dossiers 0 >/dev/null", env: env)

        let server = try LiveServer(binary: binary, port: port, env: env, dir: dir)
        defer { server.stop() }
        try await server.ready()
        let base = server.base
        let token = try await Shell.run(
            #"curl -s -X POST \#(base)/api/v1/auth/token -H 'content-type: application/json' -d '{"username":"motcua.0002003h99","password":"demo"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/'"#)
        try #require(token.count == 64, "sign-in failed: \(token)")
        let created = try await Shell.run(
            #"curl -s -X POST \#(base)/api/v1/dossiers -H "authorization: Bearer \#(token)" -H 'content-type: application/json' -d '{"procedureCode":"1.001193","channel":"window","receivingUnit":"000.20.03.H99","applicant":{"idNumber":"001190012345","fullName":"Phạm Thị Hoa"}}'"#)
        let code = try #require(created.split(separator: "\"").drop { $0 != "code" }.dropFirst(2).first.map(String.init), "create failed: \(created)")
        let before = try Self.peakMiB(server.process.processIdentifier)
        // A "PDF" of 200 MB streamed from /dev/zero inside a multipart body.
        let status = try await Shell.run(
            #"""
            { printf -- '--BOUNDARY\r\nContent-Disposition: form-data; name="componentCode"\r\n\r\nTK\r\n--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n%%PDF-1.7\n'; head -c 209715200 /dev/zero; printf -- '\r\n--BOUNDARY--\r\n'; } \
            | curl -s -o /dev/null -w '%{http_code}' -X POST \#(base)/api/v1/dossiers/\#(code)/components \
              -H "authorization: Bearer \#(token)" -H 'content-type: multipart/form-data; boundary=BOUNDARY' -H 'Expect:' --data-binary @-
            """#)
        let after = try Self.peakMiB(server.process.processIdentifier)
        #expect(status == "413", "status \(status)")
        #expect(after - before < 64, "peak memory grew from \(before) MiB to \(after) MiB")
        // Nothing was stored, and nothing is left in staging.
        let list = try await Shell.run(#"curl -s \#(base)/api/v1/dossiers/\#(code)/components -H "authorization: Bearer \#(token)""#)
        #expect(list.contains("\"items\":[]"), "\(list)")
        let staging = dir.appendingPathComponent("blobs/staging")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: staging.path)) ?? []).isEmpty)
    }
}
