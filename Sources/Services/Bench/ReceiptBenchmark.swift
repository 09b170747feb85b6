// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// `motcua bench receipt`: Mẫu 01 receipts generated per second through the service (dossier read,
/// access log, layout, fonts embedded, QR), against reading the same dossier alone.
public enum ReceiptBenchmark {
    public struct Result: Codable, Sendable {
        public let benchmark: String
        public let database: String
        public let receipts: Int
        public let receiptsPerSecond: Double
        public let p50Ms: Double
        public let averageBytes: Int
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
                latencies.append(Double(dt.components.seconds) * 1000 + Double(dt.components.attoseconds) / 1e15)
            }
            let secs = Date().timeIntervalSince(t0)
            let r0 = Date()
            for _ in 0..<n { _ = try await app.dossiers.get(code: d.dossier.code, by: officer, purpose: "bench") }
            let readSecs = Date().timeIntervalSince(r0)
            latencies.sort()
            return Result(
                benchmark: "receipt", database: label, receipts: n, receiptsPerSecond: Double(n) / secs, p50Ms: latencies[latencies.count / 2],
                averageBytes: bytes / n, readsPerSecond: Double(n) / readSecs)
        }
    }
}
