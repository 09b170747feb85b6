// SPDX-License-Identifier: Apache-2.0
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Services
import Storage

/// The HTTP server with the in-process background workers (`motcua serve`).
public func buildApplication(app: MotCua, logger: Logger) -> some ApplicationProtocol {
    let (router, _) = buildRouter(app: app)
    return Application(
        router: router,
        configuration: .init(address: .hostname(app.config.httpHost, port: app.config.httpPort), serverName: "MotCua"),
        services: [MaintenanceWorker(app: app, logger: logger), DigitizationWorker(app: app, logger: logger)],
        logger: logger)
}

/// Periodic housekeeping that runs beside the HTTP server: drops expired API tokens.
/// (The portal relay and other workers join this service group as they are built.)
struct MaintenanceWorker: Service {
    let app: MotCua
    let logger: Logger

    func run() async throws {
        // Stop at once on SIGTERM/SIGINT instead of finishing a ten-minute sleep.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await app.database.query("DELETE FROM access_tokens WHERE expires_at < ?", [app.clock.now().sqlValue])
                } catch {
                    logger.warning("maintenance failed: \(error)")
                }
                try await Task.sleep(for: .seconds(600))
            }
        }
    }
}

/// Digitizes uploaded components in the background (OCR, inspection, quality control). Polls the
/// queue table; several instances can run on PostgreSQL (claims use SKIP LOCKED).
struct DigitizationWorker: Service {
    let app: MotCua
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var worked = false
                do {
                    worked = try await app.documents.digitizeNext()
                } catch {
                    logger.warning("digitization failed: \(error)")
                }
                if !worked { try await Task.sleep(for: .seconds(2)) }
            }
        }
    }
}
