// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import Domain

// MARK: - The expected policy, written out independently of DossierPolicy

/// One grant of the expected policy: a role may take an action on a dossier in its scope
/// (officer: the receiving one-stop unit; specialist and leader: the unit holding the dossier;
/// citizen: the dossier's owner) in these statuses, and, where it matters, these handling stages.
private struct Grant {
    enum Scope { case receiving, handling, competent, owner }
    let role: Role
    let action: DossierAction
    let statuses: Set<DossierStatus>
    let stages: Set<HandlingStage>?
    var scope: Scope

    init(role: Role, action: DossierAction, statuses: Set<DossierStatus>, stages: Set<HandlingStage>?, scope: Scope? = nil) {
        self.role = role
        self.action = action
        self.statuses = statuses
        self.stages = stages
        // Officers act for the receiving one-stop, specialists and leaders for the unit holding
        // the dossier, citizens for their own dossiers, unless the grant says otherwise.
        self.scope = scope ?? (role == .officer ? .receiving : role == .citizen ? .owner : .handling)
    }
}

/// Open statuses: handling has not ended.
private let openStatuses: Set<DossierStatus> = [.registered, .received, .processing, .supplementRequested, .paymentRequested]

/// Derived from DOMAIN.md §2 (one-stop sequence, forms 01–06, roles) and §4 (the ten statuses):
/// - the one-stop officer receives (Mẫu 01) or refuses (Mẫu 03) an online submission, asks for a
///   supplement at reception (Mẫu 02) before the dossier leaves the one-stop, takes the supplement or
///   the payment at the window, hands the dossier to the competent unit, returns the result, and
///   records a withdrawal the applicant asks for at the window;
/// - the specialist handles it inside the competent unit: asks for a supplement or a payment,
///   transfers it to another agency (liên thông) before approval, finishes it after approval, and
///   writes the apology letter with a new date (Mẫu 04);
/// - the leader gives it to a specialist, approves the draft result, may also ask for a
///   supplement, transfer, finish or extend, and alone decides to stop it (Mẫu 05);
/// - the administrator manages the catalogue and users and takes no dossier action;
/// - the citizen supplements, pays or withdraws their own dossier online.
private let expectedGrants: [Grant] = [
    // Officer (receiving unit).
    Grant(role: .officer, action: .receive, statuses: [.registered], stages: nil),
    Grant(role: .officer, action: .refuse, statuses: [.registered], stages: nil),
    Grant(role: .officer, action: .requestSupplement, statuses: [.registered, .received], stages: nil),
    Grant(role: .officer, action: .supplement, statuses: [.supplementRequested], stages: nil),
    Grant(role: .officer, action: .assign, statuses: [.received], stages: nil),
    Grant(role: .officer, action: .requestPayment, statuses: [.received], stages: nil),
    Grant(role: .officer, action: .recordPayment, statuses: [.paymentRequested], stages: nil),
    Grant(role: .officer, action: .returnResult, statuses: [.processed], stages: nil),
    Grant(role: .officer, action: .withdraw, statuses: openStatuses, stages: nil),
    // Specialist (handling unit).
    Grant(role: .specialist, action: .requestSupplement, statuses: [.processing], stages: nil),
    Grant(role: .specialist, action: .transfer, statuses: [.processing], stages: [.queued, .assigned]),
    Grant(role: .specialist, action: .requestPayment, statuses: [.processing], stages: nil),
    Grant(role: .specialist, action: .finish, statuses: [.processing], stages: [.approved]),
    // The apology and new date (Mẫu 04) and the notice of stopping (Mẫu 05) come from the
    // competent unit, even while the one-stop still holds the dossier (status 2, or 5/6 paused from 2).
    Grant(role: .specialist, action: .extend, statuses: [.received, .processing], stages: nil, scope: .competent),
    // Leader (handling unit).
    Grant(role: .leader, action: .requestSupplement, statuses: [.processing], stages: nil),
    Grant(role: .leader, action: .assign, statuses: [.processing], stages: [.queued, .assigned]),
    Grant(role: .leader, action: .transfer, statuses: [.processing], stages: [.queued, .assigned]),
    Grant(role: .leader, action: .approve, statuses: [.processing], stages: [.queued, .assigned]),
    Grant(role: .leader, action: .finish, statuses: [.processing], stages: [.approved]),
    Grant(role: .leader, action: .stop, statuses: [.received, .processing, .supplementRequested, .paymentRequested], stages: nil, scope: .competent),
    Grant(role: .leader, action: .extend, statuses: [.received, .processing], stages: nil, scope: .competent),
    // Admin: nothing. Citizen (owner).
    Grant(role: .citizen, action: .supplement, statuses: [.supplementRequested], stages: nil),
    Grant(role: .citizen, action: .recordPayment, statuses: [.paymentRequested], stages: nil),
    Grant(role: .citizen, action: .withdraw, statuses: openStatuses, stages: nil),
]

/// The expected verdict for an actor of `role` whose relation to the dossier is `relations`
/// (which of receiving/handling/competent unit it belongs to, or owner).
private func expectedVerdict(
    _ role: Role, _ action: DossierAction, _ status: DossierStatus, _ stage: HandlingStage, _ relations: Set<Grant.Scope>
) -> DossierPolicy.Verdict {
    let grants = expectedGrants.filter { $0.role == role && $0.action == action && relations.contains($0.scope) }
    if grants.isEmpty { return .forbidden }
    let ok = grants.contains { $0.statuses.contains(status) && ($0.stages?.contains(stage) ?? true) }
    return ok ? .allowed : .wrongStatus
}

/// The status an allowed action leads to (independent of the lifecycle code).
private func expectedStatus(after action: DossierAction, from d: Dossier) -> DossierStatus {
    switch action {
    case .receive: .received
    case .refuse: .refused
    case .requestSupplement: .supplementRequested
    case .supplement, .recordPayment: d.statusBeforePause!
    case .assign, .transfer, .approve: .processing
    case .requestPayment: .paymentRequested
    case .finish: .processed
    case .returnResult: .returned
    case .withdraw: .withdrawn
    case .stop: .stopped
    case .extend: d.status
    }
}

