// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Why a dossier costs points on an indicator (the drill-down of the dashboard).
public enum LossReason: String, Codable, Sendable, CaseIterable {
    case late
    case overdueOpen = "overdue-open"
    case repeatedSupplement = "repeated-supplement"
    case notSynced = "not-synced"
    case notOnline = "not-online"
    case noElectronicResult = "no-electronic-result"
    case notDigitized = "not-digitized"
    case failedDigitization = "failed-digitization"
    case noReuse = "no-reuse"
    case noWarehouse = "no-warehouse"
    case notConnected = "not-connected"
    case dissatisfied
    case petitioned
    case notPaidOnline = "not-paid-online"
    case petitionLate = "petition-late"
    case petitionDisliked = "petition-disliked"
    case petitionRecomplained = "petition-recomplained"

    public var vietnamese: String {
        switch self {
        case .late: "Giải quyết quá hạn"
        case .overdueOpen: "Quá hạn, chưa giải quyết xong"
        case .repeatedSupplement: "Yêu cầu bổ sung hồ sơ quá một lần"
        case .notSynced: "Chưa đồng bộ lên Cổng DVCQG"
        case .notOnline: "Không nộp trực tuyến"
        case .noElectronicResult: "Chưa có kết quả điện tử"
        case .notDigitized: "Thành phần hồ sơ chưa được số hóa"
        case .failedDigitization: "Bản số hóa không đạt chuẩn"
        case .noReuse: "Không tái sử dụng dữ liệu số hóa"
        case .noWarehouse: "Không khai thác kho dữ liệu cá nhân"
        case .notConnected: "Chưa kết nối CSDL quốc gia về dân cư"
        case .dissatisfied: "Người dân không hài lòng"
        case .petitioned: "Có phản ánh, kiến nghị về hồ sơ"
        case .notPaidOnline: "Chưa thanh toán trực tuyến"
        case .petitionLate: "Phản ánh, kiến nghị xử lý quá hạn"
        case .petitionDisliked: "Trả lời phản ánh bị đánh giá không hài lòng"
        case .petitionRecomplained: "Phản ánh, kiến nghị bị phản ánh lại"
        }
    }

    public var english: String {
        switch self {
        case .late: "Handled late"
        case .overdueOpen: "Overdue and still open"
        case .repeatedSupplement: "More than one supplement request"
        case .notSynced: "Not synced to the national portal"
        case .notOnline: "Not filed online"
        case .noElectronicResult: "No electronic result"
        case .notDigitized: "Components not digitized"
        case .failedDigitization: "Digitized copy failed the standard"
        case .noReuse: "No data reused"
        case .noWarehouse: "Nothing from the personal data warehouse"
        case .notConnected: "Not connected to the population database"
        case .dissatisfied: "The applicant was not satisfied"
        case .petitioned: "A petition was filed about the dossier"
        case .notPaidOnline: "Fees not paid online"
        case .petitionLate: "Petition handled late"
        case .petitionDisliked: "The answer got more dislikes than likes"
        case .petitionRecomplained: "Complained about again"
        }
    }
}

/// Which dossiers lose points on a dossier-based indicator: those having every fact of `among`
/// and lacking one of `lacking`, those having one of `having`, and (when `openLate`) open
/// dossiers past their due date.
public struct IndexLossRule: Sendable, Hashable {
    public let among: DossierFacts
    public let lacking: DossierFacts
    public let having: DossierFacts
    public let openLate: Bool

    public init(among: DossierFacts, lacking: DossierFacts, having: DossierFacts = [], openLate: Bool) {
        self.among = among
        self.lacking = lacking
        self.having = having
        self.openLate = openLate
    }

    /// Nil for indicators not counted over dossiers (catalogue, petitions). Petitions that cost
    /// points are read from their own table (`PetitionIndexFacts`).
    public static func of(_ m: IndexMeasure) -> IndexLossRule? {
        switch m {
        case .synced: IndexLossRule(among: .received, lacking: .synced, openLate: false)
        case .onTime: IndexLossRule(among: .ended, lacking: .endedOnTime, openLate: true)
        case .onlineDossiers: IndexLossRule(among: .received, lacking: .onlineCounted, openLate: false)
        case .electronicResults: IndexLossRule(among: .resultRequired, lacking: .electronicResult, openLate: false)
        case .digitized: IndexLossRule(among: .received, lacking: .digitized, openLate: false)
        case .reused: IndexLossRule(among: .received, lacking: .reused, openLate: false)
        case .fromWarehouse: IndexLossRule(among: .received, lacking: .fromWarehouse, openLate: false)
        case .populationConnected: IndexLossRule(among: .received, lacking: .populationConnected, openLate: false)
        case .onlinePayment: IndexLossRule(among: .feeBearing, lacking: .paidOnline, openLate: false)
        // 5.4: late (ended late, or open past its due date), rated "not satisfied", or petitioned.
        case .handlingSatisfaction: IndexLossRule(among: .ended, lacking: .endedOnTime, having: .complained, openLate: true)
        default: nil
        }
    }

    /// The reason to show for one losing dossier.
    public func reason(_ facts: DossierFacts, measure: IndexMeasure) -> LossReason {
        switch measure {
        case .onTime:
            if facts.contains(.repeatedSupplement) { return .repeatedSupplement }
            return facts.contains(.open) ? .overdueOpen : .late
        case .synced: return .notSynced
        case .onlineDossiers: return facts.contains(.online) ? .noElectronicResult : .notOnline
        case .electronicResults: return .noElectronicResult
        case .digitized:
            if facts.contains(.failedDigitization) { return .failedDigitization }
            return facts.contains(.resultRequired) && !facts.contains(.electronicResult) ? .noElectronicResult : .notDigitized
        case .reused: return .noReuse
        case .fromWarehouse: return .noWarehouse
        case .populationConnected: return .notConnected
        case .onlinePayment: return .notPaidOnline
        case .handlingSatisfaction:
            if facts.contains(.dissatisfied) { return .dissatisfied }
            if facts.contains(.complained) { return .petitioned }
            return facts.contains(.open) ? .overdueOpen : .late
        default: return .late
        }
    }
}
