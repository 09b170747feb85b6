// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import Domain

/// The 63 old province codes of the CCCD (Decree 137/2015, Circular 07/2016), written out here
/// independently of `PersonalID.provinceCodes`.
private let oldProvinceCodes: [String] = [
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024", "025",
    "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048",
    "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
    "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
]

@Suite("Personal ID (CCCD)")
struct PersonalIDTests {
    @Test(arguments: ["001090012345", "079203001234", "038185000001", "096099999999", "001326000000", "001000000000"])
    func validNumbers(_ id: String) {
        #expect(PersonalID.validate(id, currentYear: 2026) == nil)
    }

    @Test func wrongLengthOrNotDigits() {
        for bad in ["", "00109001234", "0010900123456", "00109001234A", "A01090012345", "001 90012345", "001-090-0123", "00109001234５", "٠٠١٠٩٠٠١٢٣٤٥"] {
            #expect(PersonalID.validate(bad, currentYear: 2026) == .notTwelveDigits, "\(bad)")
        }
    }

    @Test func unknownProvince() {
        #expect(PersonalID.validate("000090012345", currentYear: 2026) == .unknownProvince("000"))
        #expect(PersonalID.validate("003090012345", currentYear: 2026) == .unknownProvince("003"))
        #expect(PersonalID.validate("097090012345", currentYear: 2026) == .unknownProvince("097"))
        #expect(PersonalID.validate("100090012345", currentYear: 2026) == .unknownProvince("100"))
    }

    @Test func exactlyTheSixtyThreeOldProvinceCodes() {
        #expect(oldProvinceCodes.count == 63)
        #expect(Set(oldProvinceCodes).count == 63)
        var wrong: [String] = []
        for p in 0...999 {
            let code = String(format: "%03d", p)
            let ok = PersonalID.validate(code + "090012345", currentYear: 2026) == nil
            if ok != oldProvinceCodes.contains(code) { wrong.append(code) }
        }
        #expect(wrong.isEmpty, "accepted/rejected wrongly: \(wrong)")
    }

    @Test func centuryDigits() {
        for g in 0...3 {
            #expect(PersonalID.validate("001\(g)00012345", currentYear: 2026) == nil, "G=\(g)")
        }
        for g in 4...9 {
            let c = Character(String(g))
            #expect(PersonalID.validate("001\(g)00012345", currentYear: 2026) == .impossibleCenturyDigit(c), "G=\(g)")
        }
    }

    @Test func birthYearInTheFuture() {
        // G = 2/3: born in the 2000s.
        #expect(PersonalID.validate("001226012345", currentYear: 2026) == nil, "born this year")
        #expect(PersonalID.validate("001327012345", currentYear: 2026) == .birthYearInFuture(2027))
        #expect(PersonalID.validate("001299012345", currentYear: 2026) == .birthYearInFuture(2099))
        #expect(PersonalID.validate("001226012345", currentYear: 2025) == .birthYearInFuture(2026))
        // G = 0/1: the 1900s are never in the future.
        #expect(PersonalID.validate("001199012345", currentYear: 2026) == nil)
        #expect(PersonalID.validate("001000012345", currentYear: 2026) == nil)
    }

    @Test func messagesSayWhatIsWrong() {
        #expect(PersonalID.Problem.notTwelveDigits.message.contains("12"))
        #expect(PersonalID.Problem.unknownProvince("000").message.contains("000"))
        #expect(PersonalID.Problem.impossibleCenturyDigit("7").message.contains("7"))
        #expect(PersonalID.Problem.birthYearInFuture(2099).message.contains("2099"))
    }

