// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Services
import Simulators
import Testing

extension DVCQGTests {
    /// The portal's services as the contract describes them, driven through the real client over HTTP.
    @Suite("services")
    struct ServiceCalls {
        @Test("a create is stored and TraCuuHoSo returns the record as sent, without the fields left out")
        func createAndLookUp() async throws {
            try await withPortal { sim, client in
                // setup
                var record = dossier("H99-250102-0001")
                record.DinhDanhCHS = [.init(LoaiDinhDanh: 1, SoDinhDanh: "001190012345")]
                record.TrichYeuHoSo = "Đăng ký khai sinh cho con"
                // act
                let created = try await client.sync([record], isUpdating: false)
                let found = try await client.lookUp(["H99-250102-0001"])
                // check
                #expect(created.results.map(\.outcome) == [.ok])
                #expect(created.results.first?.maHoSo == "H99-250102-0001")
                let back = try #require(found.results.first?.record)
                #expect(try back.decode(DongBoHoSoRecord.self) == record)
                #expect(back["NgayTra"] == nil, "optional fields that are nil are not sent, so not stored")
                #expect(await sim.dump().dossiers.count == 1)
            }
        }

        @Test("a second create of the same dossier fails as an item with \"đã tồn tại\"; an update then replaces it")
        func duplicateCreateThenUpdate() async throws {
            try await withPortal { sim, client in
                _ = try await client.sync([dossier("A", status: 2)], isUpdating: false)
                let again = try await client.sync([dossier("A", status: 4)], isUpdating: false)
                #expect(again.errorCode == "0", "item failures do not fail the call")
                #expect(again.results.first?.outcome == .alreadyExists)
                #expect(again.results.first?.message.contains("đã tồn tại") == true)
                #expect(await sim.dump().dossier("A")?.record["TrangThaiHoSo"] == 2, "a failed create changes nothing")

                let updated = try await client.sync([dossier("A", status: 4)], isUpdating: true)
                #expect(updated.results.map(\.outcome) == [.ok])
                #expect(try await client.lookUp(["A"]).results.first?.record?["TrangThaiHoSo"] == 4)
                let log = await sim.writeLog()
                #expect(log.map(\.trangThaiHoSo) == [2, 4])
                #expect(log.map(\.isUpdating) == [false, true])
                #expect(log.map(\.seq) == [1, 2])
            }
        }

        @Test("an update or a look-up of a dossier the portal does not hold fails with \"không tồn tại\"")
        func unknownDossier() async throws {
            try await withPortal { sim, client in
                let update = try await client.sync([dossier("NOPE")], isUpdating: true)
                #expect(update.results.first?.outcome == .notFound)
                #expect(update.results.first?.message.contains("không tồn tại") == true)
                let look = try await client.lookUp(["NOPE"])
                #expect(look.results.first?.outcome == .notFound)
                #expect(look.results.first?.record == nil)
                #expect(await sim.dump().dossiers.isEmpty)
                #expect(await sim.writeLog().isEmpty)
            }
        }

        @Test(
            "a record with a missing field, a malformed date or a status outside 1–10 fails with code 2 naming the field",
            arguments: [
                ("MaTTHC", JSONValue?.none), ("DonViXuLy", .some(.string(" "))), ("NgayHenTra", .some(.string("2025-01-03"))),
                ("NgayTiepNhan", .some(.string("20250231080000"))), ("NgayTra", .some(.string("20250103"))),
                ("TrangThaiHoSo", .some(.int(11))), ("TrangThaiHoSo", .some(.int(0))), ("KenhThucHien", .some(.int(4))),
                ("LoaiDoiTuong", .some(.string("x"))), ("TrichYeuHoSo", .some(.string(String(repeating: "a", count: 1001)))),
            ])
        func validation(field: String, value: JSONValue?) async throws {
            try await withPortal { sim, client in
                var record = try JSONValue(encoding: dossier("BAD")).objectValue!
                record[field] = value
                let answer = try await client.call(service: .dongBoHoSo, data: [.object(record)])
                let item = try #require(answer.results.first)
                #expect(item.errorCode == "2")
                #expect(item.outcome == .invalid)
                #expect(item.message.contains(field), "message: \(item.message)")
                #expect(await sim.dump().dossiers.isEmpty)
            }
        }

