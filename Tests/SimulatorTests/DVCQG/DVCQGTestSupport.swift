// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Services
import Simulators
import Testing

import Network

/// The root of the DVCQG simulator and client tests; its static helpers are in scope in every
/// nested suite (one per file), and cannot collide with other suites' helpers in this test target.
@Suite("DVCQG simulator and client")
struct DVCQGTests {
    /// The unit every test sends for unless it says otherwise.
    static let testUnit = "000.00.00.H99"

    /// Runs `body` against a simulator started in-process on a free port, with a client pointed at it,
    /// and stops the simulator afterwards whatever happens.
    static func withPortal<T>(
        _ configuration: DVCQGSimulator.Configuration = .init(), timeout: TimeInterval = 60, unit: String = testUnit,
        _ body: (DVCQGSimulator, DVCQGClient) async throws -> T
    ) async throws -> T {
        let sim = DVCQGSimulator(configuration)
        let url = try await sim.start()
        let client = DVCQGClient(
            DVCQGConfig(baseURL: url, username: configuration.username, password: configuration.password, madonvi: unit, timeout: timeout))
        do {
            let result = try await body(sim, client)
            await sim.stop()
            return result
        } catch {
            await sim.stop()
            throw error
        }
    }

    /// A valid dossier record with only the required fields.
    static func dossier(_ code: String, status: Int = 2, received: String = "20250102080000") -> DongBoHoSoRecord {
        DongBoHoSoRecord(
            MaHoSo: code, MaTTHC: "1.001193", TenTTHC: "Thủ tục đăng ký khai sinh", MaLinhVuc: "HOTICH", KenhThucHien: 1,
            ChuHoSo: "Nguyễn Thị Bích", LoaiDoiTuong: 1, NgayTiepNhan: received, NgayHenTra: "20250103170000", TrangThaiHoSo: status,
            DonViXuLy: "UBND xã Hòa Bình")
    }

    /// A valid progress row.
    static func step(_ code: String, status: Int = 4, at time: String = "20250102093000", note: String = "Chuyển xử lý") -> TienDoRecord {
        TienDoRecord(MaHoSo: code, NguoiXuLy: "Trần Văn Cường", ChucDanh: "Công chức tư pháp", ThoiDiemXuLy: time, NoiDungXuLy: note, TrangThai: status)
    }

    /// The error a call threw, if it was a ``DVCQGError``.
    static func dvcqgError(_ work: () async throws -> Void) async -> DVCQGError? {
        do {
            try await work()
            return nil
        } catch let e as DVCQGError {
            return e
        } catch {
            return nil
        }
    }

    /// Polls `condition` until it holds or `limit` passes: waits on a real condition, never on a guess
    /// of how long something takes.
    static func eventually(within limit: Duration = .seconds(60), _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }

    /// A raw request to the simulator's admin endpoints *(sim)*.
    static func admin(_ base: URL, _ method: String, _ path: String, json: String? = nil) async throws -> (status: Int, body: Data) {
        var r = HTTPCall(url: base.appendingPathComponent(path), method: method, timeout: 60)
        if let json {
            r.body = Data(json.utf8)
            r.setHeader("Content-Type", "application/json")
        }
        let answer = try await r.send()
        return (answer.status, answer.body)
    }
}
