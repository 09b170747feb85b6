// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Domain
import Foundation
import Services

/// `motcua index …`: the service-quality index (Decision 766) from the command line.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index", abstract: "The service-quality index (Decision 766): scores, and rebuilding the live aggregates.",
        subcommands: [Show.self, Rebuild.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a unit's scores for a period, group by group.")

        @Option(help: "Agency code of the unit (the province by default); the units under it are included.")
        var unit: String?

        @Option(help: "YYYY-MM, YYYY-Qn or YYYY (this month by default).")
        var period: String?

        func run() async throws {
            let app = try await boot(try loadConfig())
            defer { Task { await app.shutdown() } }
            let p = try period.map { try IndexService.parsePeriod($0) } ?? IndexPeriod.month(of: app.clock.now())
            let units = try await app.catalog.units()
            guard let code = unit ?? units.first(where: { $0.kind == .province })?.code else { fail("no province in the catalogue; give --unit") }
            let r: IndexService.Report
            do { r = try await app.index.report(unit: code, period: p, by: .system) } catch let e as ServiceError { fail("\(e)") }
            let m = app.index.methodologyInForce
            say("\(r.unitName) (\(r.unit)), \(r.period): \(String(format: "%.2f", r.score.total)) / \(Int(r.score.ceiling)) điểm"
                + " (\(String(format: "%.0f", r.score.ceilingWithData)) điểm có dữ liệu)\(r.band.map { ", \($0.name)" } ?? ""); \(r.received) hồ sơ tiếp nhận")
            for g in r.score.groups {
                say(String(format: "  %@: %.2f / %.0f", m.groups.first { $0.id == g.id }?.name ?? g.id, g.score, g.ceiling))
                for i in g.indicators {
                    let display = m.indicator(i.id)?.formula == .display
                    let value = i.score.map { String(format: "%.2f / %.0f", $0, i.ceiling) } ?? (display && i.denominator != nil ? "theo dõi, không tính điểm" : "không có dữ liệu")
                    let count = i.denominator.map { " (\(i.numerator ?? 0)/\($0))" } ?? ""
                    say("    \(i.id) \(m.indicator(i.id)?.name ?? ""): \(value)\(count)\(i.uncertain ? " [chưa chắc chắn]" : "")")
                }
            }
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the index aggregates from the source tables, report any difference from the live figures, and replace them.")

        func run() async throws {
            let app = try await boot(try loadConfig())
            say("index rebuild: reading every dossier…")
            let r = try await app.index.rebuild(by: .system) { n in if n % 10_000 == 0 { say("index rebuild: \(n) dossiers…") } }
            say(String(format: "index rebuild: %d dossiers read, %d counted, in %.1f s; differences from the live figures: %d dossier entries, %d counts",
                r.dossiers, r.counted, r.seconds, r.entriesDiffering, r.countsDiffering))
            await app.shutdown()
            if r.entriesDiffering + r.countsDiffering > 0 {
                FileHandle.standardError.write(Data("motcua: the live index differed from the source tables; it has been replaced by the rebuilt one. Please report this.\n".utf8))
                throw ExitCode(70)
            }
        }
    }
}
