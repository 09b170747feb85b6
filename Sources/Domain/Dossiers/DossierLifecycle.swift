// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The dossier state machine. Pure: it reads the dossier, the actor, the time and the calendar,
/// and returns the new state with its event and effects; the services layer writes them in one
/// transaction. Each action documents the status change it makes.
public enum DossierLifecycle {
    /// Decides an action. Throws when the actor may not take it, when the status does not allow it,
    /// or when the input is incomplete.
    public static func apply(
        _ action: DossierAction, input: ActionInput, to d: Dossier, by actor: Actor, at now: Date, calendar: WorkingCalendar
    ) throws(LifecycleError) -> Transition {
        switch DossierPolicy.verdict(action, on: d, by: actor) {
        case .allowed: break
        case .wrongStatus:
            throw .wrongStatus(action: action, status: d.status, allowed: DossierPolicy.allowedActions(on: d, by: actor))
        case .forbidden:
            throw .forbidden(action: action, reason: forbiddenReason(action, d, actor))
        }
        var n = d
        var effects: [Effect] = [.syncToPortal]
        var data: [String: String] = [:]
        func require(_ value: String?, _ field: String, _ what: String) throws(LifecycleError) -> String {
            guard let v = value?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else {
                throw .invalidInput(field: field, message: what)
            }
            return v
        }
        if let r = input.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !r.isEmpty { data["reason"] = r }

        switch action {
        case .receive:
            // 1 → 2: accepted; the legal clock starts.
            n.status = .received
            n.receivedAt = now
            let due = calendar.dueDate(receivedAt: now, time: d.processingTime, cutoffMinute: d.cutoffMinute)
            n.dueAt = due.dueAt
            data["dueAt"] = SharedFormat.iso(due.dueAt)
            effects += [.startClock, .notifyApplicant]
        case .refuse:
            // 1 → 3: refused at reception (Mẫu 03), with the specific reason.
            _ = try require(input.reason, "reason", "a refusal must state its specific reason (Mẫu 03)")
            n.status = .refused
            n.finishedAt = now
            effects.append(.notifyApplicant)
        case .requestSupplement:
            // 1/2/4 → 5: tell the applicant once and completely what is missing (Mẫu 02); the clock stops.
            _ = try require(input.reason, "reason", "say what is missing and why (Mẫu 02)")
            n.statusBeforePause = d.status
            n.status = .supplementRequested
            if d.receivedAt != nil {
                n.pausedAt = now
                n.pauseKind = .supplement
                n.supplementCount += 1
                effects.append(.stopClock(.supplement))
            }
            effects.append(.notifyApplicant)
        case .supplement:
            // 5 → the status before the request; the due date moves by the time the clock stood still.
            n.status = d.statusBeforePause ?? .received
            n.statusBeforePause = nil
            resumeClock(&n, now: now, calendar: calendar, effects: &effects, data: &data)
        case .assign:
            if d.status == .received {
                // 2 → 4: the one-stop officer transfers the dossier to the competent unit.
                n.status = .processing
                n.handlingUnit = d.competentUnit
                n.stage = .queued
                data["toUnit"] = d.competentUnit
            } else {
                // 4 → 4: the leader gives it to a specialist.
                n.assignee = try require(input.assignee, "assignee", "name the specialist (username) to assign")
                n.stage = .assigned
                data["assignee"] = n.assignee
            }
        case .transfer:
            // 4 → 4: inter-agency transfer (liên thông); the dossier keeps its code.
            let to = try require(input.toUnit, "toUnit", "name the agency code of the unit to transfer to")
            guard to != d.handlingUnit else { throw .invalidInput(field: "toUnit", message: "the dossier is already with \(to)") }
            n.handlingUnit = to
            n.stage = .queued
            n.assignee = nil
            data["fromUnit"] = d.handlingUnit
            data["toUnit"] = to
        case .requestPayment:
            // 2/4 → 6: financial obligation; the clock stops until payment.
            let amount = input.amount ?? d.fee
            guard amount > 0 else { throw .invalidInput(field: "amount", message: "the amount to pay must be a positive number of VND") }
            n.fee = amount
            n.statusBeforePause = d.status
            n.status = .paymentRequested
            n.pausedAt = now
            n.pauseKind = .payment
            data["amount"] = String(amount)
            effects += [.stopClock(.payment), .notifyApplicant]
        case .recordPayment:
            // 6 → the status before the request; the clock runs again.
            n.status = d.statusBeforePause ?? .processing
            n.statusBeforePause = nil
            n.paidAt = now
            data["amount"] = String(d.fee)
            resumeClock(&n, now: now, calendar: calendar, effects: &effects, data: &data)
        case .approve:
            // 4 → 4: the leader approves the draft result.
            n.stage = .approved
        case .finish:
            // 4 → 9: handled; the result is ready to return.
            n.status = .processed
            n.stage = .none
            n.finishedAt = now
            effects.append(.notifyApplicant)
        case .returnResult:
            // 9 → 10: the result is handed back.
            n.status = .returned
            n.returnedAt = now
        case .withdraw:
            // open → 7: the applicant withdrew the dossier.
            if d.pausedAt != nil { resumeClock(&n, now: now, calendar: calendar, effects: &effects, data: &data) }
            n.statusBeforePause = nil
            n.status = .withdrawn
            n.stage = .none
            n.finishedAt = now
        case .stop:
            // 2/4/5/6 → 8: handling stopped (Mẫu 05), with its grounds.
            _ = try require(input.reason, "reason", "state the grounds for stopping (Mẫu 05)")
            if d.pausedAt != nil { resumeClock(&n, now: now, calendar: calendar, effects: &effects, data: &data) }
            n.statusBeforePause = nil
            n.status = .stopped
            n.stage = .none
            n.finishedAt = now
            effects.append(.notifyApplicant)
        case .extend:
            // 2/4 → same: apology letter (Mẫu 04) and a new appointment after the current one.
            _ = try require(input.reason, "reason", "an extension needs the apology letter's reason (Mẫu 04)")
            guard let newDue = input.newDueAt else {
                throw .invalidInput(field: "newDueAt", message: "give the new appointment as ISO 8601 with an offset")
            }
            if let old = d.dueAt, newDue <= old {
                throw .invalidInput(field: "newDueAt", message: "the new appointment must be after the current one (\(SharedFormat.iso(old)))")
            }
            let day = VietnamTime.date(of: newDue)
            if let off = calendar.holidays.dayOff(day) {
                throw .invalidInput(field: "newDueAt", message: "\(day) is a day off (\(off.reason)); choose a working day")
            }
            data["oldDueAt"] = d.dueAt.map(SharedFormat.iso)
            data["newDueAt"] = SharedFormat.iso(newDue)
            n.dueAt = newDue
            n.extensionCount += 1
            effects.append(.notifyApplicant)
        }
        n.version = d.version + 1
        n.updatedAt = now
        let note = input.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        return Transition(
            before: d, after: n,
            event: EventDraft(action: action.rawValue, fromStatus: d.status, toStatus: n.status, note: note?.isEmpty == true ? nil : note, data: data),
            effects: effects)
    }

