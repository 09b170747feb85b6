// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Services
import Simulators
import Testing

import Network

/// Starts a population simulator on a free loopback port for one test and stops it afterwards.
enum PopulationFixture {
    @discardableResult
    static func run<T>(
        people: Int = 50, seed: UInt64 = 1, file: String? = nil, faults: PopulationFaults = .none, clientSecret: String = "motcua-secret",
        timeout: TimeInterval = 60, _ body: (PopulationSimulator, PopulationClient, URL) async throws -> T
    ) async throws -> T {
        let simulator = try PopulationSimulator(
            configuration: .init(port: 0, people: people, seed: seed, file: file, faults: faults, logLevel: .error))
        let url = try await simulator.start()
        let client = PopulationClient(configuration: .init(baseURL: url, clientId: "motcua", clientSecret: clientSecret, timeout: timeout))
        do {
            let result = try await body(simulator, client, url)
            await simulator.stop()
            return result
        } catch {
            await simulator.stop()
            throw error
        }
    }

    /// A raw call, for the simulator's own endpoints and for checks the client would hide.
    static func call(_ url: URL, method: String = "GET", json: String? = nil, headers: [String: String] = [:]) async throws -> (Data, HTTPCall.Answer) {
        var request = HTTPCall(url: url, method: method, timeout: 60)
        if let json {
            request.body = Data(json.utf8)
            request.setHeader("Content-Type", "application/json")
        }
        for (k, v) in headers { request.setHeader(k, v) }
        let answer = try await request.send()
        return (answer.body, answer)
    }

    static func log(_ url: URL) async throws -> [PopulationSimulator.LookupLogEntry] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode([PopulationSimulator.LookupLogEntry].self, from: try await call(url.appendingPathComponent("sim/log")).0)
    }
}


