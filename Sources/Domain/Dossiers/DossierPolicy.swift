// SPDX-License-Identifier: Apache-2.0

/// Who may take which action, in which status, for which unit. One table, used by the
/// services layer for every call and to list `allowedActions`, so the UI cannot drift from it.
public enum DossierPolicy {
    /// How an actor relates to a dossier.
    enum Scope {
        case receivingUnit
        case handlingUnit
        /// The unit competent to decide: it signs the apology and new date (Mẫu 04) and the
        /// notice of stopping (Mẫu 05), even before the one-stop has handed the dossier over.
        case competentUnit
        case owner
    }

    struct Rule {
        let role: Role
        let scope: Scope
        let statuses: Set<DossierStatus>
        let stages: Set<HandlingStage>?
    }

    static let open: Set<DossierStatus> = [.registered, .received, .processing, .supplementRequested, .paymentRequested]

    /// The table, built once.
    static let table: [DossierAction: [Rule]] = Dictionary(uniqueKeysWithValues: DossierAction.allCases.map { ($0, makeRules($0)) })

    static func rules(_ action: DossierAction) -> [Rule] { table[action]! }

    /// The table. A rule grants an action to a role acting on dossiers in its scope, in some statuses.
    static func makeRules(_ action: DossierAction) -> [Rule] {
        switch action {
        case .receive:
            [Rule(role: .officer, scope: .receivingUnit, statuses: [.registered], stages: nil)]
        case .refuse:
            [Rule(role: .officer, scope: .receivingUnit, statuses: [.registered], stages: nil)]
        case .requestSupplement:
            [
                Rule(role: .officer, scope: .receivingUnit, statuses: [.registered, .received], stages: nil),
                Rule(role: .specialist, scope: .handlingUnit, statuses: [.processing], stages: nil),
                Rule(role: .leader, scope: .handlingUnit, statuses: [.processing], stages: nil),
            ]
        case .supplement:
            [
                Rule(role: .officer, scope: .receivingUnit, statuses: [.supplementRequested], stages: nil),
                Rule(role: .citizen, scope: .owner, statuses: [.supplementRequested], stages: nil),
            ]
        case .assign:
            [
                // The one-stop officer hands the dossier to the competent unit.
                Rule(role: .officer, scope: .receivingUnit, statuses: [.received], stages: nil),
                // The unit's leader gives it to a specialist.
                Rule(role: .leader, scope: .handlingUnit, statuses: [.processing], stages: [.queued, .assigned]),
            ]
        case .transfer:
            [
                Rule(role: .specialist, scope: .handlingUnit, statuses: [.processing], stages: [.queued, .assigned]),
                Rule(role: .leader, scope: .handlingUnit, statuses: [.processing], stages: [.queued, .assigned]),
            ]
        case .requestPayment:
            [
                Rule(role: .officer, scope: .receivingUnit, statuses: [.received], stages: nil),
                Rule(role: .specialist, scope: .handlingUnit, statuses: [.processing], stages: nil),
            ]
        case .recordPayment:
            [
                Rule(role: .officer, scope: .receivingUnit, statuses: [.paymentRequested], stages: nil),
                Rule(role: .citizen, scope: .owner, statuses: [.paymentRequested], stages: nil),
            ]
        case .approve:
            [Rule(role: .leader, scope: .handlingUnit, statuses: [.processing], stages: [.queued, .assigned])]
        case .finish:
            [
                Rule(role: .specialist, scope: .handlingUnit, statuses: [.processing], stages: [.approved]),
                Rule(role: .leader, scope: .handlingUnit, statuses: [.processing], stages: [.approved]),
            ]
        case .returnResult:
            [Rule(role: .officer, scope: .receivingUnit, statuses: [.processed], stages: nil)]
        case .withdraw:
            [
                Rule(role: .officer, scope: .receivingUnit, statuses: open, stages: nil),
                Rule(role: .citizen, scope: .owner, statuses: open, stages: nil),
            ]
        case .stop:
            [Rule(role: .leader, scope: .competentUnit, statuses: [.received, .processing, .supplementRequested, .paymentRequested], stages: nil)]
        case .extend:
            [
                Rule(role: .specialist, scope: .competentUnit, statuses: [.received, .processing], stages: nil),
                Rule(role: .leader, scope: .competentUnit, statuses: [.received, .processing], stages: nil),
            ]
        }
    }

    /// The dossier is the actor's own: they are its applicant, or filed it from their account.
    public static func isOwner(_ d: Dossier, _ actor: Actor) -> Bool { inScope(.owner, actor, d) }

    static func inScope(_ scope: Scope, _ actor: Actor, _ d: Dossier) -> Bool {
        switch scope {
        case .receivingUnit: actor.unit != nil && actor.unit == d.receivingUnit
        case .handlingUnit: actor.unit != nil && actor.unit == d.handlingUnit
        case .competentUnit: actor.unit != nil && actor.unit == d.competentUnit
        case .owner:
            (actor.idNumber != nil && actor.idNumber == d.applicant.idNumber)
                || (d.ownerUsername != nil && d.ownerUsername == actor.username)
        }
    }

    /// The verdict for one action.
    public enum Verdict: Equatable, Sendable {
        case allowed
        /// Permitted to this actor in other statuses; not now.
        case wrongStatus
        case forbidden
    }

    public static func verdict(_ action: DossierAction, on d: Dossier, by actor: Actor) -> Verdict {
        var seen = false
        for rule in rules(action) where actor.has(rule.role) && inScope(rule.scope, actor, d) {
            seen = true
            if rule.statuses.contains(d.status), rule.stages.map({ $0.contains(d.stage) }) ?? true {
                return .allowed
            }
        }
        return seen ? .wrongStatus : .forbidden
    }

    /// The actions this actor may take on this dossier now.
    public static func allowedActions(on d: Dossier, by actor: Actor) -> [DossierAction] {
        DossierAction.allCases.filter { verdict($0, on: d, by: actor) == .allowed }
    }

    /// Who may read a dossier: officials of the units it passed through, administrators, its owner.
    public static func canRead(_ d: Dossier, by actor: Actor) -> Bool {
        if actor.has(.admin) { return true }
        if actor.isOfficial || actor.allows(.dossiersRead), let u = actor.unit, u == d.receivingUnit || u == d.handlingUnit || u == d.competentUnit { return true }
        return inScope(.owner, actor, d)
    }
}
