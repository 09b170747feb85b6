// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Domain
import Foundation
import Services

/// `motcua audit …`: the tamper-evident audit ledger from the command line.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit ledger: verify the chain, sign a checkpoint, export a person's or a dossier's entries.",
        subcommands: [Verify.self, Checkpoint.self, Export.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the whole ledger and every source row; exit 1 naming the first broken entry.")

        func run() async throws {
            let app = try await boot(try loadConfig())
            let started = Date()
            say("audit verify: walking the ledger…")
            let r = try await app.audit.verify { n in if n % 50_000 == 0 { say("audit verify: \(n) entries…") } }
            await app.shutdown()
            let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
            if let b = r.broken {
                FileHandle.standardError.write(Data("motcua: audit ledger BROKEN at \(b)\n".utf8))
                FileHandle.standardError.write(Data("motcua: \(r.entries) entries were intact before it. Restore the database from a backup taken before the change, or investigate who wrote to the database directly.\n".utf8))
                throw ExitCode(1)
            }
            say("audit verify: intact: \(r.entries) entries, every source row as recorded, \(r.checkpoints) signed checkpoints valid (\(seconds) s)")
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign the ledger's current tip with the agency key (the worker does this every hour).")

        func run() async throws {
            let app = try await boot(try loadConfig())
            defer { Task { await app.shutdown() } }
            do {
                if let c = try await app.audit.checkpoint() {
                    say("audit checkpoint: entry \(c.seq) signed by \(c.signer) at \(c.at)")
                } else {
                    say("audit checkpoint: the ledger is empty, nothing to sign")
                }
            } catch let e as ServiceError { fail("\(e)") }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print, as JSON lines, the entries about a person (look-ups of their data) or a dossier (its events).")

        @Option(help: "A citizen's 12-digit ID number.")
        var person: String?

        @Option(help: "A dossier code.")
        var dossier: String?

        func run() async throws {
            guard (person == nil) != (dossier == nil) else { fail("give exactly one of --person ID or --dossier CODE") }
            let app = try await boot(try loadConfig())
            defer { Task { await app.shutdown() } }
            var subject = person ?? ""
            if let dossier {
                do { subject = try await app.dossiers.get(code: dossier, by: .system, purpose: "audit-export").dossier.id } catch let e as ServiceError { fail("\(e)") }
            }
            for e in try await app.audit.entries(subject: subject, limit: 100_000, by: .system) {
                try sayJSON(["seq": String(e.seq), "at": e.at, "kind": e.source, "ref": e.ref, "actor": e.actor, "hash": e.hash])
            }
        }
    }
}
