// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Services

/// The dashboard's charts, drawn as SVG here (no chart library, no script).
enum DashboardCharts {
    static let fmt = DashboardPages.fmt

    /// One bar per group: score over ceiling, with the target as a mark.
    static func groups(_ r: IndexService.Report, methodology m: IndexMethodology, t: Texts) -> String {
        let rowHeight = 28.0
        let width = 640.0
        let label = 220.0
        let barWidth = width - label - 90
        var svg = "<svg role=\"img\" aria-label=\"\(Page.esc(t("chart.groups")))\" viewBox=\"0 0 \(Int(width)) \(Int(rowHeight * Double(r.score.groups.count) + 8))\" width=\"100%\">"
        for (i, g) in r.score.groups.enumerated() {
            let y = Double(i) * rowHeight + 4
            let share = g.ceiling > 0 ? min(1, g.score / g.ceiling) : 0
            let name = m.groups.first { $0.id == g.id }.map { t.pick($0.name, $0.nameEn) } ?? g.id
            svg += "<text x=\"0\" y=\"\(y + 17)\" font-size=\"13\">\(Page.esc(name))</text>"
            svg += "<rect x=\"\(label)\" y=\"\(y + 4)\" width=\"\(barWidth)\" height=\"18\" fill=\"#e6e6e6\"/>"
            svg += "<rect x=\"\(label)\" y=\"\(y + 4)\" width=\"\(fmt(barWidth * share))\" height=\"18\" fill=\"#0b4fa0\"/>"
            if let target = r.groupTargets[g.id], g.ceiling > 0 {
                let x = label + barWidth * min(1, target / g.ceiling)
                svg += "<line x1=\"\(fmt(x))\" x2=\"\(fmt(x))\" y1=\"\(y)\" y2=\"\(y + 26)\" stroke=\"#b00020\" stroke-width=\"2\"><title>\(Page.esc(t("chart.target", ["points": fmt(target)])))</title></line>"
            }
            svg += "<text x=\"\(label + barWidth + 8)\" y=\"\(y + 17)\" font-size=\"13\">\(fmt(g.score))/\(fmt(g.ceiling))</text>"
        }
        return svg + "</svg>"
    }

    /// Totals of the last twelve months as columns.
    static func trend(_ months: [(String, Double, Int)], t: Texts) -> String {
        let (width, height, top) = (640.0, 180.0, 100.0)
        let step = width / Double(max(1, months.count))
        var svg = "<svg role=\"img\" aria-label=\"\(Page.esc(t("chart.trend")))\" viewBox=\"0 0 \(Int(width)) \(Int(height + 40))\" width=\"100%\">"
        for (i, (label, total, received)) in months.enumerated() {
            let h = height * min(1, total / top)
            let x = Double(i) * step + 6
            let title = t("chart.month", ["month": label, "points": fmt(total), "n": String(received)])
            svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(height - h + 16))\" width=\"\(fmt(step - 12))\" height=\"\(fmt(h))\" fill=\"\(received == 0 ? "#cccccc" : "#0b4fa0")\"><title>\(Page.esc(title))</title></rect>"
            if received > 0 { svg += "<text x=\"\(fmt(x + (step - 12) / 2))\" y=\"\(fmt(height - h + 12))\" font-size=\"11\" text-anchor=\"middle\">\(fmt(total))</text>" }
            svg += "<text x=\"\(fmt(x + (step - 12) / 2))\" y=\"\(Int(height + 32))\" font-size=\"11\" text-anchor=\"middle\">\(label.suffix(5))</text>"
        }
        return svg + "</svg>"
    }
}
