// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services

/// The landing page at `/`: what is running and where each person goes.
enum HomePage {
    static func render(_ ui: UI, app: MotCua) async throws -> Response {
        let units = try await app.catalog.units()
        let procedures = try await app.catalog.allProcedures()
        return ui.page(
            "home", title: ui.t("home.heading"),
            [
                "summary": ui.t("home.summary", ["units": String(units.count), "procedures": String(procedures.count)]),
                "year": VietnamTime.date(of: app.clock.now()).year, "home": DashboardPages.home(ui.actor),
            ])
    }
}
