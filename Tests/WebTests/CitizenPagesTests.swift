// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Documents
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Services
import Storage
import Testing
import Web

/// Filing online from the citizen's pages: a document the state already holds is offered
/// instead of an upload and reused; a missing file refuses the whole form and stores nothing.
@Suite("Citizen pages")
struct CitizenPagesTests {
    /// A small valid PDF (one blank page).
    static let pdf = Array("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".utf8)

    @Test("the warehouse's identity document is offered and reused; a missing file refuses the form", arguments: [TestDB.sqlite])
    func filing(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let officer = TestApp.officer(TestApp.tanLap)
            // An identity document from an earlier dossier, in the citizen's warehouse.
            let first = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: TestApp.tanLap, applicant: TestApp.applicant()), by: officer)
            let staged = try StagedFile(directory: URL(fileURLWithPath: t.app.config.blobDir).appendingPathComponent("staging"))
            try Self.pdf.withUnsafeBytes { try staged.write($0) }
            let stored = try await t.app.documents.add(ComponentUpload(file: staged, componentCode: "GTTT", originalName: "cccd.pdf"), to: first.dossier.code, by: officer)
            try await t.app.database.transaction { tx in
                try await WarehouseStore.file(
                    id: "wh-cccd", owner: DemoProvince.citizenIdNumber, type: "identity-document", title: "Căn cước", issuer: "Bộ Công an",
                    issuedOn: LocalDate(year: 2024, month: 1, day: 2), blob: stored.blobSHA256, dossierId: first.dossier.id, componentId: stored.id,
                    at: TestApp.monday0900, on: tx)
            }
            let login = try await api.signIn("citizen", next: "")
            let session = try #require(login.cookie)
            #expect(login.location == "/cong-dan")
            let form = try await api.page("/thu-tuc/1.001193/nop", cookie: session)
            #expect(form.text.contains("name=\"reuse:GTTT\"") && form.text.contains("value=\"wh-cccd\""))
            #expect(try await api.page("/cong-dan", cookie: session).text.contains("Căn cước"))
            func post(_ fields: [(String, String)], _ files: [(String, [UInt8])]) async throws -> Page {
                try await api.submit("/thu-tuc/1.001193/nop", fields: fields, files: files, session: session)
            }
            let before = try await t.count("dossiers")
            // The birth certificate (GCS) is missing: refused, nothing stored, the phone kept.
            let refused = try await post([("dt", "0912345678"), ("noi-nop", TestApp.tanLap), ("reuse:GTTT", "wh-cccd")], [("file:TK", Self.pdf)])
            #expect(refused.status == .badRequest && refused.text.contains("id=\"file-GCS-error\"") && refused.text.contains("value=\"0912345678\""))
            #expect(try await t.count("dossiers") == before)
            let ok = try await post([("dt", "0912345678"), ("noi-nop", TestApp.tanLap), ("reuse:GTTT", "wh-cccd")], [("file:TK", Self.pdf), ("file:GCS", Self.pdf)])
            #expect(ok.status == .seeOther)
            let code = try #require(ok.location?.split(separator: "/").last?.split(separator: "?").first.map(String.init))
            let components = try await t.app.documents.list(code: code, by: TestApp.citizen)
            #expect(Set(components.items.map(\.componentCode)) == ["TK", "GCS", "GTTT"])
            #expect(components.items.first { $0.componentCode == "GTTT" }?.fromWarehouse == true)
        }
    }
}
