// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Domain
import Foundation
import Services

/// `motcua client add|list|revoke`: API clients that sign in with client credentials.
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client", abstract: "API clients (other systems of a unit) that sign in with client credentials.",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a client; prints its secret once.",
            discussion: "Scopes: dossiers:read (read and list its unit's dossiers), dossiers:file (file dossiers received by post at its unit), index:read (the Decision 766 index of its unit and those under it).")

        @Option(help: "The client id (3–64 characters: a-z, 0-9, - . _).")
        var id: String

        @Option(help: "The unit (agency code) it acts for.")
        var unit: String

        @Option(help: "Scopes granted, separated by spaces or commas.")
        var scopes: String

        @Option(help: "What the client is, for people reading the log.")
        var name: String = ""

        func run() async throws {
            guard let granted = APIScope.parse(scopes) else {
                fail("unknown scope in \"\(scopes)\"; use \(APIScope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let app = try await boot(try loadConfig())
            defer { Task { await app.shutdown() } }
            do {
                let secret = try await app.accounts.registerClient(id: id, name: name, unit: unit, scopes: granted, by: .system)
                say("client \(id) registered for \(unit) with \(APIScope.text(granted))")
                say("secret (shown once; keep it in the client's secret store): \(secret)")
                say("token: curl -u \(id):<secret> -d grant_type=client_credentials \(app.config.publicURL)/api/v1/oauth/token")
            } catch let e as ServiceError { fail("\(e)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the clients, their units and scopes.")

        func run() async throws {
            let app = try await boot(try loadConfig())
            defer { Task { await app.shutdown() } }
            let clients = try await app.accounts.clients()
            for c in clients {
                say("\(c.username)\t\(c.unit ?? "-")\t\(APIScope.text(c.scopes))\t\(c.active ? "active" : "revoked")\t\(c.fullName)")
            }
            say("\(clients.count) client(s)")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a client: its tokens stop working at once.")

        @Option(help: "The client id.")
        var id: String

        func run() async throws {
            let app = try await boot(try loadConfig())
            defer { Task { await app.shutdown() } }
            do {
                try await app.accounts.revokeClient(id: id, by: .system)
                say("client \(id) revoked")
            } catch let e as ServiceError { fail("\(e)") }
        }
    }
}