/// The handling stages that can occur with a status: 4 has its three stages; a paused dossier keeps
/// the stage it had (none before transfer, any stage during handling); other statuses have none.
private func stages(for status: DossierStatus) -> [HandlingStage] {
    switch status {
    case .processing: [.queued, .assigned, .approved]
    case .supplementRequested, .paymentRequested: [.none, .queued, .assigned, .approved]
    default: [.none]
    }
}

/// Two layouts: received at the centre and handled by a department, or a commune doing both.
private struct Layout {
    let receiving: AdministrativeUnit
    let competent: AdministrativeUnit
    /// Officials of other units, for the out-of-scope checks.
    let strangers: [AdministrativeUnit]
}

private let layouts = [
    Layout(receiving: Fx.centre, competent: Fx.justice, strangers: [Fx.branch, Fx.construction, Fx.communeB]),
    Layout(receiving: Fx.communeA, competent: Fx.communeA, strangers: [Fx.communeB, Fx.centre, Fx.justice]),
]

/// A dossier in `status`/`stage`, held by the receiving unit before hand-over and by the competent unit after.
private func matrixDossier(_ status: DossierStatus, _ stage: HandlingStage, _ layout: Layout) -> Dossier {
    let preHandOver = stage == .none && [.registered, .received, .refused, .supplementRequested, .paymentRequested].contains(status)
    let before: DossierStatus? =
        switch status {
        case .supplementRequested: stage == .none ? .received : .processing
        case .paymentRequested: stage == .none ? .received : .processing
        default: nil
        }
    return Fx.dossier(
        status: status, stage: stage, receiving: layout.receiving, competent: layout.competent,
        handling: preHandOver ? layout.receiving : layout.competent, statusBeforePause: before)
}

/// The actors of a role related to a dossier: officials of each unit it involves (receiving,
/// handling, competent), or its owner; with the relations each has.
private func relatedActors(_ role: Role, _ d: Dossier) -> [(Actor, Set<Grant.Scope>)] {
    if role == .citizen { return [(Fx.citizen(), [.owner])] }
    let units = [d.receivingUnit, d.handlingUnit, d.competentUnit].reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    return units.map { u in
        var rel: Set<Grant.Scope> = []
        if u == d.receivingUnit { rel.insert(.receiving) }
        if u == d.handlingUnit { rel.insert(.handling) }
        if u == d.competentUnit { rel.insert(.competent) }
        return (Actor(username: "\(role.rawValue).\(u)", roles: [role], unit: u), rel)
    }
}

/// An input with every field an action may need.
private func fullInput(_ d: Dossier) -> ActionInput {
    ActionInput(
        note: "ghi chú", reason: "Thiếu bản sao giấy khai sinh", assignee: "cv.nguyen",
        toUnit: d.handlingUnit == Fx.construction.code ? Fx.justice.code : Fx.construction.code,
        newDueAt: Fx.at(2026, 3, 20, 10), amount: 50_000)
}

private let now = Fx.at(2026, 3, 4, 10)

