// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// `motcua bench receipt`: Mẫu 01 receipts generated per second through the service (dossier read,
/// access log, layout, fonts embedded, QR), unsigned and signed (PAdES, ECDSA P-256 development
/// key), verifications per second of the signed slip, against reading the same dossier alone.
public enum ReceiptBenchmark {
    public struct Result: Codable, Sendable {
        public let benchmark: String
        public let database: String
        public let receipts: Int
        public let receiptsPerSecond: Double
        public let p50Ms: Double
        public let averageBytes: Int
        public let signedReceiptsPerSecond: Double
        public let signedP50Ms: Double
        public let verificationsPerSecond: Double
        public let readsPerSecond: Double
    }

    public static func run(count n: Int, postgresURL: String?, progress: @escaping @Sendable (String) -> Void) async throws -> Result {
        try await Scratch.with(postgresURL: postgresURL) { app, label in
            var catalog = try BundledData.catalog()
            catalog.units = DemoProvince.units
            try await app.catalog.importCatalog(catalog)
            let officer = Actor(username: "officer", roles: [.officer], unit: "000.20.03.H99")
            let d = try await app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: "000.20.03.H99",
                    applicant: Applicant(idNumber: "001090012345", fullName: "Nguyễn Thị Ngọc Ánh", phone: "0912345678", address: "12 Lê Lợi")),
                by: officer)
            progress("[\(label)] \(n) receipts of \(d.dossier.code)")
            var latencies: [Double] = []
            var bytes = 0
            let t0 = Date()
            for _ in 0..<n {
                let s = ContinuousClock.now
                bytes += try await app.forms.receipt(code: d.dossier.code, by: officer).count
                let dt = ContinuousClock.now - s
                latencies.append(dt.inMilliseconds)
            }
            let secs = Date().timeIntervalSince(t0)
            // The same, signed by the receiving officer with a development key.
            try await AccountStore.upsert(
                StoredUser(username: "officer", passwordHash: "-", fullName: "Cán bộ một cửa", roles: [.officer], unit: "000.20.03.H99", idNumber: nil),
                at: app.clock.now(), on: app.database)
            try await app.signatures.initDevelopmentPKI(authorityName: "MotCua Bench CA")
            var signedLatencies: [Double] = []
            var signed = Data()
            let s0 = Date()
            for _ in 0..<n {
                let s = ContinuousClock.now
                signed = try await app.forms.receipt(code: d.dossier.code, by: officer)
                let dt = ContinuousClock.now - s
                signedLatencies.append(dt.inMilliseconds)
            }
            let signedSecs = Date().timeIntervalSince(s0)
            let v0 = Date()
            for _ in 0..<n {
                guard try app.signatures.verify(signed).valid else { throw ServiceError.invalid(field: "signature", message: "the benchmark's own signature did not verify") }
            }
            let verifySecs = Date().timeIntervalSince(v0)
            let r0 = Date()
            for _ in 0..<n { _ = try await app.dossiers.get(code: d.dossier.code, by: officer, purpose: "bench") }
            let readSecs = Date().timeIntervalSince(r0)
            return Result(
                benchmark: "receipt", database: label, receipts: n, receiptsPerSecond: Double(n) / secs, p50Ms: percentile(latencies, 0.5),
                averageBytes: bytes / n, signedReceiptsPerSecond: Double(n) / signedSecs, signedP50Ms: percentile(signedLatencies, 0.5),
                verificationsPerSecond: Double(n) / verifySecs, readsPerSecond: Double(n) / readSecs)
        }
    }
}
