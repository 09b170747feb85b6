// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services

struct IndexIndicatorDTO: Encodable {
    let id: String
    let name: String
    let numerator: Int?
    let denominator: Int?
    let ratio: Double?
    /// Null means "no data": MotCua does not hold the input (yet), or nothing was counted.
    let score: Double?
    let ceiling: Double
    let uncertain: Bool
}

struct IndexGroupDTO: Encodable {
    let id: String
    let name: String
    let score: Double
    let ceiling: Double
    let ceilingWithData: Double
    let target: Double?
    let indicators: [IndexIndicatorDTO]
}

struct IndexReportDTO: Encodable {
    let unit: String
    let unitName: String
    let period: String
    let methodology: String
    let total: Double
    let ceiling: Double
    let ceilingWithData: Double
    let band: String?
    let target: Double?
    let received: Int
    let groups: [IndexGroupDTO]

    init(_ r: IndexService.Report, methodology m: IndexMethodology) {
        unit = r.unit
        unitName = r.unitName
        period = r.period
        methodology = r.methodology
        total = r.score.total
        ceiling = r.score.ceiling
        ceilingWithData = r.score.ceilingWithData
        band = r.band?.name
        target = r.target
        received = r.received
        groups = r.score.groups.map { g in
            let group = m.groups.first { $0.id == g.id }
            return IndexGroupDTO(
                id: g.id, name: group?.name ?? g.id, score: g.score, ceiling: g.ceiling, ceilingWithData: g.ceilingWithData, target: r.groupTargets[g.id],
                indicators: g.indicators.map { i in
                    IndexIndicatorDTO(
                        id: i.id, name: m.indicator(i.id)?.name ?? i.id, numerator: i.numerator, denominator: i.denominator, ratio: i.ratio, score: i.score,
                        ceiling: i.ceiling, uncertain: i.uncertain)
                })
        }
    }
}

struct IndexLossDTO: Encodable {
    let code: String
    let reason: String
    let reasonText: String
    let unit: String
    let procedureCode: String
    let status: Int
    let handlingUnit: String
    let assignee: String?
    let receivedAt: String?
    let dueAt: String?
    /// "dossier", or "petition" on 5.2 and 5.3.
    let kind: String

    init(_ l: IndexService.Loss) {
        code = l.code
        reason = l.reason.rawValue
        reasonText = l.reasonText
        unit = l.unit
        procedureCode = l.procedureCode
        status = l.status
        handlingUnit = l.handlingUnit
        assignee = l.assignee
        receivedAt = l.receivedAt.map(SharedFormat.iso)
        dueAt = l.dueAt.map(SharedFormat.iso)
        kind = l.kind.rawValue
    }
}

/// The service-quality index: scores of a unit, the ranking under it, the dossiers that cost points.
enum IndexRoutes {
    static func register(_ on: On, app: MotCua) {
        on(.get, "/api/v1/index") { req, ctx in
            let actor = try ctx.requireActor()
            let unit = try Self.unit(req)
            let period = try Self.period(req)
            let r = try await app.index.report(unit: unit, period: period, by: actor)
            return try JSON.response(IndexReportDTO(r, methodology: app.index.methodologyInForce))
        }
        on(.get, "/api/v1/index/ranking") { req, ctx in
            let actor = try ctx.requireActor()
            let rows = try await app.index.ranking(unit: try Self.unit(req), period: try Self.period(req), by: actor)
            let m = app.index.methodologyInForce
            return try JSON.response(PageDTO(items: rows.map { IndexReportDTO($0, methodology: m) }, nextCursor: nil))
        }
        on(.get, "/api/v1/index/officials") { req, ctx in
            let actor = try ctx.requireActor()
            let rows = try await app.index.officials(unit: try Self.unit(req), period: try Self.period(req), by: actor)
            return try JSON.response(PageDTO(items: rows, nextCursor: nil))
        }
        on(.get, "/api/v1/index/losses") { req, ctx in
            let actor = try ctx.requireActor()
            guard let indicator = req.query("indicator") else { throw Problem.invalid("indicator", "name the indicator, e.g. indicator=2.1") }
            var limit = 100
            if let l = req.query("limit") {
                guard let n = Int(l), (1...1000).contains(n) else { throw Problem.invalid("limit", "limit must be 1…1000") }
                limit = n
            }
            let rows = try await app.index.losses(
                unit: try Self.unit(req), period: try Self.period(req), indicator: indicator, after: req.query("after"), limit: limit, by: actor)
            return try JSON.response(PageDTO(items: rows.map(IndexLossDTO.init), nextCursor: rows.count == limit ? rows.last?.code : nil))
        }
    }

    static func unit(_ req: Request) throws -> String {
        guard let u = req.query("unit") else { throw Problem.invalid("unit", "name the unit by its agency code, e.g. unit=000.00.00.H99") }
        return u
    }

    static func period(_ req: Request) throws -> IndexPeriod {
        try IndexService.parsePeriod(req.query("period"))
    }
}