    /// There is no check digit: any number with a real province, a possible century digit and a
    /// past birth year passes, whatever its six random digits (and whatever its last digit).
    @Test func thereIsNoCheckDigit() {
        var rng = SplitMix64(seed: 0x4D6F_7443_7561)
        var rejected: [String] = []
        for _ in 0..<5000 {
            let province = oldProvinceCodes.randomElement(using: &rng)!
            let g = Int.random(in: 0...3, using: &rng)
            let yy = g >= 2 ? Int.random(in: 0...26, using: &rng) : Int.random(in: 0...99, using: &rng)
            let random = Int.random(in: 0...999_999, using: &rng)
            let id = province + String(g) + String(format: "%02d%06d", yy, random)
            #expect(id.count == 12)
            if PersonalID.validate(id, currentYear: 2026) != nil { rejected.append(id) }
        }
        #expect(rejected.isEmpty, "\(rejected.prefix(10))")
        // Every last digit passes for the same prefix.
        for last in 0...9 {
            #expect(PersonalID.validate("07920300123\(last)", currentYear: 2026) == nil)
        }
    }

    @Test func masked() {
        #expect(PersonalID.masked("001090012345") == "••••••••2345")
        #expect(PersonalID.masked("001090012345").count == 12)
        #expect(!PersonalID.masked("079203001234").contains("0792030"))
        #expect(PersonalID.masked("12345") == "•2345")
        #expect(PersonalID.masked("1234") == "1234")
        #expect(PersonalID.masked("") == "")
    }
}

@Suite("Agency code and dossier code")
struct AgencyAndDossierCodeTests {
    @Test(arguments: ["000.00.06.H56", "000.00.00.H99", "000.00.00.H56", "000.00.01.H22", "H56", "H56.01.001", "A00", "Y99.ABC.12"])
    func validAgencyCodes(_ code: String) {
        #expect(AgencyCode.isValid(code))
    }

    @Test(arguments: [
        "", "000.00.06.h56", "000.00.06.H5", "000.00.06.H567", "000.00.06.Z56", "000.00.06.156", "000.00.06", "000..06.H56",
        ".000.00.06.H56", "000.00.06.H56.", "000.00.06-H56", "000.00.06 H56", "000.00.06.Ｈ56", "000.00.06.Đ56", "000.00.06.H5६",
    ])
    func invalidAgencyCodes(_ code: String) {
        #expect(!AgencyCode.isValid(code))
    }

    @Test func atMostThirtyFiveCharacters() {
        let base = "000.00.06.H56"
        let pad35 = base + "." + String(repeating: "0", count: 35 - base.count - 1)
        #expect(pad35.count == 35)
        #expect(AgencyCode.isValid(pad35))
        let pad36 = base + "." + String(repeating: "0", count: 36 - base.count - 1)
        #expect(pad36.count == 36)
        #expect(!AgencyCode.isValid(pad36))
    }

    @Test func dossierCodeFormat() {
        let d = Fx.day(2023, 10, 27)
        #expect(DossierCode.make(agency: "000.00.06.H56", date: d, sequence: 361) == "000.00.06.H56-231027-0361")
        #expect(DossierCode.make(agency: "000.00.06.H56", date: d, sequence: 1) == "000.00.06.H56-231027-0001")
        #expect(DossierCode.make(agency: "000.00.06.H56", date: d, sequence: 0) == "000.00.06.H56-231027-0000")
        #expect(DossierCode.make(agency: "000.00.06.H56", date: d, sequence: 9999) == "000.00.06.H56-231027-9999")
        #expect(DossierCode.make(agency: "000.00.06.H56", date: d, sequence: 10000) == "000.00.06.H56-231027-10000")
        #expect(DossierCode.make(agency: "000.00.06.H56", date: d, sequence: 123_456) == "000.00.06.H56-231027-123456")
        #expect(DossierCode.make(agency: "000.00.00.H56", date: Fx.day(2005, 1, 9), sequence: 42) == "000.00.00.H56-050109-0042")
        #expect(DossierCode.make(agency: "000.00.00.H56", date: Fx.day(2100, 12, 31), sequence: 7) == "000.00.00.H56-001231-0007")
        #expect(DossierCode.dayKey(Fx.day(2026, 2, 17)) == "2026-02-17")
    }

