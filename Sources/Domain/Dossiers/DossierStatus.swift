// SPDX-License-Identifier: Apache-2.0

/// The ten dossier statuses of the National Public Service Portal (TrangThaiHoSo), 1:1.
public enum DossierStatus: Int, Codable, Sendable, CaseIterable {
    /// Mới đăng ký: submitted online, not yet accepted.
    case registered = 1
    /// Được tiếp nhận: accepted at reception; the legal clock runs.
    case received = 2
    /// Không được tiếp nhận: refused at reception (Mẫu 03).
    case refused = 3
    /// Đang xử lý: being handled by the competent unit.
    case processing = 4
    /// Yêu cầu bổ sung giấy tờ: supplement requested (Mẫu 02); the clock stops.
    case supplementRequested = 5
    /// Yêu cầu thực hiện nghĩa vụ tài chính: payment requested; the clock stops.
    case paymentRequested = 6
    /// Công dân yêu cầu rút hồ sơ: withdrawn at the applicant's request.
    case withdrawn = 7
    /// Dừng xử lý: handling stopped (Mẫu 05).
    case stopped = 8
    /// Đã xử lý xong: handled; the result is ready.
    case processed = 9
    /// Đã trả kết quả: the result was returned.
    case returned = 10

    /// The status name in Vietnamese, as the portal shows it.
    public var vietnameseName: String {
        switch self {
        case .registered: "Mới đăng ký"
        case .received: "Được tiếp nhận"
        case .refused: "Không được tiếp nhận"
        case .processing: "Đang xử lý"
        case .supplementRequested: "Yêu cầu bổ sung giấy tờ"
        case .paymentRequested: "Yêu cầu thực hiện nghĩa vụ tài chính"
        case .withdrawn: "Công dân yêu cầu rút hồ sơ"
        case .stopped: "Dừng xử lý"
        case .processed: "Đã xử lý xong"
        case .returned: "Đã trả kết quả"
        }
    }

    /// The key DVCQG uses for the status.
    public var portalKey: String {
        switch self {
        case .registered: "receiving"
        case .received: "new"
        case .refused: "denied"
        case .processing: "processing"
        case .supplementRequested: "waiting"
        case .paymentRequested: "paying"
        case .withdrawn: "cancelled"
        case .stopped: "unresolved"
        case .processed: "releasing"
        case .returned: "done"
        }
    }

    /// No further handling happens from these statuses.
    public var isClosed: Bool {
        switch self {
        case .refused, .withdrawn, .stopped, .returned: true
        case .registered, .received, .processing, .supplementRequested, .paymentRequested, .processed: false
        }
    }

    /// Handling has ended (the first terminal state for the on-time rule of 766 indicator 2.1).
    public var endsHandling: Bool {
        switch self {
        case .refused, .withdrawn, .stopped, .processed, .returned: true
        case .registered, .received, .processing, .supplementRequested, .paymentRequested: false
        }
    }
}

/// How a dossier arrived (KenhThucHien).
public enum Channel: String, Codable, Sendable, CaseIterable {
    case window
    case post
    case online

    /// The portal's channel number: 1 in person, 2 online, 3 postal.
    public var portalCode: Int {
        switch self {
        case .window: 1
        case .online: 2
        case .post: 3
        }
    }
}

/// Internal sub-state while a dossier is being handled (status 4).
public enum HandlingStage: String, Codable, Sendable {
    /// Not in handling (before transfer, or after it ended).
    case none
    /// With the competent unit, not yet given to a specialist.
    case queued
    /// A specialist works on it.
    case assigned
    /// A leader approved the draft result; it can be finished.
    case approved
}

/// Why the legal clock is stopped.
public enum PauseKind: String, Codable, Sendable {
    case supplement
    case payment
}
