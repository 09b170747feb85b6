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
    /// A hot standby for heavy reads (`DATABASE_READ_URL`), probed every second while running.
    public let replica: ReadReplica?
    private let replicaProbe: Task<Void, Never>?
    /// The working calendar in force; administrators' holiday overrides replace it while running.
    public var calendar: WorkingCalendar { calendarBox.current }
    let calendarBox: CalendarBox
    /// The calendar before the database's overrides (shipped overrides, `MOTCUA_HOLIDAYS`).
    let baseCalendar: WorkingCalendar
    public let clock: AppClock
    public let blobs: any BlobStore
    let cache = CatalogCache()
    /// The versions of the catalog and the calendar this instance holds in memory.
    let heldVersions = HeldVersions()
    /// Sign-in providers' discovery documents and keys.
    let openIDMetadata = OpenIDMetadataCache()
    /// Text messages being sent after the answer that queued them went out.
    let backgroundDeliveries = BackgroundDeliveries()
    /// The key that seals stored secrets, loaded when first needed.
    let secretBoxHolder = SecretBoxHolder()
    /// The index methodology in force (the shipped one with the province's profile), read once.
    let indexMethodology: (IndexMethodology, IndexProfile?)

    /// False only in the intake benchmark's comparison run: dossier changes then skip the index
    /// aggregates (which are wrong from then on; `motcua index rebuild` repairs them).
    public let maintainsIndex: Bool

    public init(
        config: AppConfig, database: any Database, calendar: WorkingCalendar, blobs: any BlobStore, clock: AppClock = .system, maintainsIndex: Bool = true,
        indexMethodology: (IndexMethodology, IndexProfile?)? = nil, replica: ReadReplica? = nil
    ) {
        self.maintainsIndex = maintainsIndex
        self.config = config
        self.database = database
        self.replica = replica
        self.replicaProbe = replica.map { r in Task { await r.run() } }
        self.calendarBox = CalendarBox(calendar)
        self.baseCalendar = calendar
        self.clock = clock
        self.blobs = blobs
        // ``boot`` reads and checks it once and passes it in; a test or tool that builds the
        // system directly with a broken profile falls back to the shipped methodology, which a
        // test keeps valid.
        self.indexMethodology = indexMethodology ?? (try? IndexService.methodology(config))
            ?? ((try? IndexService.bundledMethodology()).map { ($0, nil) } ?? (Self.emptyMethodology, nil))
    }

    static let emptyMethodology = IndexMethodology(format: IndexMethodology.formatName, id: "none", version: "", name: "", groups: [], bands: [])

    /// Opens the configured database, migrates it and loads the calendar.
    public static func boot(_ config: AppConfig, clock: AppClock = .system, migrate: Bool = true) async throws -> MotCua {
        let calendar = try BundledData.workingCalendar(config)
        let methodology = try IndexService.methodology(config)  // a broken index profile stops the start, with the reason
        let blobs: any BlobStore
        if let s3 = config.s3 {
            let store = try S3BlobStore(s3, cache: URL(fileURLWithPath: config.dataDir).appendingPathComponent("blob-cache"))
            try await store.ensureBucket()
            blobs = store
        } else {
            blobs = try FileBlobStore(root: URL(fileURLWithPath: config.blobDir))
        }
        let db = try await DatabaseFactory.open(url: config.databaseURL, sqlitePath: config.sqlitePath)
        var replica: ReadReplica?
        if let url = config.databaseReadURL {
            // Not checked at start: a standby that is down only sends the reads to the primary.
            replica = ReadReplica(standby: try await PostgresDatabase.connect(url: url, variable: "DATABASE_READ_URL", checkReachable: false), primary: db)
        }
        let app = MotCua(config: config, database: db, calendar: calendar, blobs: blobs, clock: clock, indexMethodology: methodology, replica: replica)
        do {
            // The recorded days off live in a migrated table: read once the schema is current.
            if migrate {
                try await app.afterMigrations(try await Migrator(database: db).migrate())
                try await app.followSharedChanges()
                _ = try await app.accounts.sealStoredSecrets()
            }
        } catch {
            await app.shutdown()
            throw error
        }
        return app
    }

    /// Derived data a migration introduced is filled from the source tables at once: the audit
    /// ledger (migration 13) and the index aggregates (migration 8; again at 10, which added the
    /// "complained" fact) of a database that already holds dossiers and events.
    public func afterMigrations(_ applied: [String], progress: @Sendable (String) -> Void = { _ in }) async throws {
        if applied.contains("CreateAuditLedger") {
            let n = try await audit.recordExisting { n in if n % 10_000 == 0 { progress("audit ledger: \(n) existing rows recorded") } }
            if n > 0 { progress("audit ledger: \(n) rows written before it recorded") }
        }
        guard applied.contains("CreateIndexAggregates") || applied.contains("CreatePetitions"),
            try await database.first("SELECT 1 AS x FROM dossiers LIMIT 1") != nil
        else { return }
        progress("building the service-quality index from the existing dossiers")
        let r = try await index.rebuild(by: .system) { n in if n % 10_000 == 0 { progress("index: \(n) dossiers") } }
        progress("index: \(r.counted) dossiers counted in \(String(format: "%.1f", r.seconds)) s")
    }

    /// The instance's ``SecretBox`` (its key from the configuration or the data folder).
    public func secretBox() throws -> SecretBox { try secretBoxHolder.get(config) }

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
    public var index: IndexService { IndexService(app: self) }
    public var ratings: RatingService { RatingService(app: self) }
    public var petitions: PetitionService { PetitionService(app: self) }
    public var calendars: CalendarService { CalendarService(app: self) }
    public var audit: AuditService { AuditService(app: self) }
    public var externalSignIn: ExternalSignIn { ExternalSignIn(app: self) }
    public var tracking: TrackingService { TrackingService(app: self) }
    public var notifications: NotificationService { NotificationService(app: self) }
    public var backup: BackupService { BackupService(app: self) }

    /// Runs a heavy read (dashboard, report, search, list) on the standby when it may serve it
    /// (see ``ReadReplica``), else on the primary. `body` only reads: it may run twice.
    func reading<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        guard let replica else { return try await body(database) }
        return try await replica.read(body)
    }

    /// Reloads what was changed elsewhere (another instance, the command line) since this
    /// instance last looked: the catalog it caches and the calendar in force. `motcua serve` and
    /// `motcua worker` call it every second; returns what was reloaded.
    @discardableResult
    public func followSharedChanges() async throws -> [SharedVersionStore.Name] {
        // Versions first, then the state: a change landing in between is reloaded next time.
        let current = try await SharedVersionStore.all(on: database)
        let moved = await heldVersions.moved(current)
        for name in moved {
            switch name {
            case .catalog: await cache.invalidate()
            case .calendar: try await calendars.load()
            }
        }
        await heldVersions.hold(current, of: moved)
        return moved
    }

    public func shutdown() async {
        await notifications.settle()
        replicaProbe?.cancel()
        await replica?.close()
        await database.close()
    }
}

