// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// PostgreSQL through PostgresNIO's pooled client. Statements use `?` placeholders like SQLite;
/// they are rewritten to `$1…$n` here so every query is written once.
public final class PostgresDatabase: Database, @unchecked Sendable {
    public let dialect = SQLDialect.postgres
    let client: PostgresClient
    private let runTask: Task<Void, Never>
    static let logger = Logger(label: "motcua.postgres")

    private init(client: PostgresClient) {
        self.client = client
        self.runTask = Task { await client.run() }
    }

    /// Connects to `postgres://user:password@host:port/database[?sslmode=disable|require]`
    /// (`variable` names the setting in messages). With `checkReachable` a server that does not
    /// answer stops the start; a standby may be down when the application starts, so it is not checked.
    public static func connect(
        url: String, maxConnections: Int = 16, variable: String = "DATABASE_URL", checkReachable: Bool = true
    ) async throws -> PostgresDatabase {
        guard let c = URLComponents(string: url), let scheme = c.scheme, scheme == "postgres" || scheme == "postgresql",
            let host = c.host, let user = c.user
        else {
            throw StorageError.badConfiguration(
                "\(variable) must look like postgres://user:password@host:5432/database (got \(url.prefix(60)))")
        }
        let database = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        let sslmode = c.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslmode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        default: tls = .require(.makeClientConfiguration())
        }
        var config = PostgresClient.Configuration(
            host: host, port: c.port ?? 5432, username: user, password: c.password, database: database.isEmpty ? nil : database,
            tls: tls)
        config.options.maximumConnections = maxConnections
        let db = PostgresDatabase(client: PostgresClient(configuration: config, backgroundLogger: logger))
        guard checkReachable else { return db }
        // Fail at start, with a clear message, when the server is not reachable.
        do {
            _ = try await db.query("SELECT 1", [])
        } catch {
            await db.close()
            throw StorageError.badConfiguration("cannot connect to PostgreSQL at \(host):\(c.port ?? 5432) (\(variable)): \(error)")
        }
        return db
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [Row] {
        let q = try Self.makeQuery(sql, binds)
        do {
            return try await Self.collect(client.query(q, logger: Self.logger))
        } catch {
            throw Self.map(error, sql)
        }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { conn in
                _ = try await conn.query("BEGIN", logger: Self.logger)
                do {
                    let tx = PostgresTransaction(connection: conn, beforeCommit: BeforeCommit())
                    let value = try await body(tx)
                    try await tx.beforeCommit?.run(on: tx)
                    _ = try await conn.query("COMMIT", logger: Self.logger)
                    return value
                } catch {
                    _ = try? await conn.query("ROLLBACK", logger: Self.logger)
                    throw error
                }
            }
        } catch {
            throw Self.map(error, "transaction")
        }
    }

    public func close() async {
        runTask.cancel()
        _ = await runTask.value
    }

    static func map(_ error: any Error, _ sql: String) -> any Error {
        if error is StorageError { return error }
        if let e = error as? PSQLError {
            let state = e.serverInfo?[.sqlState] ?? ""
            let message = e.serverInfo?[.message] ?? "\(e.code)"
            if state == "23505" { return StorageError.uniqueViolation(message) }
            if state == "40001" || state == "40P01" { return StorageError.failed("serialization failure: \(message)") }
            return StorageError.failed("PostgreSQL \(state): \(message) [\(sql.prefix(120))]")
        }
        return error
    }

    /// Rewrites `?` to `$n`, leaving quoted text alone.
    static func rewrite(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.count + 16)
        var n = 0
        var inQuote = false
        for ch in sql {
            if ch == "'" { inQuote.toggle() }
            if ch == "?" && !inQuote {
                n += 1
                out += "$\(n)"
            } else {
                out.append(ch)
            }
        }
        return out
    }

    static func makeQuery(_ sql: String, _ binds: [SQLValue]) throws -> PostgresQuery {
        var b = PostgresBindings(capacity: binds.count)
        for v in binds {
            switch v {
            case .null: b.appendNull()
            case .int(let i): b.append(i)
            case .double(let d): b.append(d)
            case .text(let s): b.append(s)
            case .bytes(let bytes): b.append(ByteBuffer(bytes: bytes))
            }
        }
        return PostgresQuery(unsafeSQL: rewrite(sql), binds: b)
    }

    static func collect(_ seq: PostgresRowSequence) async throws -> [Row] {
        var rows: [Row] = []
        var index: ColumnIndex?
        for try await row in seq {
            let r = row.makeRandomAccess()
            if index == nil { index = ColumnIndex((0..<r.count).map { r[$0].columnName }) }
            var values: [SQLValue] = []
            values.reserveCapacity(r.count)
            for i in 0..<r.count {
                let cell = r[i]
                guard cell.bytes != nil else {
                    values.append(.null)
                    continue
                }
                switch cell.dataType {
                case .int2, .int4, .int8: values.append(.int(try cell.decode(Int64.self)))
                case .float4, .float8: values.append(.double(try cell.decode(Double.self)))
                case .numeric: values.append(.text(try cell.decode(String.self)))
                case .bool: values.append(.int(try cell.decode(Bool.self) ? 1 : 0))
                case .bytea: values.append(.bytes(Array(cell.bytes!.readableBytesView)))
                default: values.append(.text(try cell.decode(String.self)))
                }
            }
            rows.append(Row(index: index!, values: values))
        }
        return rows
    }
}

/// A leased connection inside BEGIN … COMMIT.
struct PostgresTransaction: SQLExecutor, @unchecked Sendable {
    let connection: PostgresConnection
    let beforeCommit: BeforeCommit?
    var dialect: SQLDialect { .postgres }

    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [Row] {
        let q = try PostgresDatabase.makeQuery(sql, binds)
        do {
            return try await PostgresDatabase.collect(connection.query(q, logger: PostgresDatabase.logger))
        } catch {
            throw PostgresDatabase.map(error, sql)
        }
    }
}