    @Test func dossierCodeShapeForManySequences() {
        for seq in stride(from: 0, through: 20_000, by: 7) {
            let code = DossierCode.make(agency: "000.00.06.H56", date: Fx.day(2026, 3, 4), sequence: seq)
            let parts = code.split(separator: "-")
            #expect(parts.count == 3)
            #expect(parts[0] == "000.00.06.H56")
            #expect(parts[1] == "260304")
            #expect(parts[2].count == max(4, String(seq).count))
            #expect(Int(parts[2]) == seq)
        }
    }
}

@Suite("Local dates, Vietnam time, formats")
struct LocalDateAndTimeTests {
    @Test func julianDayKnownValues() {
        #expect(Fx.day(2000, 1, 1).julianDay == 2_451_545)
        #expect(Fx.day(1970, 1, 1).julianDay == 2_440_588)
        #expect(Fx.day(1858, 11, 17).julianDay == 2_400_001)
        #expect(Fx.day(1582, 10, 15).julianDay == 2_299_161)
        #expect(Fx.day(2026, 2, 17).julianDay == 2_461_089)
        #expect(LocalDate(julianDay: 2_451_545) == Fx.day(2000, 1, 1))
    }

    @Test func julianDayRoundTrips() {
        var d = Fx.day(1899, 12, 25)
        var jd = d.julianDay
        while d.year < 2101 {
            #expect(LocalDate(julianDay: jd) == d)
            let next = d.adding(days: 1)
            #expect(next.julianDay == jd + 1)
            // The next date is the calendar successor.
            let expected: LocalDate =
                d.day < LocalDate.daysIn(month: d.month, year: d.year)
                ? Fx.day(d.year, d.month, d.day + 1)
                : (d.month < 12 ? Fx.day(d.year, d.month + 1, 1) : Fx.day(d.year + 1, 1, 1))
            if next != expected {
                Issue.record("after \(d): \(next), want \(expected)")
                break
            }
            d = next
            jd += 1
        }
    }

    @Test func isoWeekdays() {
        #expect(Fx.day(2000, 1, 1).isoWeekday == 6)
        #expect(Fx.day(1970, 1, 1).isoWeekday == 4)
        #expect(Fx.day(1945, 9, 2).isoWeekday == 7)
        #expect(Fx.day(2026, 2, 17).isoWeekday == 2)
        #expect(Fx.day(2024, 2, 29).isoWeekday == 4)
        #expect(Fx.day(2026, 3, 2).isoWeekday == 1)
        #expect(Fx.day(2026, 3, 7).isWeekend)
        #expect(Fx.day(2026, 3, 8).isWeekend)
        #expect(!Fx.day(2026, 3, 6).isWeekend)
    }

    @Test func invalidDatesAndParsing() {
        #expect(LocalDate(year: 2023, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2024, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 1900, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2000, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2026, month: 13, day: 1) == nil)
        #expect(LocalDate(year: 2026, month: 0, day: 1) == nil)
        #expect(LocalDate(year: 2026, month: 4, day: 31) == nil)
        #expect(LocalDate(year: 2026, month: 4, day: 0) == nil)
        #expect(LocalDate(iso: "2026-02-17") == Fx.day(2026, 2, 17))
        #expect(Fx.day(2026, 2, 7).description == "2026-02-07")
        for bad in ["2026-2-17", "26-02-17", "2026/02/17", "2026-02-30", "2026-02-17T00:00", "", "abcd-ef-gh"] {
            #expect(LocalDate(iso: bad) == nil, "\(bad)")
        }
    }

