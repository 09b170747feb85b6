// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Signing
import Storage
import X509

/// What `motcua audit verify` found.
public struct AuditReport: Sendable {
    /// The first problem in chain order: the entry (or source row, or checkpoint) and why.
    public struct Break: Sendable, CustomStringConvertible {
        public let seq: Int?
        public let source: String?
        public let ref: String?
        public let reason: String

        public var description: String {
            var s = seq.map { "entry \($0)" } ?? "the ledger"
            if let source, let ref { s += " (\(source) \(ref))" }
            return s + ": " + reason
        }
    }

    public var entries = 0
    public var checkpoints = 0
    public var lastSeq = 0
    public var broken: Break?
    public var intact: Bool { broken == nil }
}

/// The tamper-evident audit ledger: walking and checking it, signing checkpoints with an agency
/// key, and reading a person's or a dossier's entries (who accessed what, when, why).
public struct AuditService: Sendable {
    let app: MotCua

    /// The identity that signs checkpoints: the seal of the province's top unit (the unit
    /// without a parent), unless `MOTCUA_AUDIT_SIGNER` names another.
    func checkpointSigner() async throws -> String {
        if let name = app.config.auditSigner { return name }
        let units = try await app.catalog.unitsByCode()
        guard let top = units.values.filter({ $0.parentCode == nil }).map(\.code).sorted().first else {
            throw ServiceError.unavailable("no unit to sign audit checkpoints: import the catalogue first")
        }
        return SignatureService.agencySigner(top)
    }

    /// Signs the ledger's current tip (nothing to do when the last checkpoint already covers it).
    @discardableResult
    public func checkpoint() async throws -> AuditStore.Checkpoint? {
        let head = try await AuditStore.head(on: app.database)
        guard head.seq > 0 else { return nil }
        if let last = try await AuditStore.checkpoints(on: app.database).last, last.seq == head.seq { return last }
        let signer = try await checkpointSigner()
        guard let identity = try DevPKI.identity(in: URL(fileURLWithPath: app.config.pkiDir), username: signer) else {
            throw ServiceError.unavailable("no signing key for \(signer) in \(app.config.pkiDir): run 'motcua pki init' (demo) or install the agency's key")
        }
        let unsigned = AuditStore.Checkpoint(
            seq: head.seq, at: SQLTime.format(app.clock.now()), hash: head.hash, signer: signer,
            certificatePEM: try identity.chain[0].serializeAsPEM().pemString, signature: "")
        let algorithm: Certificate.SignatureAlgorithm =
            identity.privateKey.supportedSignatureAlgorithms.contains(.ecdsaWithSHA256) ? .ecdsaWithSHA256 : .sha256WithRSAEncryption
        let signature = try identity.privateKey.sign(bytes: Array(unsigned.signedText.utf8), signatureAlgorithm: algorithm)
        let signed = AuditStore.Checkpoint(
            seq: unsigned.seq, at: unsigned.at, hash: unsigned.hash, signer: signer, certificatePEM: unsigned.certificatePEM,
            signature: Data(signature.rawRepresentation).base64EncodedString())
        try await AuditStore.insert(checkpoint: signed, on: app.database)
        return signed
    }

    /// Walks the whole ledger: numbering, links, hashes, every source row against its digest,
    /// source rows written around MotCua, the tip, and every checkpoint's signature. Stops at the
    /// first problem. `progress` gets the number of entries checked so far.
    public func verify(progress: (@Sendable (Int) -> Void)? = nil) async throws -> AuditReport {
        let db = app.database
        var report = AuditReport()
        var prev = AuditStore.genesis
        var expected = 1
        func broken(_ seq: Int?, _ e: AuditStore.Entry?, _ reason: String) -> AuditReport {
            var r = report
            r.broken = .init(seq: seq, source: e?.source, ref: e?.ref, reason: reason)
            return r
        }
        while true {
            let page = try await AuditStore.entries(after: expected - 1, limit: 2000, on: db)
            if page.isEmpty { break }
            for e in page {
                if e.seq != expected { return broken(expected, nil, "missing (the next entry is \(e.seq)): entries were deleted") }
                if e.prevHash != prev { return broken(e.seq, e, "does not link to entry \(e.seq - 1) (its previous hash differs)") }
                if AuditStore.hash(e) != e.hash { return broken(e.seq, e, "was changed (its hash does not match its content)") }
                prev = e.hash
                expected += 1
            }
            for source in AuditStore.Source.allCases {
                let mine = page.filter { $0.source == source.rawValue }
                if mine.isEmpty { continue }
                let rows = try await AuditStore.sourceRows(source, refs: mine.map(\.ref), on: db)
                for e in mine {
                    guard let row = rows[e.ref] else { return broken(e.seq, e, "its \(source.table) row was deleted") }
                    if AuditStore.digest(AuditStore.values(source, row)) != e.digest,
                        try await !laterEntryExists(source, ref: e.ref, after: e.seq)
                    {
                        return broken(e.seq, e, "its \(source.table) row was changed after it was recorded")
                    }
                }
            }
            report.entries += page.count
            report.lastSeq = expected - 1
            progress?(report.entries)
        }
        let head = try await AuditStore.head(on: db)
        if head.seq != report.lastSeq || head.hash != prev {
            return broken(nil, nil, "its tip says entry \(head.seq) but the chain ends at entry \(report.lastSeq): entries were removed or the tip was edited")
        }
        for source in AuditStore.Source.allCases {
            if let ref = try await AuditStore.unrecorded(source, on: db) {
                return broken(nil, nil, "\(source.table) row \(ref) has no ledger entry: it was written around MotCua")
            }
        }
        let anchors = (try? app.signatures.trustAnchors()) ?? []
        for c in try await AuditStore.checkpoints(on: db) {
            guard c.seq <= report.lastSeq, let e = try await AuditStore.entry(seq: c.seq, on: db) else {
                return broken(c.seq, nil, "is vouched for by a signed checkpoint but is gone: the end of the ledger was cut off")
            }
            guard e.hash == c.hash else { return broken(c.seq, e, "differs from the hash its signed checkpoint of \(c.at) vouches for") }
            if let problem = Self.checkSignature(c, anchors: anchors) { return broken(c.seq, e, "checkpoint of \(c.at): \(problem)") }
            report.checkpoints += 1
        }
        return report
    }