// A guard against a hang, not a measure: with every suite started at once on two cores a quick
// test can wait more than a minute for a thread (CI at 6e20818: 87 s for a test that takes 1 s alone).
@Suite(.timeLimit(.minutes(5)))
struct PopulationClientTests {
    @Test func lookUpReturnsEveryFieldOfTheFixedPerson() async throws {
        try await PopulationFixture.run { _, client, _ in
            // act
            let hoa = try await client.lookUp(idNumber: "001190012345", purpose: "tiep-nhan-ho-so", official: "officer")
            // check
            let home = PopulationRecord.Address(provinceCode: "99", communeCode: "99001", detail: "Số 12 đường Lê Lợi, phường Sơn Hà, tỉnh Sơn Hà")
            #expect(
                hoa
                    == PopulationRecord(
                        idNumber: "001190012345", fullName: "Phạm Thị Hoa", birthDate: LocalDate(year: 1990, month: 5, day: 12)!, sex: .female,
                        nationality: "Việt Nam", ethnicity: "Kinh", permanentAddress: home, currentAddress: home, isHouseholdHead: true))

            // The number everyone already uses: digit 0 is a man born in the 1900s.
            let dat = try await client.lookUp(idNumber: "001090012345", purpose: "tiep-nhan-ho-so", official: "officer")
            #expect(dat.fullName == "Lê Văn Đạt" && dat.sex == .male && dat.birthDate.year == 1990)

            let mai = try await client.lookUp(idNumber: "038185000001", purpose: "tiep-nhan-ho-so", official: "officer")
            #expect(mai.permanentAddress.provinceCode == "38" && mai.currentAddress.provinceCode == "99" && !mai.isHouseholdHead)
        }
    }

    @Test func missingPurposeOrOfficialIsForbidden() async throws {
        try await PopulationFixture.run { _, client, _ in
            await #expect(throws: PopulationError.missingPurpose) {
                try await client.lookUp(idNumber: "001190012345", purpose: "", official: "officer")
            }
            await #expect(throws: PopulationError.missingPurpose) {
                try await client.lookUp(idNumber: "001190012345", purpose: "tiep-nhan-ho-so", official: "   ")
            }
        }
    }

    @Test func impossibleNumbersAreInvalid() async throws {
        try await PopulationFixture.run { _, client, url in
            // Century/sex digit 5 means born in the 2100s: the server refuses it.
            do {
                _ = try await client.lookUp(idNumber: "001590012345", purpose: "tiep-nhan-ho-so", official: "officer")
                Issue.record("expected invalidNumber")
            } catch PopulationError.invalidNumber(let message) {
                #expect(message.contains("century/sex digit 5"))
            }
            await #expect(throws: PopulationError.invalidNumber("province-of-birth code 000 does not exist")) {
                try await client.lookUp(idNumber: "000090012345", purpose: "tiep-nhan-ho-so", official: "officer")
            }
            // Not 12 digits: refused before any call, so no text reaches the URL path.
            for bad in ["12345", "00109001234A", "../../token1", "٠٠١٠٩٠٠١٢٣٤٥"] {
                await #expect(throws: PopulationError.invalidNumber("must be exactly 12 digits")) {
                    try await client.lookUp(idNumber: bad, purpose: "tiep-nhan-ho-so", official: "officer")
                }
            }
            #expect(try await PopulationFixture.log(url).map(\.idNumber) == ["001590012345", "000090012345"])
        }
    }

    @Test func unknownPersonIsNotFound() async throws {
        try await PopulationFixture.run(people: 0) { simulator, client, _ in
            #expect(simulator.citizen("096099999999") == nil)
            await #expect(throws: PopulationError.notFound) {
                try await client.lookUp(idNumber: "096099999999", purpose: "tiep-nhan-ho-so", official: "officer")
            }
        }
    }

    @Test func tokenIsCachedAndRefreshedOnceWhenExpired() async throws {
        try await PopulationFixture.run { simulator, client, _ in
            _ = try await client.lookUp(idNumber: "001190012345", purpose: "tiep-nhan-ho-so", official: "officer")
            _ = try await client.lookUp(idNumber: "001090012345", purpose: "tiep-nhan-ho-so", official: "officer")
            #expect(await simulator.tokensIssued() == 1)

            // The client still trusts its token (its own clock has not moved); the server answers
            // 401 and the client logs in again without the caller noticing.
            await simulator.advanceClock(by: 301)
            let again = try await client.lookUp(idNumber: "001190012345", purpose: "tiep-nhan-ho-so", official: "officer")
            #expect(again.fullName == "Phạm Thị Hoa")
            #expect(await simulator.tokensIssued() == 2)
            #expect(await simulator.lookups().map(\.status) == [200, 200, 200])
        }
    }

    @Test func concurrentLookUpsShareOneLogin() async throws {
        try await PopulationFixture.run { simulator, client, _ in
            try await withThrowingTaskGroup(of: PopulationRecord.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await client.lookUp(idNumber: "001190012345", purpose: "tiep-nhan-ho-so", official: "officer") }
                }
                for try await record in group { #expect(record.fullName == "Phạm Thị Hoa") }
            }
            #expect(await simulator.tokensIssued() == 1)
        }
    }

    @Test func wrongSecretIsUnauthorized() async throws {
        try await PopulationFixture.run(clientSecret: "guess") { _, client, _ in
            await #expect(throws: PopulationError.unauthorized("unknown client or wrong secret")) {
                try await client.lookUp(idNumber: "001190012345", purpose: "tiep-nhan-ho-so", official: "officer")
            }
        }
    }

    @Test func outageAndServerErrorsAreUnavailable() async throws {
        try await PopulationFixture.run { simulator, client, _ in
            try await simulator.setFaults(PopulationFaults(outageSeconds: 60))
            do {
                _ = try await client.lookUp(idNumber: "001190012345", purpose: "tiep-nhan-ho-so", official: "officer")
                Issue.record("expected unavailable")
            } catch PopulationError.unavailable(let retryAfter) {
                #expect(retryAfter.map { (1...60).contains($0) } == true)
            }

            try await simulator.setFaults(PopulationFaults(failRate: 1))
            await #expect(throws: PopulationError.unavailable(retryAfter: nil)) {
                try await client.lookUp(idNumber: "001190012345", purpose: "tiep-nhan-ho-so", official: "officer")
            }

            // Back to normal: the same client recovers.
            try await simulator.setFaults(.none)
            #expect(try await client.lookUp(idNumber: "001190012345", purpose: "tiep-nhan-ho-so", official: "officer").sex == .female)
        }
    }

    @Test func rateLimitGivesRetryAfter() async throws {
        try await PopulationFixture.run { _, client, url in
            _ = try await client.lookUp(idNumber: "001190012345", purpose: "tiep-nhan-ho-so", official: "officer")
            let (_, set) = try await PopulationFixture.call(url.appendingPathComponent("sim/faults"), method: "POST", json: #"{"rateLimitPerSecond": 1}"#)
            #expect(set.status == 200)

            // One call per second is admitted: ten calls sent together meet the limit, however slow
            // the machine (back-to-back calls could each take a second on a loaded one and slip past).
            let outcomes = await withTaskGroup(of: PopulationError?.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        do {
                            _ = try await client.lookUp(idNumber: "001190012345", purpose: "tiep-nhan-ho-so", official: "officer")
                            return nil
                        } catch let e as PopulationError { return e } catch { return .unavailable(retryAfter: nil) }
                    }
                }
                return await group.reduce(into: [PopulationError?]()) { $0.append($1) }
            }
            let refusal = outcomes.compactMap { $0 }.first { $0 == .unavailable(retryAfter: 1) }
            #expect(refusal == .unavailable(retryAfter: 1))
        }
    }

    @Test func answerSlowerThanTheTimeoutIsUnavailable() async throws {
        // The server holds the answer far past the client's timeout; how long the client waited is
        // not asserted (a loaded machine stretches it), only that it gives up as "unavailable".
        try await PopulationFixture.run(faults: PopulationFaults(latencyMs: 20_000), timeout: 2) { _, client, _ in
            await #expect(throws: PopulationError.unavailable(retryAfter: nil)) {
                try await client.lookUp(idNumber: "001190012345", purpose: "tiep-nhan-ho-so", official: "officer")
            }
        }
    }

    @Test func logRecordsWhoWhyAndWhichDossier() async throws {
        try await PopulationFixture.run { _, client, url in
            _ = try await client.lookUp(
                idNumber: "001190012345", purpose: "tiếp nhận hồ sơ", official: "motcua.000.20.01.h99", dossier: "000.20.01.H99-260315-0001")
            _ = try? await client.lookUp(idNumber: "001090012345", purpose: "", official: "motcua.000.20.01.h99")

            let log = try await PopulationFixture.log(url)
            #expect(log.count == 2)
            #expect(log[0].idNumber == "001190012345" && log[0].status == 200 && log[0].client == "motcua")
            // The Vietnamese purpose survives the trip through an ASCII header.
            #expect(log[0].purpose == "tiếp nhận hồ sơ")
            #expect(log[0].official == "motcua.000.20.01.h99")
            #expect(log[0].dossier == "000.20.01.H99-260315-0001")
            #expect(abs(log[0].at.timeIntervalSinceNow) < 60)
            #expect(log[1].idNumber == "001090012345" && log[1].status == 403 && log[1].purpose == nil && log[1].dossier == nil)
        }
    }

    @Test func addressOnOneLine() {
        let a = PopulationRecord.Address(provinceCode: "99", communeCode: "99007", detail: "Thôn Đông,\nxã Tân Lập")
        #expect(a.oneLine() == "Thôn Đông, xã Tân Lập")
        // Names already in the detail (spelled without diacritics or in another case) are not repeated.
        #expect(a.oneLine(communeName: "xa tan lap", provinceName: "tỉnh Sơn Hà") == "Thôn Đông, xã Tân Lập, tỉnh Sơn Hà")
        #expect(PopulationRecord.Address(provinceCode: "99", communeCode: "99007", detail: " ").oneLine() == "mã xã 99007, mã tỉnh 99")
    }

    @Test func retryAfterReadsSecondsAndDates() {
        let now = Date(timeIntervalSince1970: 1_784_000_000)
        #expect(PopulationClient.retryAfterSeconds("120", now: now) == 120)
        #expect(PopulationClient.retryAfterSeconds(nil, now: now) == nil)
        #expect(PopulationClient.retryAfterSeconds("soon", now: now) == nil)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        #expect(PopulationClient.retryAfterSeconds(f.string(from: now.addingTimeInterval(90)), now: now) == 90)
    }
}