    @Test func localDateCodable() throws {
        let data = try JSONEncoder().encode([Fx.day(2026, 2, 17)])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2026-02-17\"]")
        #expect(try JSONDecoder().decode([LocalDate].self, from: data) == [Fx.day(2026, 2, 17)])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data("[\"2026-02-30\"]".utf8)) }
    }

    @Test func vietnamTimeAroundMidnight() {
        // 00:00 on 1/1/2026 in Vietnam is 17:00 UTC on 31/12/2025.
        let midnight = VietnamTime.instant(Fx.day(2026, 1, 1), minuteOfDay: 0)
        #expect(midnight.timeIntervalSince1970 == 1_767_200_400)
        #expect(VietnamTime.local(midnight) == (Fx.day(2026, 1, 1), 0))
        #expect(VietnamTime.local(midnight.addingTimeInterval(-1)) == (Fx.day(2025, 12, 31), 1439))
        #expect(VietnamTime.local(midnight.addingTimeInterval(-60)) == (Fx.day(2025, 12, 31), 1439))
        #expect(VietnamTime.local(midnight.addingTimeInterval(59)) == (Fx.day(2026, 1, 1), 0))
        // Midnight UTC is 07:00 in Vietnam, the same date.
        let utcMidnight = Date(timeIntervalSince1970: 1_767_225_600)
        #expect(VietnamTime.local(utcMidnight) == (Fx.day(2026, 1, 1), 7 * 60))
        #expect(VietnamTime.date(of: Date(timeIntervalSince1970: 1_767_225_600 - 3600)) == Fx.day(2026, 1, 1), "06:00 local")
        #expect(VietnamTime.date(of: Date(timeIntervalSince1970: 1_767_200_400 - 3600)) == Fx.day(2025, 12, 31), "23:00 local")
        // Before 1970 (negative timestamps) too.
        let old = VietnamTime.instant(Fx.day(1969, 12, 31), minuteOfDay: 23 * 60 + 59)
        #expect(old.timeIntervalSince1970 == -25_260)
        #expect(VietnamTime.local(old) == (Fx.day(1969, 12, 31), 23 * 60 + 59))
        #expect(VietnamTime.local(old.addingTimeInterval(-0.5)) == (Fx.day(1969, 12, 31), 23 * 60 + 58))
    }

    @Test func vietnamTimeRoundTrip() {
        for jd in stride(from: Fx.day(1960, 1, 1).julianDay, through: Fx.day(2060, 1, 1).julianDay, by: 97) {
            let d = LocalDate(julianDay: jd)
            for minute in [0, 1, 419, 420, 421, 719, 720, 1019, 1380, 1438, 1439] {
                let t = VietnamTime.instant(d, minuteOfDay: minute)
                let back = VietnamTime.local(t)
                #expect(back.date == d && back.minuteOfDay == minute, "\(d) \(minute)")
            }
        }
        #expect(VietnamTime.timeZone.secondsFromGMT() == 25_200)
    }

    @Test func sharedFormatIso() {
        #expect(SharedFormat.iso(Fx.at(2026, 2, 17, 9, 5)) == "2026-02-17T09:05:00+07:00")
        #expect(SharedFormat.iso(VietnamTime.instant(Fx.day(2026, 1, 1), minuteOfDay: 0)) == "2026-01-01T00:00:00+07:00")
        #expect(SharedFormat.iso(Fx.at(2026, 2, 17, 9, 5).addingTimeInterval(42)) == "2026-02-17T09:05:42+07:00")
        #expect(SharedFormat.iso(Date(timeIntervalSince1970: 0)) == "1970-01-01T07:00:00+07:00")
        #expect(SharedFormat.iso(Date(timeIntervalSince1970: -1)) == "1970-01-01T06:59:59+07:00")
    }

    @Test func parseWithOffset() {
        let t = Fx.at(2026, 2, 17, 9, 5)
        #expect(SharedFormat.parseWithOffset("2026-02-17T09:05:00+07:00") == t)
        #expect(SharedFormat.parseWithOffset("2026-02-17T02:05:00Z") == t)
        #expect(SharedFormat.parseWithOffset("2026-02-16T21:05:00-05:00") == t)
        #expect(SharedFormat.parseWithOffset("2026-02-17T02:05:00.500Z") == t.addingTimeInterval(0.5))
        #expect(SharedFormat.parseWithOffset(SharedFormat.iso(t)) == t, "round trip")
        #expect(SharedFormat.parseWithOffset("2024-02-29T23:59:59+07:00") == VietnamTime.instant(Fx.day(2024, 2, 29), minuteOfDay: 1439).addingTimeInterval(59))
        for bad in ["2026-02-17T09:05:00", "2026-02-17", "2026-02-17 09:05:00+07:00", "", "not a date",
            // Foundation's parser alone would roll these over instead of rejecting them.
            "2026-02-17T25:05:00+07:00", "2026-02-30T09:00:00+07:00", "2026-02-17T09:65:00+07:00", "2026-02-17T09:05:75+07:00",
            "2026-02-17T24:00:00+07:00", "2026-02-17T9:05:00+07:00", "2026-02-17T09:05:00.+07:00",
        ] {
            #expect(SharedFormat.parseWithOffset(bad) == nil, "\(bad)")
        }
    }

    @Test func textFolding() {
        #expect(TextFolding.fold("Đăng ký khai sinh") == "dang ky khai sinh")
        #expect(TextFolding.fold("ĐĂNG KÝ KHAI SINH") == "dang ky khai sinh")
        #expect(TextFolding.fold("Cấp Phiếu lý lịch tư pháp") == "cap phieu ly lich tu phap")
        #expect(TextFolding.fold("Giỗ Tổ Hùng Vương") == "gio to hung vuong")
        // Decomposed input (NFD) folds the same.
        #expect(TextFolding.fold("Đăng ký khai sinh".decomposedStringWithCanonicalMapping) == "dang ky khai sinh")
        #expect(TextFolding.fold("đường") == "duong")
    }

    @Test func clockTime() {
        #expect(ClockTime.minute(of: "15:00") == 900)
        #expect(ClockTime.minute(of: "7:30") == 450)
        #expect(ClockTime.minute(of: "00:00") == 0)
        #expect(ClockTime.minute(of: "23:59") == 1439)
        for bad in ["24:00", "12:60", "12", "12:5", "-1:00", "ab:cd", "", "12:00:00", "123:00"] {
            #expect(ClockTime.minute(of: bad) == nil, "\(bad)")
        }
        #expect(ClockTime.text(450) == "07:30")
        #expect(ClockTime.text(1020) == "17:00")
    }
}

