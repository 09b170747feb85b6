// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Simulators
import Storage
import Testing

/// The index is maintained incrementally in every change's transaction; a rebuild from the
/// source tables must find exactly the same figures, whatever happened in between.
@Suite("766 index kept live")
struct IndexLiveTests {
    /// One dossier's planned life; a step advances a random dossier by one action.
    struct Plan {
        var code: String
        var version: Int
        var actions: [(DossierAction, Actor, ActionInput)]
    }

    @Test("random dossier histories (time passing, supplements, refusals, withdrawals, portal deliveries): live aggregates equal a rebuild", arguments: TestDB.available)
    func liveEqualsRebuild(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let sim = DVCQGSimulator(.init())
            let url = try await sim.start()
            defer { Task { await sim.stop() } }
            let relay = PortalRelay(
                app: t.app, client: DVCQGClient(DVCQGConfig(baseURL: url, username: "motcua", password: "motcua", madonvi: "000.00.00.H99", timeout: 60)),
                owner: "index-test")
            var rng = SplitMix64(seed: 767)  // Services' generator: a failing history replays
            var plans: [Plan] = []
            let units = [TestApp.tanLap, TestApp.dongSon]
            for _ in 0..<260 {
                // Time passes: minutes to a couple of days, so some dossiers end late and some
                // months change under them.
                t.clock.advance(Double(Int.random(in: 60...(2 * 86_400), using: &rng)))
                let roll = Int.random(in: 0..<10, using: &rng)
                if roll < 3 || plans.isEmpty {
                    let unit = units[Int.random(in: 0..<units.count, using: &rng)]
                    let online = Int.random(in: 0..<4, using: &rng) == 0
                    let (officer, specialist, leader) = (TestApp.officer(unit), TestApp.specialist(unit), TestApp.leader(unit))
                    let d = try await t.app.dossiers.create(
                        IntakeRequest(procedureCode: "1.001193", channel: online ? .online : .window, receivingUnit: unit, applicant: TestApp.applicant()),
                        by: online ? TestApp.citizen : officer)
                    var actions: [(DossierAction, Actor, ActionInput)] = []
                    if online { actions.append((.receive, officer, .init())) }
                    switch Int.random(in: 0..<10, using: &rng) {
                    case 0 where online: actions = [(.refuse, officer, .init(reason: "Không thuộc thẩm quyền"))]
                    case 1: actions.append((.withdraw, TestApp.citizen, .init()))
                    default:
                        actions += [(.assign, officer, .init()), (.assign, leader, .init(assignee: specialist.username))]
                        for _ in 0..<Int.random(in: 0...2, using: &rng) {
                            actions += [(.requestSupplement, specialist, .init(reason: "Bổ sung giấy tờ")), (.supplement, TestApp.citizen, .init())]
                        }
                        actions += [(.approve, leader, .init()), (.finish, specialist, .init()), (.returnResult, officer, .init())]
                    }
                    // Some stop part-way: left open (and late, once their due date passes).
                    let keep = Int.random(in: 0..<5, using: &rng) == 0 ? Int.random(in: 0...actions.count, using: &rng) : actions.count
                    plans.append(Plan(code: d.dossier.code, version: d.dossier.version, actions: Array(actions.prefix(keep))))
                } else if roll < 9 {
                    let i = Int.random(in: 0..<plans.count, using: &rng)
                    guard let (action, actor, input) = plans[i].actions.first else { continue }
                    let d = try await t.app.dossiers.act(code: plans[i].code, action: action, input: input, expectedVersion: plans[i].version, by: actor)
                    plans[i].version = d.dossier.version
                    plans[i].actions.removeFirst()
                } else if Int.random(in: 0..<2, using: &rng) == 0 {
                    _ = try await relay.runOnce()  // the portal's acknowledgements move 1.4
                } else {
                    // A petition about a dossier moves 5.4 (the "complained" fact).
                    let code = plans[Int.random(in: 0..<plans.count, using: &rng)].code
                    _ = try await t.app.petitions.file(
                        PetitionService.Request(
                            petitionClass: .procedure, dossierCode: code, petitioner: Petitioner(fullName: "Phạm Thị Hoa", phone: "0912345678"),
                            content: "Phản ánh về hồ sơ"), proof: .phone("0912345678"))
                }
            }
            let live = try await IndexStore.allCounts(on: t.app.database)
            let report = try await t.app.index.rebuild(by: Actor.system)
            #expect(report.entriesDiffering == 0 && report.countsDiffering == 0, "\(report)")
            #expect(try await IndexStore.allCounts(on: t.app.database) == live)
            // The history was not trivial: dossiers over several months, late ones, synced ones.
            let received = try await t.app.database.first("SELECT COUNT(*) AS n FROM dossiers WHERE received_at IS NOT NULL")?.int("n") ?? 0
            #expect(report.counted == received && received > 60)
            let facts = try await IndexStore.allEntries(on: t.app.database).values
            #expect(Set(facts.map(\.period)).count >= 3)
            #expect(facts.contains { $0.facts.contains(.ended) && !$0.facts.contains(.endedOnTime) })
            #expect(facts.contains { $0.facts.contains(.repeatedSupplement) })
            #expect(facts.contains { $0.facts.contains(.synced) })
            #expect(facts.contains { $0.facts.contains(.complained) })
        }
    }
}
