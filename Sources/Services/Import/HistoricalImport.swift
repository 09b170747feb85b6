// SPDX-License-Identifier: Apache-2.0
import Documents
import Domain
import Foundation
import Storage

/// Back-digitization: ingests historical dossiers with their scanned files from a manifest
/// (`motcua-import/1`, one JSON object per line; docs/IMPORT.md). Each dossier is one
/// transaction and its code is the natural key, so a run killed halfway and run again imports
/// exactly the missing ones, once. Rejected lines are reported with their reasons.
public struct HistoricalImport: Sendable {
    let app: MotCua

    public init(app: MotCua) { self.app = app }

    /// One line of the manifest.
    public struct Item: Decodable, Sendable {
        public struct File: Decodable, Sendable {
            public let componentCode: String
            public let path: String
        }

        public let code: String
        public let procedureCode: String
        public let receivingUnit: String
        public let competentUnit: String?
        public let channel: Channel?
        public let applicant: Applicant
        public let subject: String?
        public let submittedAt: String
        public let receivedAt: String?
        public let dueAt: String?
        public let finishedAt: String?
        public let returnedAt: String?
        public let status: Int
        public let files: [File]?
    }

    /// A refused line and why.
    public struct Rejection: Encodable, Sendable {
        public let line: Int
        public let code: String?
        public let reasons: [String]
    }

    /// Counts of a run.
    public struct Summary: Sendable, CustomStringConvertible {
        public var lines = 0
        public var imported = 0
        public var alreadyPresent = 0
        public var rejected = 0
        public var files = 0
        public var bytes = 0
        public var seconds = 0.0
        public var description: String {
            let mb = Double(bytes) / 1_048_576
            let rate = seconds > 0 ? Double(imported) / seconds : 0
            return String(
                format: "%d lines: %d imported, %d already present, %d rejected; %d files, %.1f MB; %.1f s (%.0f dossiers/s, %.1f MB/s)",
                lines, imported, alreadyPresent, rejected, files, mb, seconds, rate, seconds > 0 ? mb / seconds : 0)
        }
    }

