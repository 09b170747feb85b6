// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation
import PDF
import Signing

/// `motcua bench signing`: PAdES signatures per second with ECDSA P-256 and RSA-2048 keys, and
/// verifications per second of each, on a one-page form, against hashing the same bytes with
/// SHA-256 (what every signature and verification must do at least once).
public enum SigningBenchmark {
    public struct Result: Codable, Sendable {
        public let benchmark: String
        public let signatures: Int
        public let documentBytes: Int
        public let sha256PerSecond: Double
        public let p256SignaturesPerSecond: Double
        public let rsa2048SignaturesPerSecond: Double
        public let p256VerificationsPerSecond: Double
        public let rsa2048VerificationsPerSecond: Double
    }

    public static func run(count n: Int, progress: @escaping @Sendable (String) -> Void) async throws -> Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-bench-pki-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let now = Date()
        try DevPKI.createAuthority(in: dir, name: "MotCua Bench CA", now: now)
        try DevPKI.issue(in: dir, username: "ecdsa", fullName: "Cán bộ ECDSA", unit: "UBND xã Tân Lập", now: now, algorithm: .p256)
        try DevPKI.issue(in: dir, username: "rsa", fullName: "Lãnh đạo RSA", unit: "UBND xã Tân Lập", now: now, algorithm: .rsa2048)
        guard let p256 = try DevPKI.identity(in: dir, username: "ecdsa"), let rsa = try DevPKI.identity(in: dir, username: "rsa") else {
            throw ServiceError.invalid(field: "pki", message: "the benchmark could not load its own identities")
        }
        let anchors = try DevPKI.trustAnchors(in: dir)
        let pdf = try form()
        progress("signing a \(pdf.count)-byte form \(n) times per key type")
        func rate(_ body: () throws -> Void) rethrows -> Double {
            let t0 = ContinuousClock.now
            for _ in 0..<n { try body() }
            let dt = ContinuousClock.now - t0
            return Double(n) / dt.inSeconds
        }
        let hash = rate { _ = SHA256.hash(data: pdf) }
        var signedP256 = Data()
        var signedRSA = Data()
        let p256Rate = try rate {
            signedP256 = try PDFSigner.sign(pdf: pdf, certificateChain: p256.chain, privateKey: p256.privateKey, signerName: p256.name, reason: "bench", location: nil, at: now)
        }
        let rsaRate = try rate {
            signedRSA = try PDFSigner.sign(pdf: pdf, certificateChain: rsa.chain, privateKey: rsa.privateKey, signerName: rsa.name, reason: "bench", location: nil, at: now)
        }
        func verify(_ signed: Data) throws {
            guard PDFVerifier.verify(pdf: signed, trustAnchors: anchors, at: now).valid else {
                throw ServiceError.invalid(field: "signature", message: "the benchmark's own signature did not verify")
            }
        }
        let p256Verify = try rate { try verify(signedP256) }
        let rsaVerify = try rate { try verify(signedRSA) }
        return Result(
            benchmark: "signing", signatures: n, documentBytes: pdf.count, sha256PerSecond: hash, p256SignaturesPerSecond: p256Rate,
            rsa2048SignaturesPerSecond: rsaRate, p256VerificationsPerSecond: p256Verify, rsa2048VerificationsPerSecond: rsaVerify)
    }

    /// A one-page form like the ones MotCua signs (embedded subset font, PDF/A-2b).
    static func form() throws -> Data {
        let fonts = try FormService.fonts.get()
        var doc = PDFDocument(fonts: fonts, title: "Phiếu từ chối tiếp nhận giải quyết hồ sơ", creationDate: Date(timeIntervalSince1970: 1_795_000_000))
        doc.addPage()
        try doc.drawText("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", x: 400, y: 780, font: "bold", size: 10, alignment: .center)
        try doc.drawText("Độc lập - Tự do - Hạnh phúc", x: 400, y: 766, font: "bold", size: 10.5, alignment: .center)
        _ = try doc.drawParagraph(
            String(repeating: "Ủy ban nhân dân xã Tân Lập từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau. ", count: 12),
            x: 56, y: 700, width: 480, font: "regular", size: 10.5, leading: 15)
        return doc.data()
    }
}
