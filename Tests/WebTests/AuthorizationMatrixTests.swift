// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import HTTPTypes
import Services
import Storage
import Testing

/// Who may do what to whose dossier, over the API: every role (one-stop officer, specialist,
/// leader, administrator, citizen) × every dossier action and read × own unit / other unit /
/// the citizen's own dossier / another citizen's. The expected cells are written out here, from
/// the law (DOMAIN.md and Decree 118/2025's division of work), not computed from the policy
/// under test. A denied call changes nothing; an allowed one is carried out on a dossier of its own.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    enum Who: String, CaseIterable, CustomStringConvertible {
        case officerOwn, officerOther, specialistOwn, specialistOther, leaderOwn, leaderOther, admin, owner, otherCitizen
        var description: String { rawValue }
        var username: String {
            switch self {
            case .officerOwn: "motcua.0002003h99"
            case .officerOther: "motcua.0002004h99"
            case .specialistOwn: "chuyenvien.0002003h99"
            case .specialistOther: "chuyenvien.0002004h99"
            case .leaderOwn: "lanhdao.0002003h99"
            case .leaderOther: "lanhdao.0002004h99"
            case .admin: "admin"
            case .owner: "citizen"
            case .otherCitizen: "citizen.khac"
            }
        }
    }

    /// Where a dossier stands before the action.
    enum Stage: String { case registered, received, queued, approved, supplementRequested, paymentRequested, processed }

    /// One row: an action on a dossier at a stage, exactly who may take it, and who may take it
    /// only at another stage (answered 409 with what they may do now). Everyone else gets 403.
    struct Cell: CustomStringConvertible {
        let action: DossierAction
        let stage: Stage
        let allowed: Set<Who>
        var otherStage: Set<Who> = []
        var description: String { "\(action.rawValue) at \(stage.rawValue)" }
    }

    static let cells: [Cell] = [
        // Reception belongs to the one-stop of the receiving unit; the applicant may withdraw.
        Cell(action: .receive, stage: .registered, allowed: [.officerOwn]),
        Cell(action: .refuse, stage: .registered, allowed: [.officerOwn]),
        Cell(action: .requestSupplement, stage: .registered, allowed: [.officerOwn], otherStage: [.specialistOwn, .leaderOwn]),
        Cell(action: .withdraw, stage: .registered, allowed: [.officerOwn, .owner]),
        Cell(action: .assign, stage: .received, allowed: [.officerOwn], otherStage: [.leaderOwn]),
        Cell(action: .requestPayment, stage: .received, allowed: [.officerOwn], otherStage: [.specialistOwn]),
        // The competent unit decides to stop or to set a new date, even before handling starts.
        Cell(action: .stop, stage: .received, allowed: [.leaderOwn]),
        Cell(action: .extend, stage: .received, allowed: [.specialistOwn, .leaderOwn]),
        // Handling belongs to the handling unit: the leader assigns and approves.
        Cell(action: .assign, stage: .queued, allowed: [.leaderOwn], otherStage: [.officerOwn]),
        Cell(action: .transfer, stage: .queued, allowed: [.specialistOwn, .leaderOwn]),
        Cell(action: .approve, stage: .queued, allowed: [.leaderOwn]),
        Cell(action: .requestSupplement, stage: .queued, allowed: [.specialistOwn, .leaderOwn], otherStage: [.officerOwn]),
        Cell(action: .requestPayment, stage: .queued, allowed: [.specialistOwn], otherStage: [.officerOwn]),
        Cell(action: .withdraw, stage: .queued, allowed: [.officerOwn, .owner]),
        Cell(action: .finish, stage: .approved, allowed: [.specialistOwn, .leaderOwn]),
        // The applicant answers a supplement request or pays, at the counter or online.
        Cell(action: .supplement, stage: .supplementRequested, allowed: [.officerOwn, .owner]),
        Cell(action: .recordPayment, stage: .paymentRequested, allowed: [.officerOwn, .owner]),
        Cell(action: .returnResult, stage: .processed, allowed: [.officerOwn]),
    ]

    /// A dossier of UBND xã Tân Lập (received and handled there), the citizen's own, at `stage`.
    static func dossier(at stage: Stage, _ t: TestApp) async throws -> Dossier {
        let unit = TestApp.tanLap
        let (officer, specialist, leader) = (TestApp.officer(unit), TestApp.specialist(unit), TestApp.leader(unit))
        func act(_ d: Dossier, _ a: DossierAction, _ input: ActionInput = .init(), by who: Actor) async throws -> Dossier {
            try await t.app.dossiers.act(code: d.code, action: a, input: input, expectedVersion: d.version, by: who).dossier
        }
        if stage == .registered {
            return try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .online, receivingUnit: unit, applicant: TestApp.applicant()), by: TestApp.citizen
            ).dossier
        }
        var d = try await t.app.dossiers.create(
            IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: officer
        ).dossier
        switch stage {
        case .registered, .received: return d
        case .paymentRequested: return try await act(d, .requestPayment, .init(amount: 8000), by: officer)
        default: break
        }
        d = try await act(d, .assign, by: officer)
        switch stage {
        case .queued: return d
        case .supplementRequested: return try await act(d, .requestSupplement, .init(reason: "Thiếu bản chụp giấy chứng sinh"), by: specialist)
        default: break
        }
        d = try await act(d, .approve, by: leader)
        if stage == .approved { return d }
        return try await act(d, .finish, by: specialist)
    }

    static func body(_ d: Dossier) -> [String: Any] {
        [
            "version": d.version, "reason": "Lý do kiểm thử", "note": "kiểm thử", "assignee": "chuyenvien.0002003h99", "toUnit": TestApp.dongSon,
            "newDueAt": "2027-01-15T09:00:00+07:00", "amount": 8000,
        ]
    }

    @Test("every dossier action: allowed to exactly its role in its scope, refused to everyone else (403; 409 at the wrong stage) with nothing changed", arguments: TestDB.available)
    func actions(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            try await t.app.accounts.save(username: Who.otherCitizen.username, password: "demo", fullName: "Lê Văn Khác", roles: [.citizen], unit: nil, idNumber: "001090000123")
            var tokens: [Who: String] = [:]
            for who in Who.allCases { tokens[who] = try await api.token(who.username) }
            for cell in Self.cells {
                // The refusals first, all on one dossier, which must come out unchanged.
                let shared = try await Self.dossier(at: cell.stage, t)
                for who in Who.allCases where !cell.allowed.contains(who) {
                    let r = try await api.call(.post, "/api/v1/dossiers/\(shared.code)/actions/\(cell.action.rawValue)", token: tokens[who], json: Self.body(shared))
                    let expected: HTTPResponse.Status = cell.otherStage.contains(who) ? .conflict : .forbidden
                    #expect(r.status == expected, "\(cell) by \(who): \(r.status) \(r.text.prefix(300))")
                }
                let after = try await t.app.dossiers.get(code: shared.code, by: .system)
                #expect(after.dossier.version == shared.version && after.dossier.status == shared.status, "\(cell): a refused call changed the dossier")
                // Each allowed actor on a dossier of its own.
                for who in cell.allowed {
                    let d = try await Self.dossier(at: cell.stage, t)
                    let r = try await api.call(.post, "/api/v1/dossiers/\(d.code)/actions/\(cell.action.rawValue)", token: tokens[who], json: Self.body(d))
                    #expect(r.status == .ok, "\(cell) by \(who): \(r.status) \(r.text.prefix(300))")
                }
            }
        }
    }

    @Test("reading a dossier, its files, its receipt, and finding it in lists: its units' officials, administrators and its owner only", arguments: TestDB.available)
    func reads(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            try await t.app.accounts.save(username: Who.otherCitizen.username, password: "demo", fullName: "Lê Văn Khác", roles: [.citizen], unit: nil, idNumber: "001090000123")
            let d = try await Self.dossier(at: .queued, t)
            let readers: Set<Who> = [.officerOwn, .specialistOwn, .leaderOwn, .admin, .owner]
            for who in Who.allCases {
                let token = try await api.token(who.username)
                for path in ["/api/v1/dossiers/\(d.code)", "/api/v1/dossiers/\(d.code)/components", "/api/v1/dossiers/\(d.code)/forms/mau-01"] {
                    let r = try await api.call(.get, path, token: token)
                    if readers.contains(who) {
                        #expect(r.status == .ok, "\(who) reads \(path): \(r.status) \(r.text.prefix(200))")
                    } else {
                        #expect(r.status == .forbidden || r.status == .notFound, "\(who) reads \(path): \(r.status)")
                        #expect(!r.text.contains("Phạm Thị Hoa") && !r.text.contains(DemoProvince.citizenIdNumber), "\(who) saw personal data in \(path)")
                    }
                }
                let list = try await api.call(.get, "/api/v1/dossiers", token: token)
                #expect(list.text.contains(d.code) == readers.contains(who), "\(who) lists: \(list.status)")
            }
            // Without a token: nothing.
            #expect(try await api.call(.get, "/api/v1/dossiers/\(d.code)").status == .unauthorized)
            #expect(try await api.call(.post, "/api/v1/dossiers/\(d.code)/actions/approve", json: Self.body(d)).status == .unauthorized)
        }
    }

    @Test("the other routes: filing at the counter, the warehouse, search, the index, the tracking book, portal administration", arguments: TestDB.available)
    func routes(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            try await t.app.accounts.save(username: Who.otherCitizen.username, password: "demo", fullName: "Lê Văn Khác", roles: [.citizen], unit: nil, idNumber: "001090000123")
            _ = try await Self.dossier(at: .queued, t)
            let unit = TestApp.tanLap
            let window: [String: Any] = [
                "procedureCode": "1.001193", "channel": "window", "receivingUnit": unit,
                "applicant": ["idNumber": "001090012345", "fullName": "Nguyễn Thị Ngọc Ánh", "phone": "0912345678"],
            ]
            let officials: Set<Who> = [.officerOwn, .officerOther, .specialistOwn, .specialistOther, .leaderOwn, .leaderOther]
            let rows: [(String, HTTPRequest.Method, String, [String: Any]?, Set<Who>)] = [
                // Reception at a unit is that unit's one-stop's.
                ("receive at the counter", .post, "/api/v1/dossiers", window, [.officerOwn]),
                // Any one-stop officer (reception is not territorial) and the person themselves.
                ("a person's warehouse", .get, "/api/v1/warehouse?owner=\(DemoProvince.citizenIdNumber)&purpose=tiep-nhan", nil, [.officerOwn, .officerOther, .owner]),
                ("search", .get, "/api/v1/search?q=hoa", nil, officials.union([.admin])),
                // The index: the unit's leaders (and the province's) and administrators.
                ("the unit's index", .get, "/api/v1/index?unit=\(unit)&period=2026-11", nil, [.leaderOwn, .admin]),
                ("the unit's officials' table", .get, "/api/v1/index/officials?unit=\(unit)&period=2026-11", nil, [.leaderOwn, .admin]),
                ("the unit's tracking book", .get, "/api/v1/units/\(unit)/tracking-book?from=2026-11-01&to=2026-11-30", nil, [.officerOwn, .specialistOwn, .leaderOwn, .admin]),
                ("portal sync status", .get, "/api/v1/admin/sync", nil, [.admin]),
                ("parked dossiers", .get, "/api/v1/admin/sync/parked", nil, [.admin]),
            ]
            for who in Who.allCases {
                let token = try await api.token(who.username)
                for (name, method, path, json, allowed) in rows {
                    let r = try await api.call(method, path, token: token, json: json)
                    if allowed.contains(who) {
                        #expect(r.status == .ok || r.status == .created, "\(name) by \(who): \(r.status) \(r.text.prefix(200))")
                    } else {
                        #expect(r.status == .forbidden, "\(name) by \(who): \(r.status) \(r.text.prefix(200))")
                    }
                }
            }
            // Search answers only what the caller may read: the other commune finds nothing of Tân Lập's.
            let other = try await api.call(.get, "/api/v1/search?q=hoa", token: try await api.token(Who.specialistOther.username))
            #expect(!other.text.contains("Phạm Thị Hoa"), "\(other.text.prefix(300))")
        }
    }
}
