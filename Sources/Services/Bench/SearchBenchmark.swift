// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// `motcua bench search`: search latency over a large synthetic province (names, ID numbers,
/// phones, codes, OCR-like text), as a commune officer (scoped) and as an administrator, against
/// a primary-key look-up measured in the same run.
public enum SearchBenchmark {
    public struct Result: Codable, Sendable {
        public let benchmark: String
        public let database: String
        public let dossiers: Int
        public let loadSeconds: Double
        public let queries: Int
        public let scopedP50Ms: Double
        public let scopedP99Ms: Double
        public let provinceP50Ms: Double
        public let provinceP99Ms: Double
        public let keyLookupP50Ms: Double
        public let keyLookupP99Ms: Double
        public let averageHits: Double
    }

    public static func run(dossiers n: Int, queries q: Int, postgresURL: String?, progress: @escaping @Sendable (String) -> Void) async throws -> Result {
        try await Scratch.with(postgresURL: postgresURL) { app, label in
            var catalog = try BundledData.catalog()
            catalog.units = DemoProvince.units
            try await app.catalog.importCatalog(catalog)
            let procedures = catalog.procedures ?? []
            let communes = DemoProvince.units.filter { $0.kind == .commune }.map(\.code)
            var rng = SplitMix64(seed: 42)
            let family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
            let middle = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Đức", "Gia"]
            let given = ["An", "Bình", "Châu", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Việt", "Yến", "Đạt", "Đông"]
            let words = ["giấy", "chứng", "nhận", "quyền", "sử", "dụng", "đất", "thửa", "số", "tờ", "bản", "đồ", "khai", "sinh", "kết", "hôn", "hộ", "kinh", "doanh", "xây", "dựng", "đường", "phường", "xã", "tỉnh", "Sơn", "Hà", "bệnh", "viện"]
            let start = Date()
            let base = VietnamTime.instant(LocalDate(year: 2025, month: 7, day: 1)!, minuteOfDay: 480)
            var samples: [(name: String, id: String, phone: String, code: String, unit: String)] = []
            let batch = 5000
            var made = 0
            while made < n {
                let count = min(batch, n - made)
                var ds: [Dossier] = []
                var texts: [(dossierId: String, text: String)] = []
                ds.reserveCapacity(count)
                for i in made..<(made + count) {
                    let p = procedures[i % procedures.count]
                    let v = p.versions[p.versions.count - 1]
                    let unit = communes[i % communes.count]
                    let at = base.addingTimeInterval(Double(i) * 17)
                    let day = VietnamTime.date(of: at)
                    let code = DossierCode.make(agency: unit, date: day, sequence: i % 9999 + 1) + "-\(i)"
                    let name = "\(family[Int.random(in: 0..<family.count, using: &rng)]) \(middle[Int.random(in: 0..<middle.count, using: &rng)]) \(given[Int.random(in: 0..<given.count, using: &rng)])"
                    let id = "0010\(Digits.pad(Int.random(in: 50...99, using: &rng), 2))\(Digits.pad(i % 1_000_000, 6))"
                    let phone = "09\(Digits.pad(Int.random(in: 0...99_999_999, using: &rng), 8))"
                    let d = Dossier(
                        id: TimeOrderedID.make(at: at, using: &rng), code: code, procedureCode: p.code, procedureVersion: v.version,
                        processingTime: v.processingTime, cutoffMinute: nil, nonTerritorial: p.nonTerritorial, channel: .online, status: .returned,
                        receivingUnit: unit, competentUnit: unit, handlingUnit: unit, applicant: Applicant(idNumber: id, fullName: name, phone: phone),
                        subject: p.name, submittedAt: at, receivedAt: at, dueAt: at.addingTimeInterval(86400), finishedAt: at.addingTimeInterval(3600),
                        returnedAt: at.addingTimeInterval(7200), createdAt: at, updatedAt: at)
                    ds.append(d)
                    var text = "\(code) \(name) \(id) \(phone) \(p.code) \(p.name)"
                    if i % 5 == 0 {
                        text += " " + (0..<40).map { _ in words[Int.random(in: 0..<words.count, using: &rng)] }.joined(separator: " ")
                    }
                    texts.append((d.id, text))
                    if i % max(1, n / 400) == 0 { samples.append((name, id, phone, code, unit)) }
                }
                let (batchDs, batchTexts) = (ds, texts)
                try await app.database.transaction { tx in
                    try await DossierStore.insertMany(batchDs, on: tx)
                    try await SearchStore.putMany(batchTexts, on: tx)
                }
                made += count
                if made % 100_000 == 0 || made == n { progress("[\(label)] loaded \(made)/\(n) dossiers (\(Int(Date().timeIntervalSince(start))) s)") }
            }
            let loadSeconds = Date().timeIntervalSince(start)
            if app.database.dialect == .postgres { try await app.database.query("ANALYZE", []) }
            // Queries: names (folded and not), ID numbers, phones, codes, and document words.
            var queries: [(String, String)] = []
            for (i, s) in samples.enumerated() {
                switch i % 5 {
                case 0: queries.append((s.name, s.unit))
                case 1: queries.append((TextFolding.fold(s.name), s.unit))
                case 2: queries.append((s.id, s.unit))
                case 3: queries.append((s.phone, s.unit))
                default: queries.append((s.code, s.unit))
                }
            }
            queries += (0..<max(1, queries.count / 5)).map { i in ("giay chung nhan quyen su dung dat thua \(words[i % words.count])", communes[i % communes.count]) }
            queries = Array(queries.prefix(q))
            func time(_ body: () async throws -> Int) async throws -> (Double, Int) {
                let t0 = ContinuousClock.now
                let hits = try await body()
                let dt = ContinuousClock.now - t0
                return (dt.inMilliseconds, hits)
            }
            var scoped: [Double] = []
            var province: [Double] = []
            var keys: [Double] = []
            var hits = 0
            progress("[\(label)] \(queries.count) queries, scoped and province-wide, and as many key look-ups")
            for (query, unit) in queries {
                let (a, h) = try await time { try await SearchStore.search(query, scopeUnit: unit, scopeIdNumber: nil, limit: 20, on: app.database).count }
                scoped.append(a)
                hits += h
                let (b, _) = try await time { try await SearchStore.search(query, scopeUnit: nil, scopeIdNumber: nil, limit: 20, on: app.database).count }
                province.append(b)
            }
            for s in samples.prefix(queries.count) {
                let (c, _) = try await time { try await DossierStore.row(code: s.code, on: app.database) == nil ? 0 : 1 }
                keys.append(c)
            }
            return Result(
                benchmark: "search", database: label, dossiers: n, loadSeconds: loadSeconds, queries: queries.count,
                scopedP50Ms: percentile(scoped, 0.5), scopedP99Ms: percentile(scoped, 0.99), provinceP50Ms: percentile(province, 0.5), provinceP99Ms: percentile(province, 0.99),
                keyLookupP50Ms: percentile(keys, 0.5), keyLookupP99Ms: percentile(keys, 0.99), averageHits: Double(hits) / Double(max(1, queries.count)))
        }
    }
}

/// Scratch places for benchmarks: a temp directory, and a new PostgreSQL database created beside
/// the one `postgresURL` names (nil for SQLite), both removed afterwards.
enum Scratch {
    static func place<T: Sendable>(postgresURL: String?, _ body: (_ scratchURL: String?, _ dir: URL) async throws -> T) async throws -> T {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        guard let url = postgresURL else { return try await body(nil, tmp) }
        let admin = try await PostgresDatabase.connect(url: url, maxConnections: 2)
        let name = "motcua_bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await admin.query("CREATE DATABASE \(name)", [])
        var c = URLComponents(string: url)!
        c.path = "/\(name)"
        do {
            let r = try await body(c.string!, tmp)
            try await admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", [])
            await admin.close()
            return r
        } catch {
            _ = try? await admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", [])
            await admin.close()
            throw error
        }
    }

    /// A booted system in a scratch place.
    static func with<T: Sendable>(postgresURL: String?, _ body: (MotCua, String) async throws -> T) async throws -> T {
        try await place(postgresURL: postgresURL) { scratchURL, dir in
            var config = AppConfig()
            config.dataDir = dir.path
            config.databaseURL = scratchURL
            let app = try await MotCua.boot(config)
            do {
                let r = try await body(app, scratchURL == nil ? "sqlite" : "postgres")
                await app.shutdown()
                return r
            } catch {
                await app.shutdown()
                throw error
            }
        }
    }
}
