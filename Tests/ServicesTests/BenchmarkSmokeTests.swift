// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Foundation
import Services
import Testing

/// The benchmark commands run end to end at a tiny scale and clean up after themselves
/// (figures are recorded in docs/BENCHMARKS.md, never asserted here).
@Suite("Benchmarks (smoke)")
struct BenchmarkSmokeTests {
    @Test("intake and search benchmarks complete on a small scale", arguments: TestDB.available)
    func smoke(db: TestDB) async throws {
        let url = db == .postgres ? TestDB.postgresURL : nil
        let intake = try await IntakeBenchmark.run(dossiers: 40, concurrency: 4, channel: .online, postgresURL: url) { _ in }
        #expect(intake.dossiers == 40)
        #expect(intake.database == db.rawValue)
        let search = try await SearchBenchmark.run(dossiers: 600, queries: 10, postgresURL: url) { _ in }
        #expect(search.queries == 10)
        #expect(search.averageHits > 0)
        // Receipts unsigned and signed; the benchmark throws if its own signature does not verify.
        let receipt = try await ReceiptBenchmark.run(count: 2, postgresURL: url) { _ in }
        #expect(receipt.receipts == 2)
    }
}