@Suite("Search folding")
struct SearchFoldingTests {
    @Test func foldsVietnameseLikeFoundation() {
        let samples = [
            "Nguyễn Văn Đức", "ĐẶNG THỊ HƯƠNG", "Phường Hòa Bình, xã Tân Lập", "Giỗ Tổ Hùng Vương", "Ủy ban nhân dân", "Trần Thị Ngọc Ánh",
            "Đăng ký khai sinh có yếu tố nước ngoài", "Quyết định số 118/2025/NĐ-CP", "ỨNG DỤNG ĐỒNG BỘ ỔN ĐỊNH",
        ]
        for s in samples {
            let reference = s.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
                .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
            #expect(TextFolding.fold(s) == reference, "\(s)")
            // Decomposed input folds the same way.
            #expect(TextFolding.fold(s.decomposedStringWithCanonicalMapping) == reference, "\(s) (NFD)")
        }
    }

    @Test func searchTokensAreWords() {
        #expect(TextFolding.searchTokens("000.20.03.H99-261123-0001") == ["000", "20", "03", "h99", "261123", "0001"])
        #expect(TextFolding.searchTokens("  Nguyễn   Văn Đức, 0912-345-678 ") == ["nguyen", "van", "duc", "0912", "345", "678"])
        #expect(TextFolding.searchTokens("—").isEmpty)
    }
}
