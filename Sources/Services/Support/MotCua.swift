// SPDX-License-Identifier: Apache-2.0
import Documents
import Domain
import Foundation
import Storage

/// The running system: database, calendar, clock and the catalog cache, shared by every use case.
/// Built once at start (or per test) and passed explicitly; there is no global state.
public final class MotCua: Sendable {
    public let config: AppConfig
    public let database: any Database
    public let calendar: WorkingCalendar
    public let clock: AppClock
    public let blobs: any BlobStore
    let cache = CatalogCache()

    public init(config: AppConfig, database: any Database, calendar: WorkingCalendar, blobs: any BlobStore, clock: AppClock = .system) {
        self.config = config
        self.database = database
        self.calendar = calendar
        self.clock = clock
        self.blobs = blobs
    }

    /// Opens the configured database, migrates it and loads the calendar.
    public static func boot(_ config: AppConfig, clock: AppClock = .system, migrate: Bool = true) async throws -> MotCua {
        let calendar = try BundledData.workingCalendar(config)
        let blobs = try FileBlobStore(root: URL(fileURLWithPath: config.blobDir))
        let db = try await DatabaseFactory.open(url: config.databaseURL, sqlitePath: config.sqlitePath)
        do {
            if migrate { try await Migrator(database: db).migrate() }
        } catch {
            await db.close()
            throw error
        }
        return MotCua(config: config, database: db, calendar: calendar, blobs: blobs, clock: clock)
    }

    public var catalog: CatalogService { CatalogService(app: self) }
    public var dossiers: DossierService { DossierService(app: self) }
    public var accounts: AccountService { AccountService(app: self) }
    public var documents: DocumentService { DocumentService(app: self) }
    public var forms: FormService { FormService(app: self) }
    public var signatures: SignatureService { SignatureService(app: self) }
    public var results: ResultService { ResultService(app: self) }
    public var templates: TemplateLibrary { TemplateLibrary(overrideDir: config.templatesDir) }
    public var sync: SyncService { SyncService(app: self) }
    public var population: PopulationService { PopulationService(app: self) }

    public func shutdown() async { await database.close() }
}

/// Units and procedures change rarely and are read on every intake: keep them in memory,
/// dropped whenever the catalog is imported.
actor CatalogCache {
    private var units: [String: AdministrativeUnit]?
    private var procedures: [String: Procedure] = [:]

    func units(_ load: @Sendable () async throws -> [AdministrativeUnit]) async throws -> [String: AdministrativeUnit] {
        if let u = units { return u }
        let loaded = Dictionary(uniqueKeysWithValues: try await load().map { ($0.code, $0) })
        units = loaded
        return loaded
    }

    func procedure(_ code: String, _ load: @Sendable () async throws -> Procedure?) async throws -> Procedure? {
        if let p = procedures[code] { return p }
        let p = try await load()
        if let p { procedures[code] = p }
        return p
    }

    func invalidate() {
        units = nil
        procedures = [:]
    }
}