    /// Ends a pause: adds the stopped working time to the due date.
    static func resumeClock(_ n: inout Dossier, now: Date, calendar: WorkingCalendar, effects: inout [Effect], data: inout [String: String]) {
        guard let paused = n.pausedAt else { return }
        let minutes = max(0, Int(now.timeIntervalSince(paused) / 60))
        if let due = n.dueAt {
            let moved = calendar.resume(dueAt: due, pausedAt: paused, resumedAt: now, unit: n.processingTime.unit)
            n.dueAt = moved.dueAt
            data["oldDueAt"] = SharedFormat.iso(due)
            data["newDueAt"] = SharedFormat.iso(moved.dueAt)
        }
        n.pausedMinutes += minutes
        n.pausedAt = nil
        n.pauseKind = nil
        effects.append(.resumeClock(addedMinutes: minutes))
    }

    /// A sentence saying who may take an action, for 403 answers.
    public static func forbiddenReason(_ action: DossierAction, _ d: Dossier, _ actor: Actor) -> String {
        let roles = DossierPolicy.rules(action).map(\.role.rawValue)
        if !DossierPolicy.rules(action).contains(where: { actor.has($0.role) }) {
            return "\(action.rawValue) is for the roles \(Set(roles).sorted().joined(separator: ", "))"
        }
        return "\(action.rawValue) on \(d.code) is for the receiving unit \(d.receivingUnit), the handling unit \(d.handlingUnit) or the applicant"
    }
}

/// Shared formatting of instants for events and APIs: ISO 8601 in Vietnam time (+07:00).
public enum SharedFormat {
    public static func iso(_ date: Date) -> String {
        let (d, m) = VietnamTime.local(date)
        let secs = Int(floor(date.timeIntervalSince1970)) + VietnamTime.offsetSeconds
        let s = ((secs % 60) + 60) % 60
        return "\(Digits.pad(d.year, 4))-\(Digits.pad(d.month, 2))-\(Digits.pad(d.day, 2))T\(Digits.pad(m / 60, 2)):\(Digits.pad(m % 60, 2)):\(Digits.pad(s, 2))+07:00"
    }

    /// Parses ISO 8601 that carries an explicit offset (`Z` or `±hh:mm`); nil otherwise.
    public static func parseWithOffset(_ s: String) -> Date? {
        guard let t = s.firstIndex(of: "T") else { return nil }
        let timePart = s[s.index(after: t)...]
        let hasOffset = timePart.hasSuffix("Z") || timePart.contains("+") || timePart.contains("-")
        guard hasOffset else { return nil }
        // Foundation's ISO 8601 parser is lenient (2026-02-30 becomes 2 March, 25:05 the next day's
        // 01:05): check the date and the clock fields first.
        guard LocalDate(iso: String(s[..<t])) != nil else { return nil }
        let clock = timePart.prefix { $0 != "Z" && $0 != "+" && $0 != "-" }
        let hms = clock.split(separator: ":", omittingEmptySubsequences: false)
        let digits = { (x: Substring) in !x.isEmpty && x.allSatisfy { ("0"..."9").contains($0) } }
        guard hms.count == 3, hms[0].count == 2, hms[1].count == 2, digits(hms[0]), digits(hms[1]),
            let hour = Int(hms[0]), let minute = Int(hms[1]), hour <= 23, minute <= 59
        else { return nil }
        let sec = hms[2].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard sec[0].count == 2, digits(sec[0]), let second = Int(sec[0]), second <= 59, sec.count == 1 || digits(sec[1]) else { return nil }
        if let d = try? Date(s, strategy: .iso8601) { return d }
        return try? Date(s, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
