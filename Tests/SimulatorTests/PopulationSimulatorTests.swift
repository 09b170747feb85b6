// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Services
import Simulators
import Testing


// A guard against a hang, not a measure: with every suite started at once on two cores a quick
// test can wait more than a minute for a thread (CI at 6e20818: 87 s for a test that takes 1 s alone).
@Suite(.timeLimit(.minutes(5)))
struct PopulationSimulatorTests {
    @Test func sameSeedGivesTheSamePeople() async throws {
        let a = SyntheticPopulation.generate(count: 300, seed: 42)
        #expect(a == SyntheticPopulation.generate(count: 300, seed: 42))
        // Asking for fewer people gives a prefix, so --people does not reshuffle who exists.
        #expect(Array(a.prefix(120)) == SyntheticPopulation.generate(count: 120, seed: 42))
        #expect(a != SyntheticPopulation.generate(count: 300, seed: 43))

        // Two servers from the same seed answer the same record for a generated number.
        let number = try await PopulationFixture.run(people: 300, seed: 42) { simulator, client, _ in
            let n = simulator.citizens[PopulationSimulator.wellKnown.count + 150].idNumber
            return (n, try await client.lookUp(idNumber: n, purpose: "kiem-thu", official: "test"))
        }
        let other = try await PopulationFixture.run(people: 300, seed: 42) { _, client, _ in
            try await client.lookUp(idNumber: number.0, purpose: "kiem-thu", official: "test")
        }
        #expect(other == number.1)
        #expect(other.idNumber == a[150].idNumber && other.fullName == a[150].fullName)
    }

    @Test func generatedPeopleFollowTheIDStructure() {
        let people = SyntheticPopulation.generate(count: 3000, seed: 7)
        #expect(Set(people.map(\.idNumber)).count == people.count)
        for p in people {
            #expect(p.problem(currentYear: 2025) == nil, "\(p.idNumber)")
            let old = Int(p.idNumber.prefix(3))!
            // The birth-registration prefix and the permanent province agree (old → 2025 code).
            #expect(SyntheticPopulation.newProvinceCode(forOld: old) == p.permanentAddress.provinceCode)
            #expect(p.permanentAddress.detail.hasSuffix(SyntheticPopulation.provinceName(p.permanentAddress.provinceCode)!))
            #expect(p.permanentAddress.communeCode.count == 5 && p.permanentAddress.communeCode.hasPrefix(p.permanentAddress.provinceCode))
            #expect(p.fullName.split(separator: " ").count >= 3)
        }
        let heads = people.filter(\.isHouseholdHead).count
        #expect(heads > 300 && heads < 2000)
        #expect(people.contains { $0.fullName.hasPrefix("Nguyễn ") } && people.contains { $0.ethnicity != "Kinh" })
        #expect(people.contains { $0.currentAddress != $0.permanentAddress })
        #expect(people.contains { $0.idNumber.dropFirst(3).first == "3" })  // some girls born since 2000
    }

