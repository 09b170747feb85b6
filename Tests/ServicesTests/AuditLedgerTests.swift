// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

/// The audit ledger: every dossier event, look-up of personal data and petition event gets one
/// entry in one chain; `verify` finds any row changed, deleted or written around MotCua, any
/// entry changed or missing, and a cut-off end that a signed checkpoint vouched for.
@Suite("Audit ledger")
struct AuditLedgerTests {
    /// A little history: a dossier received and handled, its applicant's data read, a petition.
    static func history(_ t: TestApp) async throws -> String {
        let unit = TestApp.tanLap
        var d = try await t.app.dossiers.create(
            IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: TestApp.officer(unit))
        d = try await t.app.dossiers.act(code: d.dossier.code, action: .assign, input: .init(), expectedVersion: d.dossier.version, by: TestApp.officer(unit))
        _ = try await t.app.dossiers.get(code: d.dossier.code, by: TestApp.leader(unit))
        _ = try await t.app.petitions.file(
            PetitionService.Request(petitionClass: .procedure, unit: unit, petitioner: Petitioner(fullName: "Phạm Thị Hoa", phone: "0912345678"), content: "Hỏi tiến độ"),
            proof: .phone("0912345678"))
        return d.dossier.code
    }

    static func entries(_ t: TestApp, _ source: AuditStore.Source) async throws -> Int {
        try await t.app.database.first("SELECT COUNT(*) AS n FROM audit_log WHERE kind = ?", source.rawValue)?.int("n") ?? 0
    }