    /// Imports a manifest (a `.jsonl` file, or a directory holding `manifest.jsonl`); file paths are
    /// relative to the manifest's directory. Rejections go to `report` (JSON lines).
    public func run(manifest path: String, report: String? = nil, progress: @Sendable (Summary, Int) -> Void = { _, _ in }) async throws -> Summary {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ServiceError.invalid(field: "manifest", message: "\(path) does not exist")
        }
        let file = isDir.boolValue ? URL(fileURLWithPath: path).appendingPathComponent("manifest.jsonl") : URL(fileURLWithPath: path)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw ServiceError.invalid(field: "manifest", message: "cannot read \(file.path) as UTF-8 JSON lines")
        }
        let base = file.deletingLastPathComponent()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let total = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
        let reportURL = URL(fileURLWithPath: report ?? file.path + ".rejected.jsonl")
        FileManager.default.createFile(atPath: reportURL.path, contents: nil)
        let reportHandle = try FileHandle(forWritingTo: reportURL)
        defer { try? reportHandle.close() }
        let started = Date()
        var s = Summary()
        let units = try await app.catalog.unitsByCode()
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            s.lines += 1
            var code: String?
            do {
                let item = try JSONDecoder().decode(Item.self, from: Data(line.utf8))
                code = item.code
                if try await DossierStore.row(code: item.code, on: app.database) != nil {
                    s.alreadyPresent += 1
                } else {
                    let (files, bytes) = try await importOne(item, base: base, units: units)
                    s.imported += 1
                    s.files += files
                    s.bytes += bytes
                }
            } catch {
                s.rejected += 1
                let reasons: [String]
                switch error {
                case let e as DecodingError: reasons = ["\(JSONProblem.path(of: e)) \(JSONProblem.message(of: e))"]
                case let e as ImportProblems: reasons = e.reasons
                case let e as ServiceError: reasons = [e.message]
                default: reasons = ["\(error)"]
                }
                let rejection = try JSONEncoder().encode(Rejection(line: i + 1, code: code, reasons: reasons))
                try reportHandle.write(contentsOf: rejection + Data("\n".utf8))
            }
            s.seconds = Date().timeIntervalSince(started)
            progress(s, total)
        }
        s.seconds = Date().timeIntervalSince(started)
        return s
    }

    struct ImportProblems: Error {
        let reasons: [String]
    }

    /// Checks one item completely, then writes it in one transaction.
    func importOne(_ item: Item, base: URL, units: [String: AdministrativeUnit]) async throws -> (files: Int, bytes: Int) {
        var problems: [String] = []
        func instant(_ s: String?, _ field: String) -> Date? {
            guard let s else { return nil }
            guard let d = SharedFormat.parseWithOffset(s) else {
                problems.append("\(field): \(s) is not ISO 8601 with an offset")
                return nil
            }
            return d
        }
        let procedure = try? await app.catalog.procedure(code: item.procedureCode)
        if procedure == nil { problems.append("procedureCode: unknown procedure \(item.procedureCode)") }
        if units[item.receivingUnit] == nil { problems.append("receivingUnit: unknown unit \(item.receivingUnit)") }
        if let c = item.competentUnit, units[c] == nil { problems.append("competentUnit: unknown unit \(c)") }
        if !item.code.hasPrefix(item.receivingUnit + "-") || item.code.count > item.receivingUnit.count + 20 {
            problems.append("code: \(item.code) must be {receivingUnit}-{yyMMdd}-{NNNN}")
        }
        guard let status = DossierStatus(rawValue: item.status) else {
            throw ImportProblems(reasons: problems + ["status: \(item.status) is not a DVCQG status 1–10"])
        }
        if item.applicant.kind == .citizen, let p = PersonalID.validate(item.applicant.idNumber, currentYear: VietnamTime.date(of: app.clock.now()).year) {
            problems.append("applicant.idNumber: \(p.message)")
        }
        let submitted = instant(item.submittedAt, "submittedAt")
        let received = instant(item.receivedAt, "receivedAt")
        let due = instant(item.dueAt, "dueAt")
        let finished = instant(item.finishedAt, "finishedAt")
        let returned = instant(item.returnedAt, "returnedAt")
        if status != .registered && received == nil { problems.append("receivedAt: required for status \(status.rawValue)") }
        let day = VietnamTime.date(of: received ?? submitted ?? app.clock.now())
        let version = procedure.flatMap { $0.version(on: day) ?? $0.versions.min { $0.effectiveFrom < $1.effectiveFrom } }
        var staged: [(String, URL, FileKind)] = []
        for (j, f) in (item.files ?? []).enumerated() {
            let url = base.appendingPathComponent(f.path)
            if f.componentCode != DocumentService.resultCode, version?.components.contains(where: { $0.code == f.componentCode }) != true {
                problems.append("files[\(j)].componentCode: \(f.componentCode) is not a component of \(item.procedureCode)")
            }
            guard let h = FileHandle(forReadingAtPath: url.path) else {
                problems.append("files[\(j)].path: \(f.path) not found")
                continue
            }
            let head = [UInt8]((try? h.read(upToCount: 16)) ?? Data())
            try? h.close()
            guard let kind = FileKind.sniff(head) else {
                problems.append("files[\(j)].path: \(f.path) is not PDF, JPEG, PNG or TIFF")
                continue
            }
            staged.append((f.componentCode, url, kind))
        }
        guard problems.isEmpty, let procedure, let version, let submitted else { throw ImportProblems(reasons: problems) }
        let channel = item.channel ?? .window
        let now = app.clock.now()
        let d = Dossier(
            id: TimeOrderedID.make(at: submitted), code: item.code, procedureCode: procedure.code, procedureVersion: version.version,
            processingTime: version.processingTime(for: channel), cutoffMinute: version.cutoffMinute, nonTerritorial: procedure.nonTerritorial,
            channel: channel, status: status, receivingUnit: item.receivingUnit, competentUnit: item.competentUnit ?? item.receivingUnit,
            handlingUnit: item.competentUnit ?? item.receivingUnit, applicant: item.applicant, subject: String((item.subject ?? procedure.name).prefix(1000)),
            submittedAt: submitted, receivedAt: received, dueAt: due, finishedAt: finished, returnedAt: returned, fee: version.totalFee,
            createdAt: now, updatedAt: now)
        // Files first (content-addressed, so a crash leaves at most unreferenced blobs), then one transaction.
        var blobs: [(String, BlobRef, FileKind, String)] = []
        var bytes = 0
        let staging = URL(fileURLWithPath: app.config.blobDir).appendingPathComponent("staging")
        for (componentCode, url, kind) in staged {
            let file = try StagedFile(directory: staging)
            let h = try FileHandle(forReadingFrom: url)
            defer { try? h.close() }
            while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty { try chunk.withUnsafeBytes { try file.write($0) } }
            let ref = try await app.blobs.adopt(file)
            bytes += ref.size
            blobs.append((componentCode, ref, kind, url.lastPathComponent))
        }
        let event = StoredEvent(
            id: TimeOrderedID.make(at: now), seq: 1, at: now, actor: "import", actorUnit: nil, action: "import", fromStatus: nil, toStatus: status,
            note: "Số hóa ngược hồ sơ lưu trữ", data: ["origin": "historical"], prevHash: EventChain.genesis,
            hash: EventChain.hash(prev: EventChain.genesis, seq: 1, at: now, actor: "import", action: "import", from: nil, to: status, note: "Số hóa ngược hồ sơ lưu trữ", data: ["origin": "historical"]))
        let files = blobs
        try await app.database.transaction { tx in
            try await DossierStore.insert(d, chain: DossierStore.ChainTip(seq: 1, hash: event.hash), on: tx)
            try await DossierStore.markImported(dossierId: d.id, on: tx)
            try await DossierStore.insert(event: event, dossierId: d.id, on: tx)
            try await SearchStore.put(dossierId: d.id, text: DossierService.searchText(d, procedure), on: tx)
            for (componentCode, ref, kind, name) in files {
                try await ComponentStore.recordBlob(sha256: ref.sha256, size: ref.size, mediaType: kind.mediaType, at: now, on: tx)
                _ = try await ComponentStore.insert(
                    id: TimeOrderedID.make(at: now), dossierId: d.id, componentCode: componentCode,
                    kind: componentCode == DocumentService.resultCode ? "result" : "component", blob: ref.sha256, originalName: name,
                    mediaType: kind.mediaType, size: ref.size, at: now, by: "import", ocrStatus: "pending", on: tx)
            }
        }
        return (blobs.count, bytes)
    }
}
