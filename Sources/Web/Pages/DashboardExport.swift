// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import NIOCore
import Services

/// Any table of the dashboard as CSV or XLSX (`table=indicators|ranking|officials|losses`,
/// `format=csv|xlsx`), headed in the page's language.
enum DashboardExport {
    static func export(_ req: Request, actor: Actor, app: MotCua, t: Texts) async throws -> Response {
        let (unit, period, units) = try await DashboardPages.request(req, actor: actor, app: app)
        let m = app.index.methodologyInForce
        let sheet: Spreadsheet
        switch req.query("table") ?? "indicators" {
        case "indicators":
            let r = try await app.index.report(unit: unit, period: period, by: actor)
            sheet = Spreadsheet(
                name: t("sheet.indicators", ["period": period.description]),
                header: ["col.group", "col.id", "col.indicator", "col.numerator", "col.denominator", "col.ratioPercent", "col.score", "col.ceiling", "col.uncertain"].map { t($0) },
                rows: r.score.groups.flatMap { g in
                    g.indicators.map { i in
                        [
                            .text(m.groups.first { $0.id == g.id }.map { t.pick($0.name, $0.nameEn) } ?? g.id), .text(i.id),
                            .text(m.indicator(i.id).map { t.pick($0.name, $0.nameEn) } ?? i.id), .int(i.numerator), .int(i.denominator), .double(i.ratio),
                            .double(i.score), .number(i.ceiling), .text(i.uncertain ? t("sheet.yes") : ""),
                        ]
                    }
                })
        case "ranking":
            let rows = try await app.index.ranking(unit: unit, period: period, by: actor)
            sheet = Spreadsheet(
                name: t("sheet.ranking", ["period": period.description]),
                header: ["col.rank", "col.unitCode", "col.unit", "col.total", "col.withData", "col.receivedCount"].map { t($0) } + m.groups.map { t.pick($0.name, $0.nameEn) },
                rows: rows.enumerated().map { n, r in
                    [.number(Double(n + 1)), .text(r.unit), .text(r.unitName), .number(r.score.total), .number(r.score.ceilingWithData), .int(r.received)]
                        + r.score.groups.map { .number($0.score) }
                })
        case "officials":
            let rows = try await app.index.officials(unit: unit, period: period, by: actor)
            sheet = Spreadsheet(
                name: t("sheet.officials", ["period": period.description]),
                header: [
                    "col.username", "col.fullName", "col.unit", "col.receivedCount", "col.digitized", "col.digitizedPercent", "col.handled", "col.onTimeCount",
                    "col.onTimePercent", "col.periodNorm", "col.normPercent",
                ].map { t($0) },
                rows: rows.map { o in
                    [
                        .text(o.username), .text(o.fullName), .text(o.unit.flatMap { units[$0]?.name } ?? ""), .int(o.received), .int(o.digitized),
                        .double(o.digitizationRate), .int(o.handled), .int(o.handledOnTime), .double(o.onTimeRate), .number(o.norm), .number(o.normShare),
                    ]
                })
        case "losses":
            guard let indicator = req.query("indicator") else { throw ServiceError.invalid(field: "indicator", message: "choose an indicator") }
            var all: [IndexService.Loss] = []
            var after: String?
            // Every page (a unit's losses in a period are thousands at most).
            while true {
                let page = try await app.index.losses(unit: unit, period: period, indicator: indicator, after: after, limit: 1000, by: actor)
                all += page
                guard page.count == 1000 else { break }
                after = page.last?.code
            }
            let petitions = m.indicator(indicator)?.measure?.isPetitions == true
            sheet = Spreadsheet(
                name: t("sheet.losses", ["id": indicator]),
                header: [petitions ? "col.petitionCode" : "col.dossierCode", "col.reason", "col.procedure", "col.received", "col.due", "col.holder", "col.assignee"].map { t($0) },
                rows: all.map { l in
                    [
                        .text(l.code), .text(t.pick(l.reason.vietnamese, l.reason.english)), .text(l.procedureCode), .text(l.receivedAt.map(FormValues.dateTime) ?? ""),
                        .text(l.dueAt.map(FormValues.dateTime) ?? ""), .text(units[l.handlingUnit]?.name ?? l.handlingUnit), .text(l.assignee ?? ""),
                    ]
                })
        default:
            throw ServiceError.invalid(field: "table", message: "table is indicators, ranking, officials or losses")
        }
        let xlsx: Bool
        switch req.query("format") ?? "csv" {
        case "csv": xlsx = false
        case "xlsx": xlsx = true
        default: throw ServiceError.invalid(field: "format", message: "format is csv or xlsx")
        }
        let data = xlsx ? sheet.xlsx() : sheet.csv()
        var headers = HTTPFields()
        headers[.contentType] = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8"
        let file = "chi-so-766-\(req.query("table") ?? "indicators")-\(unit)-\(period).\(xlsx ? "xlsx" : "csv")"
        headers[.contentDisposition] = "attachment; filename=\"\(file)\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