    @Test("every source row has its entry, in one gapless chain; an untouched ledger verifies", arguments: TestDB.available)
    func intact(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            _ = try await Self.history(t)
            #expect(try await Self.entries(t, .dossierEvent) == t.count("dossier_events"))
            #expect(try await Self.entries(t, .dataAccess) == t.count("personal_data_access"))
            #expect(try await Self.entries(t, .petitionEvent) == t.count("petition_events"))
            #expect(try await t.count("personal_data_access") >= 1)
            let r = try await t.app.audit.verify()
            #expect(r.intact, "\(String(describing: r.broken))")
            #expect(r.entries == (try await t.count("audit_log")) && r.lastSeq == r.entries)
        }
    }

    @Test("concurrent writers take consecutive numbers", arguments: TestDB.available)
    func concurrent(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        _ = try await t.app.dossiers.create(
                            IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: TestApp.tanLap, applicant: TestApp.applicant()),
                            by: TestApp.officer(TestApp.tanLap))
                    }
                }
                try await group.waitForAll()
            }
            let r = try await t.app.audit.verify()
            #expect(r.intact && r.entries == 8, "\(String(describing: r.broken))")
        }
    }

    /// Runs `tamper` on a fresh history and returns what verify says.
    static func afterTampering(_ db: TestDB, _ tamper: @Sendable (TestApp) async throws -> Void) async throws -> AuditReport.Break? {
        try await TestApp.with(db) { t in
            _ = try await Self.history(t)
            #expect(try await t.app.audit.verify().intact)
            try await tamper(t)
            return try await t.app.audit.verify().broken
        }
    }

    @Test("a changed event, a deleted look-up, a changed or deleted entry, a row written around MotCua: each is named", arguments: TestDB.available)
    func tampering(db: TestDB) async throws {
        let changedEvent = try await Self.afterTampering(db) { t in
            try await t.app.database.query("UPDATE dossier_events SET actor = 'someone-else' WHERE seq = 2", [])
        }
        #expect(changedEvent?.source == "dossier-event" && changedEvent?.reason.contains("dossier_events row was changed") == true, "\(String(describing: changedEvent))")
        #expect(changedEvent?.seq == 2)

        let deletedAccess = try await Self.afterTampering(db) { t in try await t.app.database.query("DELETE FROM personal_data_access", []) }
        #expect(deletedAccess?.source == "data-access" && deletedAccess?.reason.contains("was deleted") == true, "\(String(describing: deletedAccess))")

        let changedEntry = try await Self.afterTampering(db) { t in try await t.app.database.query("UPDATE audit_log SET actor = 'x' WHERE seq = 1", []) }
        #expect(changedEntry?.seq == 1 && changedEntry?.reason.contains("was changed") == true, "\(String(describing: changedEntry))")

        let deletedEntry = try await Self.afterTampering(db) { t in try await t.app.database.query("DELETE FROM audit_log WHERE seq = 2", []) }
        #expect(deletedEntry?.seq == 2 && deletedEntry?.reason.contains("missing") == true, "\(String(describing: deletedEntry))")

        let around = try await Self.afterTampering(db) { t in
            try await t.app.database.query(
                "INSERT INTO personal_data_access (id, at, actor, dossier_code, id_number, purpose) VALUES ('planted', '2026-11-23T02:00:00.000Z', 'x', NULL, '001190012345', 'x')", [])
        }
        #expect(around?.reason.contains("personal_data_access row planted has no ledger entry") == true, "\(String(describing: around))")

        let tip = try await Self.afterTampering(db) { t in
            let last = try await AuditStore.head(on: t.app.database).seq
            try await t.app.database.query("DELETE FROM audit_log WHERE seq = ?", [.int(Int64(last))])
        }
        #expect(tip?.reason.contains("its tip says entry") == true, "\(String(describing: tip))")
    }

    @Test("a signed checkpoint vouches for the tip: cutting the end off, or forging the checkpoint, is found", arguments: TestDB.available)
    func checkpoints(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            _ = try await t.app.signatures.initDevelopmentPKI(authorityName: "CA thử nghiệm")
            _ = try await Self.history(t)
            let c = try #require(try await t.app.audit.checkpoint())
            #expect(c.seq == (try await t.count("audit_log")) && c.signer == "agency.000.00.00.H99")
            #expect(try await t.app.audit.checkpoint()?.seq == c.seq, "a second call signs nothing new")
            var r = try await t.app.audit.verify()
            #expect(r.intact && r.checkpoints == 1, "\(String(describing: r.broken))")
            // Cutting the last two entries off, with their source rows, and moving the tip back: all
            // consistent, except with the signed checkpoint.
            for e in try await AuditStore.entries(after: c.seq - 2, limit: 10, on: t.app.database) {
                let source = try #require(AuditStore.Source(rawValue: e.source))
                if source == .petitionEvent {
                    let parts = e.ref.split(separator: "/")
                    try await t.app.database.query("DELETE FROM petition_events WHERE petition_id = ? AND seq = ?", [.text(String(parts[0])), .int(Int64(parts[1])!)])
                } else {
                    try await t.app.database.query("DELETE FROM \(source.table) WHERE id = ?", [.text(e.ref)])
                }
                try await t.app.database.query("DELETE FROM audit_log WHERE seq = ?", [.int(Int64(e.seq))])
            }
            let tip = try #require(try await AuditStore.entry(seq: c.seq - 2, on: t.app.database))
            try await t.app.database.query("UPDATE audit_head SET seq = ?, hash = ?", [.int(Int64(tip.seq)), .text(tip.hash)])
            r = try await t.app.audit.verify()
            #expect(r.broken?.seq == c.seq && r.broken?.reason.contains("cut off") == true, "\(String(describing: r.broken))")
        }
        try await TestApp.with(db) { t in
            _ = try await t.app.signatures.initDevelopmentPKI(authorityName: "CA thử nghiệm")
            _ = try await Self.history(t)
            let c = try #require(try await t.app.audit.checkpoint())
            let forged = Data(repeating: 7, count: 64).base64EncodedString()
            try await t.app.database.query("UPDATE audit_checkpoints SET signature = ? WHERE seq = ?", [.text(forged), .int(Int64(c.seq))])
            let r = try await t.app.audit.verify()
            #expect(r.broken?.reason.contains("the signature does not verify") == true, "\(String(describing: r.broken))")
        }
    }

    @Test("a look-up linked to its dossier later is recorded again; the later entry is the one its row must match", arguments: TestDB.available)
    func relinked(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let at = TestApp.monday0900
            try await AccountStore.logPersonalDataAccess(
                id: "lookup-1", at: at, actor: "motcua.0002003h99", dossierCode: nil, idNumber: DemoProvince.citizenIdNumber, purpose: "population-lookup",
                on: t.app.database)
            let linked = try await t.app.database.transaction { tx in
                try await AccountStore.linkPersonalDataAccess(
                    id: "lookup-1", dossierCode: "000.20.03.H99-261123-0001", actor: "motcua.0002003h99", idNumber: DemoProvince.citizenIdNumber,
                    purpose: "population-lookup", since: at.addingTimeInterval(-60), at: at, on: tx)
            }
            #expect(linked)
            #expect(try await Self.entries(t, .dataAccess) == 2)
            #expect(try await t.app.audit.verify().intact)
            try await t.app.database.query("UPDATE personal_data_access SET dossier_code = 'other' WHERE id = 'lookup-1'", [])
            let r = try await t.app.audit.verify()
            #expect(r.broken?.seq == 2 && r.broken?.reason.contains("changed") == true, "\(String(describing: r.broken))")
        }
    }

    @Test("a citizen reads the entries about themselves; nobody else but an administrator", arguments: [TestDB.sqlite])
    func subjects(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            _ = try await Self.history(t)
            let mine = try await t.app.audit.entries(subject: DemoProvince.citizenIdNumber, by: TestApp.citizen)
            #expect(!mine.isEmpty && mine.allSatisfy { $0.source == "data-access" })
            await #expect(throws: ServiceError.self) { try await t.app.audit.entries(subject: DemoProvince.citizenIdNumber, by: TestApp.leader(TestApp.tanLap)) }
            await #expect(throws: ServiceError.self) { try await t.app.audit.entries(subject: "001090000001", by: TestApp.citizen) }
        }
    }
}