        @Test("results come back one per item, in order, when some items of a batch fail")
        func mixedBatch() async throws {
            try await withPortal { _, client in
                var bad = dossier("B")
                bad.NgayHenTra = "tomorrow"
                let answer = try await client.sync([dossier("A"), bad, dossier("A"), dossier("C")], isUpdating: false)
                #expect(answer.results.map(\.maHoSo) == ["A", "B", "A", "C"])
                #expect(answer.results.map(\.outcome) == [.ok, .invalid, .alreadyExists, .ok])
            }
        }

        @Test("a call over the per-call limit is refused as a whole and nothing of it is stored")
        func batchLimits() async throws {
            try await withPortal { sim, client in
                let fiftyOne = (1...51).map { dossier("D\($0)") }
                let refused = await dvcqgError { _ = try await client.sync(fiftyOne, isUpdating: false) }
                guard case .envelope(let code, let message)? = refused else {
                    Issue.record("expected an envelope error, got \(String(describing: refused))")
                    return
                }
                #expect(code == DVCQGPortal.callRejected)
                #expect(message.contains("50"))
                #expect(await sim.dump().dossiers.isEmpty)

                let fifty = try await client.sync(Array(fiftyOne.prefix(DVCQGService.dongBoHoSo.limit)), isUpdating: false)
                #expect(fifty.results.map(\.outcome) == Array(repeating: .ok, count: 50))

                let elevenSteps = (1...11).map { step("D1", note: "bước \($0)") }
                #expect(await dvcqgError { _ = try await client.appendProgress(elevenSteps) } != nil)
                let ten = try await client.appendProgress(Array(elevenSteps.prefix(DVCQGService.capNhatTienDo.limit)))
                #expect(ten.results.map(\.outcome) == Array(repeating: .ok, count: 10))

                #expect(await dvcqgError { _ = try await client.lookUp((1...51).map { "D\($0)" }) } != nil)
                let found = try await client.lookUp((1...50).map { "D\($0)" })
                #expect(found.results.map(\.outcome) == Array(repeating: .ok, count: 50))
                #expect(await dvcqgError { _ = try await client.call(service: .layDanhSachTTHC, data: [[:], [:]]) } != nil)
            }
        }

        @Test("progress rows are appended in order to a held dossier and refused for an unknown one")
        func progressRows() async throws {
            try await withPortal { sim, client in
                _ = try await client.sync([dossier("A")], isUpdating: false)
                let answer = try await client.appendProgress([
                    step("A", status: 4, at: "20250102093000", note: "Chuyển xử lý"), step("GHOST"),
                    step("A", status: 9, at: "20250102150000", note: "Đã ký kết quả"),
                ])
                #expect(answer.results.map(\.outcome) == [.ok, .notFound, .ok])
                let rows = try #require(await sim.dump().dossier("A")?.progress)
                #expect(rows.map { $0["NoiDungXuLy"] } == ["Chuyển xử lý", "Đã ký kết quả"])
                #expect(rows.map { $0["TrangThai"] } == [4, 9])
                let log = await sim.writeLog().filter { $0.service == "CapNhatTienDoHoSoMC" }
                #expect(log.map(\.trangThaiHoSo) == [4, 9])

                var bad = step("A")
                bad.NguoiXuLy = String(repeating: "x", count: 51)
                let invalid = try await client.appendProgress([bad])
                #expect(invalid.results.first?.outcome == .invalid)
                #expect(invalid.results.first?.message.contains("NguoiXuLy") == true)
            }
        }

