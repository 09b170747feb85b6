// SPDX-License-Identifier: Apache-2.0
import Foundation
import Signing
#if canImport(Glibc)
import Glibc
#endif
import Testing
import X509

/// PAdES B-T against a real RFC 3161 TSA: `openssl ts -reply` behind a small Python HTTP server
/// on 127.0.0.1, with a TSA certificate from a test CA made by `openssl`. pyHanko and MotCua's
/// verifier judge the result.
@Suite(.serialized)
struct TimestampTests {
    typealias Tools = PDFSignerTests

    /// A running local TSA. `stop()` ends the server process (by its PID) and removes the files.
    final class LocalTSA {
        let dir: URL
        let process: Process
        let port: Int
        var url: URL { URL(string: "http://127.0.0.1:\(port)/")! }
        var caPEM: URL { dir.appendingPathComponent("tsaca.pem") }
        var ca: Certificate { get throws { try Certificate(pemEncoded: String(contentsOf: caPEM, encoding: .utf8)) } }

        func url(path: String) -> URL { URL(string: "http://127.0.0.1:\(port)/\(path)")! }

        init(dir: URL, process: Process, port: Int) {
            self.dir = dir
            self.process = process
            self.port = port
        }

        /// The requests the server saw, one `path content-type` line each.
        func requests() throws -> [String] {
            let log = dir.appendingPathComponent("requests.log")
            guard FileManager.default.fileExists(atPath: log.path) else { return [] }
            return try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
        }