@Suite("Dossier policy matrix")
struct DossierPolicyMatrixTests {
    @Test func everyRoleStatusStageAndActionMatchesTheExpectedTable() {
        var mismatches: [String] = []
        var cases = 0
        for layout in layouts {
            for status in DossierStatus.allCases {
                for stage in stages(for: status) {
                    let d = matrixDossier(status, stage, layout)
                    for role in Role.allCases {
                        for (actor, relations) in relatedActors(role, d) {
                            for action in DossierAction.allCases {
                                cases += 1
                                let got = DossierPolicy.verdict(action, on: d, by: actor)
                                let want = expectedVerdict(role, action, status, stage, relations)
                                if got != want {
                                    mismatches.append("\(layout.receiving.name): \(actor.username) \(action.rawValue) in \(status.rawValue)/\(stage): got \(got), want \(want)")
                                }
                            }
                            let allowed = Set(DossierPolicy.allowedActions(on: d, by: actor))
                            let wantAllowed = Set(DossierAction.allCases.filter { expectedVerdict(role, $0, status, stage, relations) == .allowed })
                            if allowed != wantAllowed {
                                mismatches.append("allowedActions \(actor.username) in \(status.rawValue)/\(stage): \(allowed.map(\.rawValue).sorted())")
                            }
                        }
                    }
                }
            }
        }
        #expect(cases > 2000)
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    @Test func outOfScopeActorsAreForbiddenEverything() {
        var mismatches: [String] = []
        for layout in layouts {
            for status in DossierStatus.allCases {
                for stage in stages(for: status) {
                    let d = matrixDossier(status, stage, layout)
                    var strangers = layout.strangers.flatMap { u in
                        [Fx.officer(u), Fx.specialist(u), Fx.leader(u), Actor(username: "quantri", roles: [.admin], unit: u.code)]
                    }
                    strangers.append(Fx.citizen(Fx.otherID, username: "someone.else"))
                    strangers.append(Actor(username: "noone", roles: [.citizen], unit: nil, idNumber: nil))
                    // An official with no unit at all, and one with every role but no unit.
                    strangers.append(Actor(username: "nounit", roles: [.officer, .specialist, .leader], unit: nil))
                    for actor in strangers {
                        for action in DossierAction.allCases where DossierPolicy.verdict(action, on: d, by: actor) != .forbidden {
                            mismatches.append("\(actor.username)@\(actor.unit ?? "-") \(action.rawValue) in \(status.rawValue)/\(stage)")
                        }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    @Test func officersActForTheReceivingUnitAndHandlersForTheHandlingUnit() {
        // After hand-over: the centre's specialist/leader and the department's officer have nothing to do.
        for stage in [HandlingStage.queued, .assigned, .approved] {
            let d = Fx.dossier(status: .processing, stage: stage, receiving: Fx.centre, competent: Fx.justice, handling: Fx.justice)
            for actor in [Fx.officer(Fx.justice), Fx.specialist(Fx.centre), Fx.leader(Fx.centre)] {
                for action in DossierAction.allCases {
                    #expect(DossierPolicy.verdict(action, on: d, by: actor) == .forbidden, "\(actor.username)@\(actor.unit!) \(action)")
                }
            }
        }
        // The result goes back at the one-stop that received it.
        let done = Fx.dossier(status: .processed, receiving: Fx.centre, competent: Fx.justice, handling: Fx.justice)
        #expect(DossierPolicy.verdict(.returnResult, on: done, by: Fx.officer(Fx.centre)) == .allowed)
        #expect(DossierPolicy.verdict(.returnResult, on: done, by: Fx.officer(Fx.justice)) == .forbidden)
    }

    @Test func theCompetentUnitStopsAndExtendsEvenBeforeHandOver() {
        // Received at the centre for the justice department, not yet handed over.
        let d = Fx.dossier(status: .received, receiving: Fx.centre, competent: Fx.justice, handling: Fx.centre)
        #expect(DossierPolicy.verdict(.stop, on: d, by: Fx.leader(Fx.centre)) == .forbidden)
        #expect(DossierPolicy.verdict(.extend, on: d, by: Fx.specialist(Fx.centre)) == .forbidden)
        #expect(DossierPolicy.verdict(.stop, on: d, by: Fx.leader(Fx.justice)) == .allowed)
        #expect(DossierPolicy.verdict(.extend, on: d, by: Fx.leader(Fx.justice)) == .allowed)
    }

    @Test func ownerIsRecognisedByIDNumberOrByAccount() {
        let d = Fx.dossier(status: .supplementRequested, statusBeforePause: .received)
        // Same ID number, another account (e.g. filed at the window on their behalf).
        #expect(DossierPolicy.verdict(.supplement, on: d, by: Fx.citizen(Fx.ownerID, username: "other.account")) == .allowed)
        // The account that filed it, whatever ID it carries.
        #expect(DossierPolicy.verdict(.supplement, on: d, by: Actor(username: "citizen.owner", roles: [.citizen], unit: nil)) == .allowed)
        // A window dossier has no owner account: only the ID number counts.
        let window = Fx.dossier(status: .supplementRequested, statusBeforePause: .received, channel: .window)
        #expect(DossierPolicy.verdict(.supplement, on: window, by: Actor(username: "citizen.owner", roles: [.citizen], unit: nil)) == .forbidden)
        #expect(DossierPolicy.verdict(.supplement, on: window, by: Fx.citizen()) == .allowed)
    }

    @Test func systemActorTakesNoDossierAction() {
        let d = Fx.dossier(status: .received)
        for action in DossierAction.allCases {
            #expect(DossierPolicy.verdict(action, on: d, by: .system) == .forbidden)
        }
    }

    @Test func canRead() {
        let d = Fx.dossier(status: .processing, stage: .queued, receiving: Fx.centre, competent: Fx.justice, handling: Fx.justice)
        #expect(DossierPolicy.canRead(d, by: Fx.officer(Fx.centre)))
        #expect(DossierPolicy.canRead(d, by: Fx.specialist(Fx.justice)))
        #expect(DossierPolicy.canRead(d, by: Fx.admin(Fx.communeB)))
        #expect(DossierPolicy.canRead(d, by: Fx.citizen()))
        #expect(!DossierPolicy.canRead(d, by: Fx.specialist(Fx.construction)))
        #expect(!DossierPolicy.canRead(d, by: Fx.citizen(Fx.otherID, username: "someone.else")))
    }
}

@Suite("Dossier lifecycle transitions")
struct DossierLifecycleTests {
    let cal = Fx.statutoryCalendar

    func apply(_ action: DossierAction, _ input: ActionInput, _ d: Dossier, by actor: Actor, at t: Date = now) throws(LifecycleError) -> Transition {
        try DossierLifecycle.apply(action, input: input, to: d, by: actor, at: t, calendar: cal)
    }

    func apply(_ action: DossierAction, _ d: Dossier, by actor: Actor, at t: Date = now) throws(LifecycleError) -> Transition {
        try apply(action, ActionInput(), d, by: actor, at: t)
    }

    /// Every allowed cell of the matrix applies with a sufficient input and lands in the expected status.
    @Test func everyAllowedTransitionApplies() {
        var failures: [String] = []
        var applied = 0
        for layout in layouts {
            for status in DossierStatus.allCases {
                for stage in stages(for: status) {
                    let d = matrixDossier(status, stage, layout)
                    for role in Role.allCases {
                        for (actor, relations) in relatedActors(role, d) {
                        for action in DossierAction.allCases where expectedVerdict(role, action, status, stage, relations) == .allowed {
                            let label = "\(layout.receiving.name): \(actor.username) \(action.rawValue) in \(status.rawValue)/\(stage)"
                            do {
                                let t = try apply(action, fullInput(d), d, by: actor)
                                applied += 1
                                let want = expectedStatus(after: action, from: d)
                                if t.after.status != want { failures.append("\(label): status \(t.after.status.rawValue), want \(want.rawValue)") }
                                if t.after.version != d.version + 1 { failures.append("\(label): version \(t.after.version)") }
                                if t.after.updatedAt != now { failures.append("\(label): updatedAt") }
                                if t.event.fromStatus != d.status || t.event.toStatus != t.after.status {
                                    failures.append("\(label): event \(String(describing: t.event.fromStatus)) → \(t.event.toStatus)")
                                }
                                if t.event.action != action.rawValue { failures.append("\(label): event action \(t.event.action)") }
                                if t.after.code != d.code || t.after.id != d.id { failures.append("\(label): identity changed") }
                                if !t.effects.contains(.syncToPortal) { failures.append("\(label): no portal sync") }
                                if t.event.note != "ghi chú" { failures.append("\(label): note lost") }
                                // A paused clock never survives a transition out of the paused status.
                                if ![.supplementRequested, .paymentRequested].contains(t.after.status), t.after.pausedAt != nil {
                                    failures.append("\(label): clock still stopped")
                                }
                            } catch {
                                failures.append("\(label): threw \(error)")
                            }
                        }
                        }
                    }
                }
            }
        }
        #expect(applied > 100)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func wrongStatusAndForbiddenAreThrown() {
        let d = Fx.dossier(status: .received)
        #expect(throws: LifecycleError.wrongStatus(action: .receive, status: .received, allowed: DossierPolicy.allowedActions(on: d, by: Fx.officer(Fx.centre)))) {
            try apply(.receive, d, by: Fx.officer(Fx.centre))
        }
        let allowed = DossierPolicy.allowedActions(on: d, by: Fx.officer(Fx.centre))
        #expect(Set(allowed) == [.requestSupplement, .assign, .requestPayment, .withdraw])
        do {
            _ = try apply(.receive, d, by: Fx.officer(Fx.branch))
            Issue.record("an officer of another unit received the dossier")
        } catch {
            guard case .forbidden(let action, let reason) = error else { Issue.record("expected forbidden, got \(error)"); return }
            #expect(action == .receive)
            #expect(!reason.isEmpty)
        }
        do {
            _ = try apply(.approve, Fx.dossier(status: .processing, stage: .queued, handling: Fx.justice), by: Fx.admin(Fx.justice))
            Issue.record("an admin approved a dossier")
        } catch {
            guard case .forbidden = error else { Issue.record("expected forbidden, got \(error)"); return }
        }
    }

    // MARK: - Reception

    @Test func receiveStartsTheClock() throws {
        let d = Fx.dossier(status: .registered)
        let t = try apply(.receive, d, by: Fx.officer(Fx.centre))
        #expect(t.after.status == .received)
        #expect(t.after.receivedAt == now)
        // Wed 4/3/2026 10:00 + 10 working days = Wed 18/3/2026 10:00.
        #expect(t.after.dueAt == Fx.at(2026, 3, 18, 10))
        #expect(t.event.fromStatus == .registered && t.event.toStatus == .received)
        #expect(t.event.data["dueAt"] == "2026-03-18T10:00:00+07:00")
        #expect(t.effects.contains(.startClock))
        #expect(t.effects.contains(.notifyApplicant))
        #expect(t.after.version == d.version + 1)
    }

    @Test func receiveAfterTheCutOffCountsFromTheNextDay() throws {
        var d = Fx.dossier(status: .registered)
        d.cutoffMinute = 15 * 60
        let t = try apply(.receive, d, by: Fx.officer(Fx.centre), at: Fx.at(2026, 3, 4, 15, 30))
        // Counting starts Thu 5/3 07:30; 10 WD end Wed 18/3 17:00.
        #expect(t.after.dueAt == Fx.at(2026, 3, 18, 17))
    }

    @Test func refuseNeedsAReason() throws {
        let d = Fx.dossier(status: .registered)
        #expect(throws: LifecycleError.self) { try apply(.refuse, d, by: Fx.officer(Fx.centre)) }
        for reason in [nil, "", "   \n"] as [String?] {
            do {
                _ = try apply(.refuse, ActionInput(reason: reason), d, by: Fx.officer(Fx.centre))
                Issue.record("refused without a reason")
            } catch {
                guard case .invalidInput(let field, _) = error else { Issue.record("\(error)"); continue }
                #expect(field == "reason")
            }
        }
        let t = try apply(.refuse, ActionInput(reason: " Không thuộc thẩm quyền "), d, by: Fx.officer(Fx.centre))
        #expect(t.after.status == .refused)
        #expect(t.after.finishedAt == now)
        #expect(t.after.dueAt == nil)
        #expect(t.event.data["reason"] == "Không thuộc thẩm quyền")
        #expect(t.event.toStatus == .refused)
    }

    // MARK: - Supplement (clock stop)

    @Test func requestSupplementStopsTheClockOnlyOnceReceived() throws {
        let received = Fx.dossier(status: .received)
        let t = try apply(.requestSupplement, ActionInput(reason: "Thiếu tờ khai"), received, by: Fx.officer(Fx.centre))
        #expect(t.after.status == .supplementRequested)
        #expect(t.after.statusBeforePause == .received)
        #expect(t.after.pausedAt == now)
        #expect(t.after.pauseKind == .supplement)
        #expect(t.after.supplementCount == 1)
        #expect(t.effects.contains(.stopClock(.supplement)))
        #expect(t.after.dueAt == received.dueAt, "the due date moves on resume, not on request")

        // An online submission not yet accepted has no clock to stop.
        let registered = Fx.dossier(status: .registered)
        let r = try apply(.requestSupplement, ActionInput(reason: "Thiếu tờ khai"), registered, by: Fx.officer(Fx.centre))
        #expect(r.after.status == .supplementRequested)
        #expect(r.after.statusBeforePause == .registered)
        #expect(r.after.pausedAt == nil)
        #expect(r.after.supplementCount == 0)
        #expect(!r.effects.contains(.stopClock(.supplement)))

        do {
            _ = try apply(.requestSupplement, received, by: Fx.officer(Fx.centre))
            Issue.record("supplement requested without saying what is missing")
        } catch {
            #expect(error == .invalidInput(field: "reason", message: "say what is missing and why (Mẫu 02)"))
        }
    }

    @Test func supplementTuesdayToThursdayMovesTheDueDateByTwoWorkingDays() throws {
        // In handling with a specialist; due Mon 16/3/2026 10:00.
        var d = Fx.dossier(status: .processing, stage: .assigned, handling: Fx.justice)
        d.assignee = "cv.nguyen"
        let requested = try apply(.requestSupplement, ActionInput(reason: "Thiếu bản sao"), d, by: Fx.specialist(Fx.justice), at: Fx.at(2026, 3, 3, 10))
        #expect(requested.after.status == .supplementRequested)
        let supplied = try apply(.supplement, requested.after, by: Fx.citizen(), at: Fx.at(2026, 3, 5, 10))
        #expect(supplied.after.status == .processing)
        #expect(supplied.after.stage == .assigned)
        #expect(supplied.after.assignee == "cv.nguyen")
        #expect(supplied.after.statusBeforePause == nil)
        #expect(supplied.after.pausedAt == nil)
        #expect(supplied.after.pauseKind == nil)
        // 16 working hours = 2 working days: Mon 16/3 10:00 → Wed 18/3 10:00.
        #expect(supplied.after.dueAt == Fx.at(2026, 3, 18, 10))
        #expect(cal.workingMinutes(from: d.dueAt!, to: supplied.after.dueAt!) == 16 * 60)
        #expect(supplied.after.pausedMinutes == 48 * 60, "pausedMinutes counts elapsed minutes")
        #expect(supplied.effects.contains(.resumeClock(addedMinutes: 48 * 60)))
        #expect(supplied.event.fromStatus == .supplementRequested && supplied.event.toStatus == .processing)
        #expect(supplied.event.data["oldDueAt"] == "2026-03-16T10:00:00+07:00")
        #expect(supplied.event.data["newDueAt"] == "2026-03-18T10:00:00+07:00")
        #expect(supplied.after.version == d.version + 2)
    }

    @Test func supplementAcrossAWeekendStillTwoWorkingDays() throws {
        let d = Fx.dossier(status: .received)
        // Requested Fri 6/3 10:00 at the window, supplied Tue 10/3 10:00 at the window.
        let requested = try apply(.requestSupplement, ActionInput(reason: "Thiếu bản sao"), d, by: Fx.officer(Fx.centre), at: Fx.at(2026, 3, 6, 10))
        let supplied = try apply(.supplement, requested.after, by: Fx.officer(Fx.centre), at: Fx.at(2026, 3, 10, 10))
        #expect(supplied.after.status == .received)
        #expect(supplied.after.dueAt == Fx.at(2026, 3, 18, 10))
    }

    @Test func supplementOfAnUnacceptedSubmissionGoesBackToRegistered() throws {
        let d = Fx.dossier(status: .supplementRequested, statusBeforePause: .registered)
        #expect(d.pausedAt == nil && d.dueAt == nil)
        let t = try apply(.supplement, d, by: Fx.citizen())
        #expect(t.after.status == .registered)
        #expect(t.after.dueAt == nil)
        #expect(!t.effects.contains { if case .resumeClock = $0 { true } else { false } })
    }

    // MARK: - Hand-over, assignment, transfer

    @Test func officerAssignHandsOverToTheCompetentUnit() throws {
        let d = Fx.dossier(status: .received, receiving: Fx.branch, competent: Fx.justice)
        #expect(d.handlingUnit == Fx.branch.code)
        let t = try apply(.assign, d, by: Fx.officer(Fx.branch))
        #expect(t.after.status == .processing)
        #expect(t.after.handlingUnit == Fx.justice.code)
        #expect(t.after.receivingUnit == Fx.branch.code)
        #expect(t.after.stage == .queued)
        #expect(t.after.dueAt == d.dueAt)
        #expect(t.event.data["toUnit"] == Fx.justice.code)
        #expect(t.event.fromStatus == .received && t.event.toStatus == .processing)
        // Now the department's leader holds it and the branch officer cannot approve.
        #expect(DossierPolicy.verdict(.assign, on: t.after, by: Fx.leader(Fx.justice)) == .allowed)
        #expect(DossierPolicy.verdict(.approve, on: t.after, by: Fx.officer(Fx.branch)) == .forbidden)
    }

    @Test func leaderAssignGivesItToASpecialist() throws {
        let d = Fx.dossier(status: .processing, stage: .queued, handling: Fx.justice)
        let t = try apply(.assign, ActionInput(assignee: " cv.tran "), d, by: Fx.leader(Fx.justice))
        #expect(t.after.status == .processing)
        #expect(t.after.stage == .assigned)
        #expect(t.after.assignee == "cv.tran")
        #expect(t.after.handlingUnit == Fx.justice.code)
        #expect(throws: LifecycleError.invalidInput(field: "assignee", message: "name the specialist (username) to assign")) {
            try apply(.assign, d, by: Fx.leader(Fx.justice))
        }
    }

    @Test func transferKeepsTheCodeAndChangesTheHandlingUnit() throws {
        var d = Fx.dossier(status: .processing, stage: .assigned, handling: Fx.justice)
        d.assignee = "cv.nguyen"
        let t = try apply(.transfer, ActionInput(toUnit: Fx.construction.code), d, by: Fx.specialist(Fx.justice))
        #expect(t.after.status == .processing)
        #expect(t.after.code == d.code)
        #expect(t.after.handlingUnit == Fx.construction.code)
        #expect(t.after.stage == .queued)
        #expect(t.after.assignee == nil)
        #expect(t.event.data["fromUnit"] == Fx.justice.code)
        #expect(t.event.data["toUnit"] == Fx.construction.code)
        // The old unit lost it; the new one has it.
        #expect(DossierPolicy.verdict(.approve, on: t.after, by: Fx.leader(Fx.justice)) == .forbidden)
        #expect(DossierPolicy.verdict(.approve, on: t.after, by: Fx.leader(Fx.construction)) == .allowed)

        for bad in [ActionInput(), ActionInput(toUnit: "  "), ActionInput(toUnit: Fx.justice.code)] {
            do {
                _ = try apply(.transfer, bad, d, by: Fx.specialist(Fx.justice))
                Issue.record("transfer accepted \(String(describing: bad.toUnit))")
            } catch {
                guard case .invalidInput(let field, _) = error else { Issue.record("\(error)"); continue }
                #expect(field == "toUnit")
            }
        }
    }

    // MARK: - Payment

    @Test func requestAndRecordPayment() throws {
        let d = Fx.dossier(status: .processing, stage: .assigned, handling: Fx.justice, fee: 0)
        let asked = try apply(.requestPayment, ActionInput(amount: 200_000), d, by: Fx.specialist(Fx.justice), at: Fx.at(2026, 3, 3, 10))
        #expect(asked.after.status == .paymentRequested)
        #expect(asked.after.fee == 200_000)
        #expect(asked.after.pausedAt == Fx.at(2026, 3, 3, 10))
        #expect(asked.after.pauseKind == .payment)
        #expect(asked.after.statusBeforePause == .processing)
        #expect(asked.effects.contains(.stopClock(.payment)))
        #expect(asked.event.data["amount"] == "200000")

        let paid = try apply(.recordPayment, asked.after, by: Fx.citizen(), at: Fx.at(2026, 3, 4, 10))
        #expect(paid.after.status == .processing)
        #expect(paid.after.stage == .assigned)
        #expect(paid.after.paidAt == Fx.at(2026, 3, 4, 10))
        #expect(paid.after.pausedAt == nil)
        // One working day stopped: due Mon 16/3 10:00 → Tue 17/3 10:00.
        #expect(paid.after.dueAt == Fx.at(2026, 3, 17, 10))
        #expect(paid.event.fromStatus == .paymentRequested && paid.event.toStatus == .processing)

        // Without an amount and without a fee there is nothing to pay.
        for amount in [nil, 0, -5] as [Int?] {
            #expect(throws: LifecycleError.invalidInput(field: "amount", message: "the amount to pay must be a positive number of VND")) {
                try apply(.requestPayment, ActionInput(amount: amount), d, by: Fx.specialist(Fx.justice))
            }
        }
        // The procedure's fee is the default amount.
        let withFee = Fx.dossier(status: .received, fee: 200_000)
        #expect(try apply(.requestPayment, withFee, by: Fx.officer(Fx.centre)).after.fee == 200_000)
    }

    // MARK: - Approve, finish, return

    @Test func approveFinishReturn() throws {
        let d = Fx.dossier(status: .processing, stage: .assigned, handling: Fx.justice)
        #expect(DossierPolicy.verdict(.finish, on: d, by: Fx.specialist(Fx.justice)) == .wrongStatus, "not approved yet")
        let approved = try apply(.approve, d, by: Fx.leader(Fx.justice))
        #expect(approved.after.status == .processing)
        #expect(approved.after.stage == .approved)
        #expect(DossierPolicy.verdict(.transfer, on: approved.after, by: Fx.specialist(Fx.justice)) == .wrongStatus)
        let finished = try apply(.finish, approved.after, by: Fx.specialist(Fx.justice), at: Fx.at(2026, 3, 5, 9))
        #expect(finished.after.status == .processed)
        #expect(finished.after.stage == .none)
        #expect(finished.after.finishedAt == Fx.at(2026, 3, 5, 9))
        #expect(finished.after.finishedOnTime == true)
        #expect(finished.effects.contains(.notifyApplicant))
        #expect(finished.event.fromStatus == .processing && finished.event.toStatus == .processed)
        let returned = try apply(.returnResult, finished.after, by: Fx.officer(Fx.centre), at: Fx.at(2026, 3, 6, 9))
        #expect(returned.after.status == .returned)
        #expect(returned.after.returnedAt == Fx.at(2026, 3, 6, 9))
        #expect(returned.event.fromStatus == .processed && returned.event.toStatus == .returned)
        #expect(returned.after.version == d.version + 3)
        #expect(DossierPolicy.allowedActions(on: returned.after, by: Fx.officer(Fx.centre)).isEmpty)
    }

    @Test func lateFinishIsNotOnTime() throws {
        let d = Fx.dossier(status: .processing, stage: .approved, handling: Fx.justice)
        let finished = try apply(.finish, d, by: Fx.leader(Fx.justice), at: Fx.at(2026, 3, 17, 9))
        #expect(finished.after.finishedOnTime == false)
    }

    // MARK: - Withdraw, stop

    @Test func withdrawFromEveryOpenStatus() throws {
        for status in openStatuses {
            let before: DossierStatus? = [.supplementRequested, .paymentRequested].contains(status) ? .received : nil
            let d = Fx.dossier(status: status, stage: status == .processing ? .assigned : .none, handling: status == .processing ? Fx.justice : nil, statusBeforePause: before)
            let t = try apply(.withdraw, d, by: Fx.citizen())
            #expect(t.after.status == .withdrawn)
            #expect(t.after.stage == .none)
            #expect(t.after.finishedAt == now)
            #expect(t.after.pausedAt == nil)
            #expect(t.after.statusBeforePause == nil)
            #expect(t.event.fromStatus == status && t.event.toStatus == .withdrawn)
        }
        #expect(DossierPolicy.verdict(.withdraw, on: Fx.dossier(status: .processed), by: Fx.citizen()) == .wrongStatus)
    }

    @Test func stopNeedsGroundsAndEndsThePause() throws {
        let d = Fx.dossier(status: .supplementRequested, stage: .assigned, handling: Fx.justice, statusBeforePause: .processing)
        #expect(throws: LifecycleError.invalidInput(field: "reason", message: "state the grounds for stopping (Mẫu 05)")) {
            try apply(.stop, d, by: Fx.leader(Fx.justice))
        }
        let t = try apply(.stop, ActionInput(reason: "Quá hạn bổ sung"), d, by: Fx.leader(Fx.justice))
        #expect(t.after.status == .stopped)
        #expect(t.after.stage == .none)
        #expect(t.after.finishedAt == now)
        #expect(t.after.pausedAt == nil)
        #expect(t.after.statusBeforePause == nil)
        #expect(t.event.data["reason"] == "Quá hạn bổ sung")
        #expect(t.effects.contains(.notifyApplicant))
        #expect(DossierPolicy.verdict(.stop, on: d, by: Fx.specialist(Fx.justice)) == .forbidden, "only a leader stops")
    }

    // MARK: - Extend (Mẫu 04)

    @Test func extendMovesTheDueDate() throws {
        let d = Fx.dossier(status: .processing, stage: .assigned, handling: Fx.justice)
        let newDue = Fx.at(2026, 3, 20, 10)
        let t = try apply(.extend, ActionInput(reason: "Cần xác minh thêm", newDueAt: newDue), d, by: Fx.specialist(Fx.justice))
        #expect(t.after.status == .processing)
        #expect(t.after.stage == .assigned)
        #expect(t.after.dueAt == newDue)
        #expect(t.after.extensionCount == d.extensionCount + 1)
        #expect(t.event.fromStatus == .processing && t.event.toStatus == .processing)
        #expect(t.event.data["oldDueAt"] == "2026-03-16T10:00:00+07:00")
        #expect(t.event.data["newDueAt"] == "2026-03-20T10:00:00+07:00")
        let again = try apply(.extend, ActionInput(reason: "Lần hai", newDueAt: Fx.at(2026, 3, 23, 10)), t.after, by: Fx.leader(Fx.justice))
        #expect(again.after.extensionCount == 2)
    }

    @Test func extendInputErrors() {
        let d = Fx.dossier(status: .processing, stage: .assigned, handling: Fx.justice)
        func field(_ input: ActionInput) -> String? {
            do {
                _ = try DossierLifecycle.apply(.extend, input, d: d)
                return nil
            } catch {
                if case .invalidInput(let f, _) = error { return f }
                return "other: \(error)"
            }
        }
        #expect(field(ActionInput(newDueAt: Fx.at(2026, 3, 20, 10))) == "reason")
        #expect(field(ActionInput(reason: "Trễ")) == "newDueAt")
        #expect(field(ActionInput(reason: "Trễ", newDueAt: Fx.at(2026, 3, 13, 10))) == "newDueAt", "before the current due date")
        #expect(field(ActionInput(reason: "Trễ", newDueAt: Fx.at(2026, 3, 16, 10))) == "newDueAt", "equal to the current due date")
        #expect(field(ActionInput(reason: "Trễ", newDueAt: Fx.at(2026, 3, 21, 10))) == "newDueAt", "Saturday")
        #expect(field(ActionInput(reason: "Trễ", newDueAt: Fx.at(2026, 4, 30, 10))) == "newDueAt", "Victory Day")
        #expect(field(ActionInput(reason: "Trễ", newDueAt: Fx.at(2026, 4, 27, 10))) == "newDueAt", "Hùng Kings compensatory day")
        #expect(field(ActionInput(reason: "Trễ", newDueAt: Fx.at(2026, 3, 23, 9))) == nil)
        // 06:30 on Saturday 21/3 in Vietnam is still Friday 20/3 in UTC: the Vietnam date decides.
        #expect(field(ActionInput(reason: "Trễ", newDueAt: Fx.at(2026, 3, 21, 6, 30))) == "newDueAt")
    }
}

private extension DossierLifecycle {
    /// `apply` with the fixture's officials and the statutory calendar, for input checks.
    static func apply(_ action: DossierAction, _ input: ActionInput, d: Dossier) throws(LifecycleError) -> Transition {
        try apply(action, input: input, to: d, by: Fx.specialist(Fx.justice), at: now, calendar: Fx.statutoryCalendar)
    }
}

// MARK: - Intake

@Suite("Dossier intake")
struct DossierIntakeTests {
    let cal = Fx.statutoryCalendar

    func open(
        _ procedure: Procedure, channel: Channel, at unit: AdministrativeUnit, competent: AdministrativeUnit? = nil,
        applicant: Applicant = Fx.applicant(), by actor: Actor, now t: Date = now
    ) throws(LifecycleError) -> Transition {
        let r = IntakeRequest(procedureCode: procedure.code, channel: channel, receivingUnit: unit.code, competentUnit: competent?.code, applicant: applicant)
        return try DossierIntake.open(r, procedure: procedure, units: Fx.units, by: actor, id: "id-1", code: "\(unit.code)-260304-0001", at: t, calendar: cal)
    }

    /// nil when the intake succeeds; the invalid field, or "forbidden"/"wrongStatus", when it fails.
    func invalidField(_ body: () throws -> Transition) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as LifecycleError {
            switch error {
            case .invalidInput(let f, _): return f
            case .forbidden: return "forbidden"
            case .wrongStatus: return "wrongStatus"
            }
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func windowIntakeIsReceivedWithADueDate() throws {
        let t = try open(Fx.birthRegistration, channel: .window, at: Fx.communeA, by: Fx.officer(Fx.communeA))
        let d = t.after
        #expect(d.status == .received)
        #expect(d.receivedAt == now)
        // Wed 4/3/2026 10:00 + 3 WD = Mon 9/3/2026 10:00.
        #expect(d.dueAt == Fx.at(2026, 3, 9, 10))
        #expect(d.code == "\(Fx.communeA.code)-260304-0001")
        #expect(d.receivingUnit == Fx.communeA.code && d.competentUnit == Fx.communeA.code && d.handlingUnit == Fx.communeA.code)
        #expect(d.ownerUsername == nil)
        #expect(d.version == 1)
        #expect(d.stage == .none)
        #expect(d.subject == "Đăng ký khai sinh")
        #expect(t.before == nil)
        #expect(t.event.action == "receive")
        #expect(t.event.fromStatus == nil && t.event.toStatus == .received)
        #expect(t.event.data["dueAt"] == "2026-03-09T10:00:00+07:00")
        #expect(t.effects.contains(.startClock))
        // By post it is the same.
        #expect(try open(Fx.birthRegistration, channel: .post, at: Fx.communeA, by: Fx.officer(Fx.communeA)).after.status == .received)
    }

    @Test func windowIntakeHonoursTheProcedureCutOff() throws {
        // 2.000488 has a 15:00 cut-off and 10 WD at the window.
        let t = try open(Fx.criminalRecord, channel: .window, at: Fx.centre, by: Fx.officer(Fx.centre), now: Fx.at(2026, 3, 4, 15, 30))
        #expect(t.after.cutoffMinute == 15 * 60)
        #expect(t.after.dueAt == Fx.at(2026, 3, 18, 17))
        #expect(t.after.fee == 200_000)
    }

    @Test func onlineByTheCitizenIsRegisteredWithoutADueDate() throws {
        let t = try open(Fx.criminalRecord, channel: .online, at: Fx.centre, by: Fx.citizen())
        #expect(t.after.status == .registered)
        #expect(t.after.dueAt == nil)
        #expect(t.after.receivedAt == nil)
        #expect(t.after.ownerUsername == "citizen.owner")
        #expect(t.after.processingTime == ProcessingTime(amount: 8, unit: .workingDays), "the online processing time applies")
        #expect(t.event.action == "submit")
        #expect(t.event.toStatus == .registered)
        #expect(!t.effects.contains(.startClock))
    }

    @Test func whoMayOpenOnWhichChannel() {
        // Online is the applicant's own account.
        #expect(invalidField { try open(Fx.criminalRecord, channel: .online, at: Fx.centre, by: Fx.officer(Fx.centre)) } == "forbidden")
        #expect(invalidField { try open(Fx.criminalRecord, channel: .online, at: Fx.centre, applicant: Fx.applicant(Fx.otherID), by: Fx.citizen()) } == "forbidden")
        // The window belongs to the one-stop officers of that unit.
        #expect(invalidField { try open(Fx.criminalRecord, channel: .window, at: Fx.centre, by: Fx.citizen()) } == "forbidden")
        #expect(invalidField { try open(Fx.criminalRecord, channel: .window, at: Fx.centre, by: Fx.officer(Fx.branch)) } == "forbidden")
        #expect(invalidField { try open(Fx.criminalRecord, channel: .post, at: Fx.centre, by: Fx.leader(Fx.centre)) } == "forbidden")
    }

    @Test func notOfferedOnline() {
        #expect(invalidField { try open(Fx.buildingPermit, channel: .online, at: Fx.centre, by: Fx.citizen()) } == "channel")
        // At the window it is fine.
        #expect(invalidField { try open(Fx.buildingPermit, channel: .window, at: Fx.centre, by: Fx.officer(Fx.centre)) } == nil)
    }

    @Test func applicantChecks() {
        for bad in ["", "00109001234", "0010900123456", "00109001234A", "000090012345", "001590012345", "001299012345"] {
            #expect(invalidField { try open(Fx.birthRegistration, channel: .window, at: Fx.communeA, applicant: Fx.applicant(bad), by: Fx.officer(Fx.communeA)) } == "applicant.idNumber", "\(bad)")
        }
        #expect(invalidField { try open(Fx.birthRegistration, channel: .window, at: Fx.communeA, applicant: Fx.applicant(name: "  "), by: Fx.officer(Fx.communeA)) } == "applicant.fullName")
        var badPhone = Fx.applicant()
        badPhone.phone = "09-abc"
        #expect(invalidField { try open(Fx.birthRegistration, channel: .window, at: Fx.communeA, applicant: badPhone, by: Fx.officer(Fx.communeA)) } == "applicant.phone")
        var intl = Fx.applicant()
        intl.phone = "+84 912 345 678"
        #expect(invalidField { try open(Fx.birthRegistration, channel: .window, at: Fx.communeA, applicant: intl, by: Fx.officer(Fx.communeA)) } == nil)
        // An enterprise is identified by its enterprise code, not a CCCD.
        let enterprise = Applicant(idNumber: "0100109106", fullName: "Công ty TNHH A", kind: .enterprise)
        #expect(invalidField { try open(Fx.buildingPermit, channel: .window, at: Fx.centre, applicant: enterprise, by: Fx.officer(Fx.centre)) } == nil)
    }

    @Test func receivingUnitChecks() {
        let unknown = AdministrativeUnit(code: "000.00.99.H56", name: "Không có", kind: .branch)
        #expect(invalidField { try open(Fx.criminalRecord, channel: .window, at: unknown, by: Fx.officer(unknown)) } == "receivingUnit")
        // A department is not a reception point.
        #expect(invalidField { try open(Fx.criminalRecord, channel: .window, at: Fx.justice, by: Fx.officer(Fx.justice)) } == "receivingUnit")
        // A territorial commune procedure filed at another commune.
        #expect(invalidField { try open(Fx.birthRegistration, channel: .window, at: Fx.communeA, competent: Fx.communeB, by: Fx.officer(Fx.communeA)) } == "receivingUnit")
        // Naming a unit that is not competent.
        #expect(invalidField { try open(Fx.criminalRecord, channel: .window, at: Fx.centre, competent: Fx.construction, by: Fx.officer(Fx.centre)) } == "competentUnit")
    }

    @Test func nonTerritorialAtABranchIsRoutedToTheCompetentDepartment() throws {
        let t = try open(Fx.criminalRecord, channel: .window, at: Fx.branch, by: Fx.officer(Fx.branch))
        let d = t.after
        #expect(d.status == .received)
        #expect(d.nonTerritorial)
        #expect(d.receivingUnit == Fx.branch.code)
        #expect(d.competentUnit == Fx.justice.code)
        #expect(d.handlingUnit == Fx.branch.code, "the branch holds it until it hands it over")
        #expect(d.code.hasPrefix(Fx.branch.code + "-"))
        #expect(t.event.data["routedTo"] == Fx.justice.code)
        // Hand-over: the same code, now with the department.
        let assigned = try DossierLifecycle.apply(.assign, input: ActionInput(), to: d, by: Fx.officer(Fx.branch), at: now, calendar: cal)
        #expect(assigned.after.handlingUnit == Fx.justice.code)
        #expect(assigned.after.code == d.code)
        // A non-territorial commune procedure may also be filed at another commune.
        let anywhere = Procedure(
            code: "9.999999", name: "Chứng thực chữ ký", field: Fx.birthRegistration.field, level: .commune, authority: "commune",
            subjects: [.citizen], nonTerritorial: true, versions: Fx.birthRegistration.versions)
        let routed = try open(anywhere, channel: .window, at: Fx.communeA, competent: Fx.communeB, by: Fx.officer(Fx.communeA))
        #expect(routed.after.competentUnit == Fx.communeB.code)
    }

    @Test func provinceLevelTerritorialProcedureAtTheCentreOrABranch() throws {
        let atBranch = try open(Fx.buildingPermit, channel: .window, at: Fx.branch, by: Fx.officer(Fx.branch))
        #expect(atBranch.after.competentUnit == Fx.construction.code)
        // …but not at a commune.
        #expect(invalidField { try open(Fx.buildingPermit, channel: .window, at: Fx.communeA, by: Fx.officer(Fx.communeA)) } == "receivingUnit")
    }

    @Test func severalCompetentCommunesAndNoneNamed() {
        // From a branch, a commune procedure has three candidates.
        #expect(invalidField { try open(Fx.birthRegistration, channel: .window, at: Fx.branch, by: Fx.officer(Fx.branch)) } == "competentUnit")
    }

    @Test func versionPinningBySubmissionDate() throws {
        func pinned(_ t: Date) throws -> Dossier {
            try open(Fx.versioned, channel: .window, at: Fx.centre, by: Fx.officer(Fx.centre), now: t).after
        }
        let v1 = try pinned(Fx.at(2024, 6, 3, 9))
        #expect(v1.procedureVersion == 1)
        #expect(v1.processingTime == ProcessingTime(amount: 15, unit: .workingDays))
        #expect(try pinned(Fx.at(2025, 6, 30, 16)).procedureVersion == 1)
        #expect(try pinned(Fx.at(2025, 6, 30, 23, 59)).procedureVersion == 1)
        // 00:10 on 1/7/2025 in Vietnam is still 30/6 in UTC: the local date decides.
        let v2 = try pinned(Fx.at(2025, 7, 1, 0, 10))
        #expect(v2.procedureVersion == 2)
        #expect(v2.processingTime == ProcessingTime(amount: 10, unit: .workingDays))
        #expect(try pinned(Fx.at(2026, 3, 4, 9)).procedureVersion == 2)
        // Before the first version there is nothing in force.
        #expect(invalidField { try open(Fx.versioned, channel: .window, at: Fx.centre, by: Fx.officer(Fx.centre), now: Fx.at(2022, 12, 31, 9)) } == "procedureCode")
        // The event records the pinned version.
        let t = try open(Fx.versioned, channel: .window, at: Fx.centre, by: Fx.officer(Fx.centre), now: Fx.at(2025, 7, 1, 9))
        #expect(t.event.data["procedureVersion"] == "2")
    }
}
