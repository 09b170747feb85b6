// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Services
import Testing

extension DVCQGTests {
    /// The client's pure parts: no server needed.
    @Suite("client parts")
    struct ClientParts {
        @Test("Retry-After is read as seconds or as an HTTP date")
        func retryAfter() {
            let now = Date(timeIntervalSince1970: 1_445_412_450)  // Wed, 21 Oct 2015 07:27:30 GMT
            #expect(DVCQGClient.parseRetryAfter("120", now: now) == 120)
            #expect(DVCQGClient.parseRetryAfter(" 5 ", now: now) == 5)
            #expect(DVCQGClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == 30)
            #expect(DVCQGClient.parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == 0, "a date in the past means now")
            #expect(DVCQGClient.parseRetryAfter("soon", now: now) == nil)
            #expect(DVCQGClient.parseRetryAfter("-3", now: now) == nil)
            #expect(DVCQGClient.parseRetryAfter("Wed, 31 Feb 2015 07:28:00 GMT", now: now) == nil)
        }

        @Test(
            "item messages are classified whatever their Unicode form or accents",
            arguments: [
                ("1", "Hồ sơ A đã tồn tại", DVCQGItemOutcome.alreadyExists),
                ("1", "Hồ sơ A đã tồn tại".decomposedStringWithCanonicalMapping, .alreadyExists),
                ("99", "Ho so A da ton tai trong he thong", .alreadyExists),
                ("1", "HỒ SƠ KHÔNG TỒN TẠI", .notFound),
                ("1", "Hồ sơ không tồn tại".decomposedStringWithCanonicalMapping, .notFound),
                ("2", "Thiếu trường bắt buộc MaTTHC", .invalid),
                ("0", "Thành công", .ok),
                ("00", "", .ok),
                ("7", "Lỗi không xác định", .rejected),
            ])
        func classification(code: String, message: String, expected: DVCQGItemOutcome) {
            #expect(DVCQGItemOutcome.classify(errorCode: code, message: message) == expected)
        }

        @Test("portal dates are yyyyMMddHHmmss in UTC+7, and impossible ones are refused")
        func dates() {
            let instant = Date(timeIntervalSince1970: 1_735_779_600)  // 2025-01-02T01:00:00Z
            #expect(DVCQGDate.string(instant) == "20250102080000")
            #expect(DVCQGDate.date("20250102080000") == instant)
            #expect(DVCQGDate.string(Date(timeIntervalSince1970: 1_735_750_800)) == "20250102000000", "17:00 UTC is the next day in Vietnam")
            #expect(DVCQGDate.date("20250431000000") == nil)
            #expect(DVCQGDate.date("2025010208000") == nil)
            #expect(DVCQGDate.date("2025-01-02 08:00") == nil)
            #expect(DVCQGDate.date("20240229120000") != nil)
        }

        @Test("records leave out the optional fields they do not have")
        func recordEncoding() throws {
            let minimal = try JSONValue(
                encoding: DongBoHoSoRecord(
                    MaHoSo: "A", MaTTHC: "1.001193", TenTTHC: "Khai sinh", MaLinhVuc: "HOTICH", KenhThucHien: 2, ChuHoSo: "B", LoaiDoiTuong: 1,
                    NgayTiepNhan: "20250102080000", NgayHenTra: "20250103080000", TrangThaiHoSo: 2, DonViXuLy: "UBND"))
            #expect(
                Set(minimal.objectValue!.keys) == [
                    "MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "KenhThucHien", "ChuHoSo", "LoaiDoiTuong", "NgayTiepNhan", "NgayHenTra",
                    "TrangThaiHoSo", "DonViXuLy",
                ])
            #expect(minimal["TrangThaiHoSo"] == .int(2))
            let row = try JSONValue(encoding: TienDoRecord(MaHoSo: "A", NguoiXuLy: "C", ThoiDiemXuLy: "20250102080000", NoiDungXuLy: "Tiếp nhận", TrangThai: 2))
            #expect(Set(row.objectValue!.keys) == ["MaHoSo", "NguoiXuLy", "ThoiDiemXuLy", "NoiDungXuLy", "TrangThai"])
        }

        @Test("which errors are worth retrying")
        func retryable() {
            #expect(DVCQGError.http(503, retryAfter: 30).isRetryable)
            #expect(DVCQGError.http(429, retryAfter: 1).retryAfter == 1)
            #expect(!DVCQGError.http(404, retryAfter: nil).isRetryable)
            #expect(DVCQGError.timeout.isRetryable)
            #expect(!DVCQGError.badCredentials.isRetryable)
            #expect(!DVCQGError.envelope(code: "1", message: "Vượt quá số bản ghi").isRetryable)
            #expect(DVCQGService.allCases.map(\.limit) == [50, 10, 50, 1, 1])
        }
    }
}