    /// Records in the ledger, oldest first, the rows written before it existed (migration 13 on
    /// a database in use). Returns how many.
    public func recordExisting(progress: @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        var n = 0
        for source in AuditStore.Source.allCases {
            var offset = 0
            while true {
                let rows = try await source.rows(offset: offset, limit: 1000, on: app.database)
                if rows.isEmpty { break }
                try await app.database.transaction { tx in
                    for r in rows {
                        try await AuditStore.append(
                            source, ref: source.ref(r), at: r.date("at") ?? app.clock.now(), actor: r.string("actor") ?? "system",
                            subject: r.string(source.subjectColumn), values: AuditStore.values(source, r), on: tx)
                    }
                }
                offset += rows.count
                n += rows.count
                progress(n)
            }
        }
        return n
    }

    func laterEntryExists(_ source: AuditStore.Source, ref: String, after seq: Int) async throws -> Bool {
        try await app.database.first("SELECT 1 AS x FROM audit_log WHERE kind = ? AND ref = ? AND seq > ? LIMIT 1", source.rawValue, ref, seq) != nil
    }

    /// Nil when the checkpoint's signature verifies with its certificate and the certificate was
    /// issued by one of the trust anchors.
    static func checkSignature(_ c: AuditStore.Checkpoint, anchors: [Certificate]) -> String? {
        guard let certificate = try? Certificate(pemEncoded: c.certificatePEM) else { return "its certificate cannot be read" }
        guard let signature = Data(base64Encoded: c.signature) else { return "its signature is not base64" }
        let bytes = Array(c.signedText.utf8)
        let valid = [Certificate.SignatureAlgorithm.ecdsaWithSHA256, .sha256WithRSAEncryption].contains {
            certificate.publicKey.isValidSignature(signature, for: bytes, signatureAlgorithm: $0)
        }
        guard valid else { return "the signature does not verify" }
        guard anchors.contains(where: { $0.subject == certificate.issuer && $0.publicKey.isValidSignature(certificate.signature, for: certificate) }) else {
            return "its certificate (\(c.signer)) was not issued by a trusted authority"
        }
        return nil
    }

    /// The ledger's entries about a person (look-ups of their data) or a dossier (its events),
    /// newest first: administrators export them; a citizen sees their own.
    public func entries(subject: String, limit: Int = 500, by actor: Actor) async throws -> [AuditStore.Entry] {
        guard actor.roles.contains(.admin) || (actor.roles.contains(.citizen) && actor.idNumber == subject) else {
            throw ServiceError.forbidden("only administrators, or the person themselves, may read the audit of \(PersonalID.masked(subject))")
        }
        return try await AuditStore.entries(subject: subject, limit: limit, on: app.database)
    }

    /// Who looked at a person's data, when and why, newest first: the person sees their own;
    /// administrators anyone's (and that reading is itself recorded).
    public func accesses(of idNumber: String, limit: Int = 500, by actor: Actor) async throws -> [AccountStore.DataAccess] {
        let own = actor.roles.contains(.citizen) && actor.idNumber == idNumber
        guard own || actor.roles.contains(.admin) else {
            throw ServiceError.forbidden("only administrators, or the person themselves, may see who looked at the data of \(PersonalID.masked(idNumber))")
        }
        if !own {
            let now = app.clock.now()
            try await AccountStore.logPersonalDataAccess(
                id: TimeOrderedID.make(at: now), at: now, actor: actor.username, dossierCode: nil, idNumber: idNumber, purpose: "audit-export", on: app.database)
        }
        return try await AccountStore.dataAccesses(idNumber: idNumber, limit: limit, on: app.database)
    }
}
