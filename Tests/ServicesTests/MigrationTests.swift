// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Storage
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test("every migration applies, reverts and re-applies", arguments: TestDB.available)
    func upDownUp(db kind: TestDB) async throws {
        try await kind.withDatabase { db in
            let m = Migrator(database: db)
            // setup / act
            let applied = try await m.migrate()
            #expect(applied == Migrations.all.map(\.name))
            #expect(try await m.migrate().isEmpty)
            try await db.query("INSERT INTO settings (key, value) VALUES ('k', 'v')", [])
            // Revert one by one: each step must leave a usable schema.
            for expected in Migrations.all.reversed() {
                let reverted = try await m.revert(steps: 1)
                #expect(reverted == [expected.name])
            }
            #expect(try await m.applied().isEmpty)
            // Tables are gone, then come back empty.
            await #expect(throws: (any Error).self) { try await db.query("SELECT * FROM dossiers", []) }
            try await m.migrate()
            #expect(try await db.query("SELECT * FROM settings", []).isEmpty)
            #expect(try await m.applied() == Migrations.all.map(\.id))
        }
    }
}