    @Test func wellKnownPeopleAreConsistent() {
        for p in PopulationSimulator.wellKnown { #expect(p.problem(currentYear: 2025) == nil, "\(p.idNumber)") }
        #expect(PopulationSimulator.wellKnown.first { $0.idNumber == "001190012345" }?.fullName == "Phạm Thị Hoa")
    }

    @Test func fileRecordsAreServedAndChecked() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("population-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("people.json")
        try Data(
            #"""
            [{"SoDinhDanh": "092301000777", "HoVaTen": "Thạch Thị Sa Rươne", "NgaySinh": "2001-02-03", "GioiTinh": 2,
              "QuocTich": "Việt Nam", "DanToc": "Khmer", "ChuHo": false,
              "NoiThuongTru": {"MaTinh": "92", "MaXa": "92010", "ChiTiet": "Ấp Hòa Thạnh, xã Tân Lập, thành phố Cần Thơ"},
              "NoiOHienTai": {"MaTinh": "92", "MaXa": "92010", "ChiTiet": "Ấp Hòa Thạnh, xã Tân Lập, thành phố Cần Thơ"}},
             {"SoDinhDanh": "001190012345", "HoVaTen": "Phạm Thị Hoa", "NgaySinh": "1990-05-12", "GioiTinh": 2,
              "QuocTich": "Việt Nam", "DanToc": "Kinh", "ChuHo": true,
              "NoiThuongTru": {"MaTinh": "99", "MaXa": "99004", "ChiTiet": "Số 3 đường Trần Phú, phường Hòa Bình, tỉnh Sơn Hà"},
              "NoiOHienTai": {"MaTinh": "99", "MaXa": "99004", "ChiTiet": "Số 3 đường Trần Phú, phường Hòa Bình, tỉnh Sơn Hà"}}]
            """#.utf8
        ).write(to: good)
        try await PopulationFixture.run(people: 0, file: good.path) { simulator, client, _ in
            #expect(simulator.citizens.count == PopulationSimulator.wellKnown.count + 1)
            let sa = try await client.lookUp(idNumber: "092301000777", purpose: "kiem-thu", official: "test")
            #expect(sa.fullName == "Thạch Thị Sa Rươne" && sa.ethnicity == "Khmer")
            // A file record replaces the fixed person with the same number.
            let hoa = try await client.lookUp(idNumber: "001190012345", purpose: "kiem-thu", official: "test")
            #expect(hoa.permanentAddress.communeCode == "99004")
        }

        // Digit 0 means male; a file that says female is refused, naming the record.
        let bad = dir.appendingPathComponent("bad.json")
        try Data(
            #"""
            [{"SoDinhDanh": "001090000001", "HoVaTen": "Trần Thị Lan", "NgaySinh": "1990-01-01", "GioiTinh": 2,
              "QuocTich": "Việt Nam", "DanToc": "Kinh", "ChuHo": false,
              "NoiThuongTru": {"MaTinh": "01", "MaXa": "01001", "ChiTiet": "x"}, "NoiOHienTai": {"MaTinh": "01", "MaXa": "01001", "ChiTiet": "x"}}]
            """#.utf8
        ).write(to: bad)
        do {
            _ = try PopulationSimulator(configuration: .init(people: 0, file: bad.path, logLevel: .error))
            Issue.record("expected the file to be refused")
        } catch let e as PopulationSimulator.LoadError {
            #expect(e.description.contains("record 1") && e.description.contains("GioiTinh"))
        }
    }

    @Test func contractOrderTokenThenPurposeThenNumber() async throws {
        try await PopulationFixture.run { _, _, url in
            let citizen = url.appendingPathComponent("citizens/001590012345")
            // No token: 401 before anything else is looked at.
            let (_, noToken) = try await PopulationFixture.call(citizen, headers: ["X-Purpose": "p", "X-Official": "o"])
            #expect(noToken.status == 401)
            #expect(noToken.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)

            let (tokenBody, tokenAnswer) = try await PopulationFixture.call(
                url.appendingPathComponent("token"), method: "POST", json: #"{"client_id": "motcua", "client_secret": "motcua-secret"}"#)
            #expect(tokenAnswer.status == 200)
            let token = try #require(try JSONSerialization.jsonObject(with: tokenBody) as? [String: Any])
            #expect(token["expires_in"] as? Int == 300)
            let bearer = "Bearer \(token["access_token"] as! String)"

            // A bad number without a purpose: the missing purpose is what is reported.
            let (_, noPurpose) = try await PopulationFixture.call(citizen, headers: ["Authorization": bearer, "X-Official": "o"])
            #expect(noPurpose.status == 403)
            let (_, badNumber) = try await PopulationFixture.call(citizen, headers: ["Authorization": bearer, "X-Purpose": "p", "X-Official": "o"])
            #expect(badNumber.status == 400)
        }
    }

    @Test func faultsEndpointRefusesBadValuesAndReportsTheOutage() async throws {
        try await PopulationFixture.run { simulator, _, url in
            let faults = url.appendingPathComponent("sim/faults")
            let (_, refused) = try await PopulationFixture.call(faults, method: "POST", json: #"{"failRate": 2}"#)
            #expect(refused.status == 400)
            #expect(await simulator.faults() == .none)

            let (body, accepted) = try await PopulationFixture.call(faults, method: "POST", json: #"{"outageSeconds": 30, "latencyMs": 5}"#)
            #expect(accepted.status == 200)
            let now = try JSONDecoder().decode(PopulationFaults.self, from: body)
            #expect(now.latencyMs == 5 && (1...30).contains(now.outageSeconds))

            let (_, token) = try await PopulationFixture.call(
                url.appendingPathComponent("token"), method: "POST", json: #"{"client_id": "motcua", "client_secret": "motcua-secret"}"#)
            #expect(token.status == 503 && token.header("Retry-After").flatMap(Int.init).map { (1...30).contains($0) } == true)
        }
    }
}