/// Units and procedures change rarely and are read on every intake: keep them in memory,
/// dropped whenever the catalog is imported.
actor CatalogCache {
    private var units: [String: AdministrativeUnit]?
    private var procedures: [String: Procedure] = [:]
    private var all: [Procedure]?

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

    func allProcedures(_ load: @Sendable () async throws -> [Procedure]) async throws -> [Procedure] {
        if let a = all { return a }
        let loaded = try await load()
        all = loaded
        return loaded
    }

    func invalidate() {
        units = nil
        procedures = [:]
        all = nil
    }
}

/// Which versions of the shared state this instance holds; nothing is held before the first look.
actor HeldVersions {
    private var held: [SharedVersionStore.Name: Int] = [:]

    func moved(_ current: [SharedVersionStore.Name: Int]) -> [SharedVersionStore.Name] {
        SharedVersionStore.Name.allCases.filter { held[$0] == nil || held[$0] != current[$0] }
    }

    func hold(_ current: [SharedVersionStore.Name: Int], of names: [SharedVersionStore.Name]) {
        for n in names { held[n] = current[n] }
    }
}

/// The calendar in force, swapped whole when an administrator records a decision.
final class CalendarBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: WorkingCalendar

    init(_ c: WorkingCalendar) { value = c }

    var current: WorkingCalendar { lock.withLock { value } }
    func replace(_ c: WorkingCalendar) { lock.withLock { value = c } }
}
