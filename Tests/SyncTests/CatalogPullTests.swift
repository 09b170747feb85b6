// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Simulators
import Testing

@Suite("National catalogue pull")
struct CatalogPullTests {
    @Test("LayDanhSachTTHC is compared with the local catalogue: new, changed, missing")
    func pull() async throws {
        try await TestApp.with(.sqlite) { t in
            let local = try await t.app.catalog.procedures()
            // The portal knows one local procedure with another time and level, one the province
            // lacks, and one exactly as published locally.
            let birth = try await t.app.catalog.procedure(code: "1.001193")
            let v = try #require(birth.version(on: VietnamTime.date(of: t.clock.clock.now())))
            let copy = try await t.app.catalog.procedure(code: "2.000815")
            let cv = try #require(copy.version(on: VietnamTime.date(of: t.clock.clock.now())))
            let entries = [
                DVCQGCatalogueEntry(
                    MaTTHC: birth.code, TenTTHC: birth.name, MaLinhVuc: birth.field.code, TenLinhVuc: birth.field.name, CoQuanThucHien: "UBND cấp xã",
                    ThoiHanGiaiQuyet: v.processingTime.amount + 2, DonViTinh: "Ngày làm việc", MucDo: "MOTPHAN", NgayCapNhat: "20260101000000"),
                DVCQGCatalogueEntry(
                    MaTTHC: "9.999001", TenTTHC: "Thủ tục mới ban hành", MaLinhVuc: "X", TenLinhVuc: "X", CoQuanThucHien: "UBND cấp xã",
                    ThoiHanGiaiQuyet: 5, DonViTinh: "Ngày làm việc", MucDo: "TOANTRINH", NgayCapNhat: "20260101000000"),
                DVCQGCatalogueEntry(
                    MaTTHC: copy.code, TenTTHC: copy.name, MaLinhVuc: copy.field.code, TenLinhVuc: copy.field.name, CoQuanThucHien: "UBND cấp xã",
                    ThoiHanGiaiQuyet: cv.processingTime.amount, DonViTinh: cv.processingTime.unit == .workingDays ? "Ngày làm việc" : "Ngày",
                    MucDo: cv.onlineLevel == .full ? "TOANTRINH" : "MOTPHAN", NgayCapNhat: "20260101000000"),
            ]
            let sim = DVCQGSimulator(.init(catalogue: entries))
            let url = try await sim.start()
            var config = t.app.config
            config.dvcqgURL = url.absoluteString
            config.dvcqgUsername = "motcua"
            config.dvcqgPassword = "motcua"
            config.dvcqgUnit = "000.00.00.H99"
            let app = MotCua(config: config, database: t.app.database, calendar: t.app.calendar, blobs: t.app.blobs, clock: t.app.clock)
            let d: CatalogDifferences
            do { d = try await app.sync.pullCatalog() } catch {
                await sim.stop()
                throw error
            }
            await sim.stop()
            #expect(d.new.map(\.code) == ["9.999001"])
            #expect(d.changed.map(\.code) == ["1.001193"])
            #expect(d.changed.first?.what.count == 2, "\(d.changed.first?.what ?? [])")
            #expect(d.same == 1)
            #expect(d.missing.count == local.count - 2)
        }
    }
}