        @Test("each unit (madonvi) has its own dossiers; an account limited to one unit is refused for another")
        func units() async throws {
            let sim = DVCQGSimulator()
            let url = try await sim.start()
            let h99 = DVCQGClient(DVCQGConfig(baseURL: url, username: "motcua", password: "motcua", madonvi: "000.00.00.H99"))
            let h56 = DVCQGClient(DVCQGConfig(baseURL: url, username: "motcua", password: "motcua", madonvi: "000.00.00.H56"))
            _ = try await h99.sync([dossier("SAME", status: 2)], isUpdating: false)
            let other = try await h56.sync([dossier("SAME", status: 9)], isUpdating: false)
            #expect(other.results.first?.isSuccess == true, "a code already used in another unit does not exist in this one")
            let dump = await sim.dump()
            #expect(dump.dossier("SAME", unit: "000.00.00.H99")?.record["TrangThaiHoSo"] == 2)
            #expect(dump.dossier("SAME", unit: "000.00.00.H56")?.record["TrangThaiHoSo"] == 9)
            await sim.stop()

            try await withPortal(.init(allowedUnits: ["000.00.00.H99"]), unit: "000.00.00.H56") { _, client in
                let refused = await dvcqgError { _ = try await client.lookUp(["SAME"]) }
                #expect(refused?.isRetryable == false)
                guard case .envelope(let code, _)? = refused else {
                    Issue.record("expected an envelope error, got \(String(describing: refused))")
                    return
                }
                #expect(code == DVCQGPortal.callRejected)
            }
        }

        @Test("LayDanhSachTTHC serves the injected catalogue, filtered by update date, and the client accepts its \"00\"")
        func catalogue() async throws {
            let entries = [
                DVCQGCatalogueEntry(
                    MaTTHC: "1.001193", TenTTHC: "Thủ tục đăng ký khai sinh", MaLinhVuc: "HOTICH", TenLinhVuc: "Hộ tịch",
                    CoQuanThucHien: "UBND cấp xã", ThoiHanGiaiQuyet: 1, DonViTinh: "Ngày làm việc", MucDo: "TOANTRINH",
                    NgayCapNhat: "20250101000000"),
                DVCQGCatalogueEntry(
                    MaTTHC: "1.001612", TenTTHC: "Đăng ký thành lập hộ kinh doanh", MaLinhVuc: "HKD", TenLinhVuc: "Hộ kinh doanh",
                    CoQuanThucHien: "UBND cấp xã", ThoiHanGiaiQuyet: 3, DonViTinh: "Ngày làm việc", MucDo: "MOTPHAN",
                    NgayCapNhat: "20250601000000"),
            ]
            try await withPortal(.init(catalogue: entries)) { _, client in
                let all = try await client.catalogue()
                #expect(all.compactMap { $0["MaTTHC"]?.stringValue } == ["1.001193", "1.001612"])
                #expect(try all.map { try $0.decode(DVCQGCatalogueEntry.self) } == entries)
                let recent = try await client.catalogue(updatedFrom: DVCQGDate.date("20250301000000"))
                #expect(recent.compactMap { $0["MucDo"]?.stringValue } == ["MOTPHAN"])
            }
        }

        @Test("ThongKeHoSo (sim) counts the unit's dossiers received in the range, by status")
        func statistics() async throws {
            try await withPortal { _, client in
                _ = try await client.sync(
                    [dossier("A", status: 2), dossier("B", status: 2), dossier("C", status: 4), dossier("OLD", status: 10, received: "20240105080000")],
                    isUpdating: false)
                let answer = try await client.call(
                    service: .thongKeHoSo, data: [["TuNgay": "20250101000000", "DenNgay": "20251231235959"]])
                let counts = answer.results.map { ($0.raw["TrangThaiHoSo"]?.intValue ?? 0, $0.raw["SoLuong"]?.intValue ?? 0) }
                #expect(counts.map(\.0) == [2, 4])
                #expect(counts.map(\.1) == [2, 1])
                #expect(answer.results.first?.raw["TenTrangThai"] == "Được tiếp nhận")
            }
        }
    }
}