        /// SIGKILL to this server's PID: the child inherits the test runner's signal mask, in
        /// which SIGTERM is blocked, so `terminate()` would be ignored and the wait never end.
        func stop() {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: dir)
        }
    }

    /// The server: every POST is handed to `openssl ts -reply`. Two paths misbehave on purpose, to
    /// test the client: `/other` answers for a different query (wrong imprint and nonce), and
    /// `/replay` answers every request with the reply it made for the first one (stale nonce).
    static let serverScript = #"""
        import http.server, os, subprocess, sys, tempfile, threading

        directory = sys.argv[1]
        cached = {}

        # Exit when stdin reaches end of file, i.e. when the test process is gone, so a crashed
        # or killed test run never leaves the server behind.
        def watch_parent():
            sys.stdin.buffer.read()
            os._exit(0)
        threading.Thread(target=watch_parent, daemon=True).start()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with open(os.path.join(directory, "requests.log"), "a") as log:
                    log.write("%s %s\n" % (self.path, self.headers.get("Content-Type")))
                if self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(415)
                    return
                if self.path == "/replay" and "replay" in cached:
                    reply = cached["replay"]
                else:
                    with tempfile.TemporaryDirectory() as work:
                        query = os.path.join(work, "query.tsq")
                        if self.path == "/other":
                            subprocess.run(["openssl", "ts", "-query", "-data", os.path.join(directory, "ts.cnf"),
                                            "-sha256", "-cert", "-out", query], check=True, capture_output=True)
                        else:
                            with open(query, "wb") as f:
                                f.write(body)
                        out = os.path.join(work, "reply.tsr")
                        done = subprocess.run(["openssl", "ts", "-reply", "-config", "ts.cnf", "-queryfile", query,
                                               "-out", out], cwd=directory, capture_output=True)
                        if done.returncode != 0:
                            sys.stderr.write(done.stderr.decode())
                            self.send_error(500)
                            return
                        with open(out, "rb") as f:
                            reply = f.read()
                    cached.setdefault(self.path.strip("/"), reply)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        # Port 0: the kernel picks a free port, reported on the ready line.
        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        print("READY %d" % server.server_address[1], flush=True)
        server.serve_forever()
        """#

    /// Makes the TSA's CA and certificate with openssl (TSA key RSA-2048, CA key P-256), writes
    /// the `openssl ts` configuration and the server script, starts the server and waits for
    /// its ready line.
    static func startTSA() throws -> LocalTSA {
        try Tools.requireTool("openssl", package: "the Debian package openssl")
        try Tools.requireTool("python3", package: "the Debian package python3")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tsa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Tools.run([
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "tsaca.key",
            "-out", "tsaca.pem", "-days", "30", "-utf8", "-subj", "/C=VN/O=MotCua Test/CN=MotCua Test TSA CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ], in: dir)
        // RFC 3161 §2.3: the TSA certificate's only extended key usage is timeStamping, critical.
        try """
            basicConstraints=CA:FALSE
            keyUsage=critical,digitalSignature,nonRepudiation
            extendedKeyUsage=critical,timeStamping
            subjectKeyIdentifier=hash
            authorityKeyIdentifier=keyid

            """.write(to: dir.appendingPathComponent("tsa.ext"), atomically: true, encoding: .utf8)
        try Tools.run([
            "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr", "-utf8",
            "-subj", "/C=VN/O=MotCua Test/CN=MotCua Test TSA",
        ], in: dir)
        try Tools.run([
            "openssl", "x509", "-req", "-in", "tsa.csr", "-CA", "tsaca.pem", "-CAkey", "tsaca.key", "-CAcreateserial",
            "-days", "30", "-sha256", "-extfile", "tsa.ext", "-out", "tsa.pem",
        ], in: dir)
        try """
            [ tsa ]
            default_tsa = tsa_config
            [ tsa_config ]
            serial = ./tsaserial
            crypto_device = builtin
            signer_cert = ./tsa.pem
            certs = ./tsaca.pem
            signer_key = ./tsa.key
            signer_digest = sha256
            default_policy = 1.3.6.1.4.1.99999.1
            digests = sha256, sha384, sha512
            accuracy = secs:1
            ordering = no
            tsa_name = yes
            ess_cert_id_chain = no
            ess_cert_id_alg = sha256

            """.write(to: dir.appendingPathComponent("ts.cnf"), atomically: true, encoding: .utf8)
        try "01\n".write(to: dir.appendingPathComponent("tsaserial"), atomically: true, encoding: .utf8)
        try serverScript.write(to: dir.appendingPathComponent("tsa_server.py"), atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", dir.appendingPathComponent("tsa_server.py").path, dir.path]
        let stdout = Pipe()
        process.standardOutput = stdout
        // Held open by this process only; its end of file tells the server to quit.
        process.standardInput = Pipe()
        // stderr to a file: a pipe nobody drains could fill up and stall the server.
        let errorLog = dir.appendingPathComponent("server.err")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errorLog)
        try process.run()

        // Blocking reads until the ready line: no polling interval, no sleep.
        var received = Data()
        while !received.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty {  // end of file: the server died before it was ready
                process.waitUntilExit()
                let why = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
                throw Tools.ToolFailure(description: "the TSA server exited before it was ready:\n\(why)")
            }
            received += chunk
        }
        let line = String(decoding: received, as: UTF8.self).split(separator: "\n")[0]
        guard line.hasPrefix("READY "), let port = Int(line.dropFirst(6)) else {
            process.terminate()
            process.waitUntilExit()
            throw Tools.ToolFailure(description: "unexpected TSA server output: \(line)")
        }
        return LocalTSA(dir: dir, process: process, port: port)
    }

    /// The RFC 3339 time the report gives, back to a `Date`.
    static func date(_ iso: String?) -> Date? {
        iso.flatMap { ISO8601DateFormatter().date(from: $0) }
    }

    // MARK: - Tests

    @Test func aTimestampFromALocalTSAIsEmbeddedAndRecognised() async throws {
        try Tools.requireTool("pyhanko", package: "the PyPI packages pyhanko pyhanko-certvalidator pyhanko-cli")
        let tsa = try Self.startTSA()
        defer { tsa.stop() }
        let dir = try DevPKITests.makeDevPKI()
        defer { try? FileManager.default.removeItem(at: dir) }
        let an = try #require(try DevPKI.identity(in: dir, username: "an"))
        let binh = try #require(try DevPKI.identity(in: dir, username: "binh"))

        // Whole seconds: genTime has a one-second accuracy here.
        let before = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let once = try await PDFSigner.sign(
            pdf: Tools.samplePDF(), certificateChain: an.chain, privateKey: an.privateKey, signerName: an.name,
            reason: "Tiếp nhận hồ sơ", location: "UBND Phường Sơn Hà", at: Date(),
            timestampAuthority: TimestampAuthority(url: tsa.url))
        let after = Date()
        // A second, untimestamped signature on top: B-B and B-T side by side.
        let twice = try PDFSigner.sign(
            pdf: once, certificateChain: binh.chain, privateKey: binh.privateKey, signerName: binh.name,
            reason: "Phê duyệt", location: nil, at: Date())
        #expect(try tsa.requests() == ["/ application/timestamp-query"])

        let anchors = try DevPKI.trustAnchors(in: dir) + [try tsa.ca]
        let report = PDFVerifier.verify(pdf: twice, trustAnchors: anchors)
        print(String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
        #expect(report.valid)
        let stamp = try #require(report.signatures[0].timestamp)
        #expect(stamp.imprintMatches)
        #expect(stamp.signatureValid)
        #expect(stamp.trusted)
        #expect(stamp.problems.isEmpty)
        #expect(stamp.authority?.contains("CN=MotCua Test TSA") == true)
        #expect(stamp.chain.count == 2)
        let time = try #require(Self.date(stamp.time))
        #expect(time >= before && time <= after)
        #expect(report.signatures[1].timestamp == nil)

        // Without the TSA's CA the timestamp is reported untrusted, but the signatures stay valid.
        let untrusted = PDFVerifier.verify(pdf: twice, trustAnchors: try DevPKI.trustAnchors(in: dir))
        #expect(untrusted.valid)
        let unanchored = try #require(untrusted.signatures[0].timestamp)
        #expect(unanchored.imprintMatches && unanchored.signatureValid && !unanchored.trusted)
        #expect(unanchored.problems == ["the TSA certificate does not chain to a trusted anchor"])

        // OpenSSL sees the unsigned attribute and still verifies the signer's CMS.
        let (cms, content) = try Tools.lastCMS(once)
        try cms.write(to: dir.appendingPathComponent("sig.der"))
        try content.write(to: dir.appendingPathComponent("content.bin"))
        let dump = try Tools.run(["openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", "sig.der"], in: dir).output
        #expect(dump.contains("id-smime-aa-timeStampToken"))
        let verified = try Tools.run(
            [
                "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der", "-content", "content.bin",
                "-CAfile", "ca.cert.pem", "-purpose", "any", "-out", "/dev/null",
            ], in: dir, allowFailure: true)
        #expect(verified.output.contains("Verification successful"))

        // pyHanko: both signatures intact and trusted, and the first one's timestamp recognised.
        let file = dir.appendingPathComponent("signed.pdf")
        try twice.write(to: file)
        let hanko = try Tools.run(
            [
                "pyhanko", "sign", "validate", "--pretty-print", "--trust-replace", "--trust", dir.appendingPathComponent("ca.cert.pem").path,
                "--trust", tsa.caPEM.path, file.path,
            ], allowFailure: true)
        print(hanko.output)
        #expect(hanko.status == 0)
        #expect(hanko.output.contains("Signature timestamp token: "))
        #expect(hanko.output.contains("The timestamp token is cryptographically sound."))
        #expect(hanko.output.contains("The TSA certificate is trusted."))
        #expect(hanko.output.contains("TSA certificate subject: \"Common Name: MotCua Test TSA"))
        let summary = try Tools.run(
            [
                "pyhanko", "sign", "validate", "--trust-replace", "--trust", dir.appendingPathComponent("ca.cert.pem").path,
                "--trust", tsa.caPEM.path, file.path,
            ], allowFailure: true)
        print(summary.output)
        let lines = summary.output.split(separator: "\n").filter { $0.hasPrefix("Signature") }
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains(":INTACT:TRUSTED") })
        #expect(lines.first?.contains("TIMESTAMP_TOKEN<INTACT:TRUSTED>") == true)
    }

    @Test func aTamperedTimestampMakesTheSignatureInvalid() async throws {
        let tsa = try Self.startTSA()
        defer { tsa.stop() }
        let dir = try DevPKITests.makeDevPKI()
        defer { try? FileManager.default.removeItem(at: dir) }
        let an = try #require(try DevPKI.identity(in: dir, username: "an"))
        let signed = try await PDFSigner.sign(
            pdf: Tools.samplePDF(), certificateChain: an.chain, privateKey: an.privateKey, signerName: an.name,
            reason: nil, location: nil, at: Date(), timestampAuthority: TimestampAuthority(url: tsa.url))

        // The token sits in /Contents, outside the signed byte range: changing its genTime breaks
        // only the token's own signature, which the verifier must notice.
        var bytes = [UInt8](signed)
        let start = try #require(VerifierTests.find("/Contents <", in: bytes)) + "/Contents <".utf8.count
        let hex = bytes[start..<(start + PDFSigner.reservedSignatureSize * 2)]
        let der = stride(from: 0, to: hex.count, by: 2).map {
            UInt8(String(decoding: hex[(start + $0)...(start + $0 + 1)], as: UTF8.self), radix: 16)!
        }
        // The first GeneralizedTime (tag 0x18, 15 to 19 characters, "20…") is the TSTInfo's genTime:
        // certificates and openssl's signing-time attribute use UTCTime before 2050.
        func isGeneralizedTime(_ i: Int) -> Bool {
            der[i] == 0x18 && (0x0F...0x13).contains(der[i + 1]) && der[i + 2] == 0x32 && der[i + 3] == 0x30
        }
        let tag = try #require((0..<(der.count - 4)).first(where: isGeneralizedTime))
        let yearDigit = tag + 5  // "2026": the last digit
        let changed = der[yearDigit] == UInt8(ascii: "1") ? "32" : "31"  // the hex of "2" or "1"
        bytes.replaceSubrange((start + 2 * yearDigit)...(start + 2 * yearDigit + 1), with: Array(changed.utf8))
        let anchors = try DevPKI.trustAnchors(in: dir) + [try tsa.ca]
        let report = PDFVerifier.verify(pdf: Data(bytes), trustAnchors: anchors)
        print(report.reasons)
        #expect(!report.valid)
        let stamp = try #require(report.signatures.first?.timestamp)
        #expect(stamp.imprintMatches)
        #expect(!stamp.signatureValid)
        #expect(report.signatures[0].intact)
        #expect(report.reasons.count == 1)
        #expect(report.reasons == ["signature 1: the signature timestamp is invalid (the timestamp token: its TSTInfo was altered (digest mismatch))"])
    }

    @Test func theClientRefusesAnswersThatDoNotMatchItsRequest() async throws {
        let tsa = try Self.startTSA()
        defer { tsa.stop() }  // stopping twice is harmless
        let dir = try DevPKITests.makeDevPKI()
        defer { try? FileManager.default.removeItem(at: dir) }
        // RSA PKCS#1 v1.5 signatures are deterministic: signing the same bytes twice gives the same
        // signature value, hence the same imprint, so only the nonce tells the replies apart.
        try DevPKI.issue(in: dir, username: "chi", fullName: "Lê Minh Chí", unit: nil, now: Date(), algorithm: .rsa2048)
        let chi = try #require(try DevPKI.identity(in: dir, username: "chi"))
        let pdf = try Tools.samplePDF()
        let date = Date()
        func sign(_ path: String) async throws -> Data {
            try await PDFSigner.sign(
                pdf: pdf, certificateChain: chi.chain, privateKey: chi.privateKey, signerName: chi.name,
                reason: nil, location: nil, at: date, timestampAuthority: TimestampAuthority(url: tsa.url(path: path)))
        }

        await #expect(throws: TimestampError.imprintMismatch) { try await sign("other") }
        let first = try await sign("replay")
        #expect(PDFVerifier.verify(pdf: first, trustAnchors: try DevPKI.trustAnchors(in: dir)).valid)
        await #expect(throws: TimestampError.nonceMismatch) { try await sign("replay") }
        #expect(try tsa.requests().count == 3)

        // With the server gone the port refuses connections: a transport error, not a hang.
        tsa.stop()
        await #expect {
            try await sign("")
        } throws: { error in
            guard case TimestampError.transport = error else { return false }
            return true
        }
    }
}
