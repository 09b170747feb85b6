// SPDX-License-Identifier: Apache-2.0
import Domain

/// A synthetic population that looks Vietnamese and follows the CCCD structure (DOMAIN.md §9),
/// generated from a seed.
///
/// People come in households sharing one permanent address; the first member is the head (chủ
/// hộ). A number's first three digits are the old (63-province) code where the birth was
/// registered; the household lives in the 2025 province that absorbed it, so `MaTinh` always
/// agrees with the number's prefix. Commune codes and names are synthetic (the shape of Decision
/// 19/2025 codes, not its list).
///
/// The generator draws from its own SplitMix64 and never reads the clock, so the same seed gives
/// the same people on every machine and every day, and the first `n` people do not depend on how
/// many are asked for.
public enum SyntheticPopulation {
    /// Birth years are drawn before this year, not the current one, so a seed keeps its people over time.
    static let referenceYear = 2025

    /// Generates `count` people; numbers in `excluding` (the fixed people) are never produced.
    public static func generate(count: Int, seed: UInt64, excluding: Set<String> = []) -> [PopulationSimulator.Citizen] {
        var rng = PopulationRNG(seed: seed)
        var used = excluding
        var out: [PopulationSimulator.Citizen] = []
        out.reserveCapacity(max(count, 0))
        while out.count < count {
            for person in household(&rng, used: &used) where out.count < count {
                out.append(person)
            }
        }
        return out
    }

    /// The 2025 province (two-digit unit code) that absorbed an old province code (Resolution
    /// 202/2025/QH15), or nil for a code that never existed.
    public static func newProvinceCode(forOld old: Int) -> String? {
        oldToNew[old].map { Digits.pad($0, 2) }
    }

    /// The name of a 2025 province with its kind ("tỉnh Lào Cai", "thành phố Huế").
    public static func provinceName(_ code: String) -> String? {
        Int(code).flatMap { provinceNames[$0] }
    }

    // MARK: - Households

    static func household(_ rng: inout PopulationRNG, used: inout Set<String>) -> [PopulationSimulator.Citizen] {
        let old = rng.weighted(oldProvinceWeights)
        let province = oldToNew[old]!
        let permanent = address(&rng, province: province, oldProvince: old)
        // Most people live where they are registered; some moved to work elsewhere (often a big city).
        let current = rng.unit() < 0.85 ? permanent : address(&rng, province: rng.weighted(destinationWeights), oldProvince: nil)
        let ethnicity = ethnicity(&rng, oldProvince: old)
        let size = rng.weighted([(1, 15), (2, 20), (3, 25), (4, 25), (5, 15)])

        let headSex: PopulationSimulator.Citizen.Sex = rng.unit() < 0.7 ? .male : .female
        let headYear = referenceYear - 25 - rng.int(55)
        let headFamily = familyName(&rng)
        var members: [(family: String, sex: PopulationSimulator.Citizen.Sex, year: Int, head: Bool)] = [(headFamily, headSex, headYear, true)]
        var fatherFamily = headSex == .male ? headFamily : nil
        var motherYear = headSex == .female ? headYear : nil
        if size >= 2, rng.unit() < 0.8 {
            // Vietnamese wives keep their own family name.
            let spouseSex: PopulationSimulator.Citizen.Sex = headSex == .male ? .female : .male
            let spouseYear = min(referenceYear - 20, headYear + rng.int(13) - 6)
            let spouseFamily = familyName(&rng)
            members.append((spouseFamily, spouseSex, spouseYear, false))
            if spouseSex == .male { fatherFamily = spouseFamily } else { motherYear = spouseYear }
        }
        let parentYear = motherYear ?? headYear
        while members.count < size {
            // Children are born when the parent is 20–44, and before the reference year (a whole
            // year before, so no birthday can lie in the future whatever today's date).
            let year = min(referenceYear - 1, parentYear + 20 + rng.int(25))
            let sex: PopulationSimulator.Citizen.Sex = rng.unit() < 0.51 ? .male : .female
            members.append((fatherFamily ?? headFamily, sex, year, false))
        }
        return members.map { m in
            PopulationSimulator.Citizen(
                idNumber: idNumber(&rng, oldProvince: old, sex: m.sex, year: m.year, used: &used),
                fullName: fullName(&rng, family: m.family, sex: m.sex),
                birthDate: birthDate(&rng, year: m.year),
                sex: m.sex,
                ethnicity: ethnicity,
                permanentAddress: permanent,
                currentAddress: current,
                isHouseholdHead: m.head)
        }
    }

    /// `PPP G YY RRRRRR`: old province, century-and-sex digit, birth year, six random digits.
    static func idNumber(
        _ rng: inout PopulationRNG, oldProvince: Int, sex: PopulationSimulator.Citizen.Sex, year: Int, used: inout Set<String>
    ) -> String {
        let g = (year >= 2000 ? 2 : 0) + (sex == .female ? 1 : 0)
        let prefix = Digits.pad(oldProvince, 3) + String(g) + Digits.pad(year % 100, 2)
        while true {
            let n = prefix + Digits.pad(rng.int(1_000_000), 6)
            if used.insert(n).inserted { return n }
        }
    }

    static func birthDate(_ rng: inout PopulationRNG, year: Int) -> LocalDate {
        let month = 1 + rng.int(12)
        let day = 1 + rng.int(LocalDate.daysIn(month: month, year: year))
        return LocalDate(year: year, month: month, day: day)!
    }

    // MARK: - Names

    /// Approximate shares of the commonest family names.
    static let familyNames: [(String, Int)] = [
        ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 21), ("Phan", 45), ("Vũ", 20),
        ("Võ", 19), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13), ("Dương", 10), ("Lý", 5),
        ("Đinh", 6), ("Trương", 6), ("Mai", 4), ("Lâm", 4), ("Đoàn", 4), ("Trịnh", 4), ("Cao", 3), ("Lương", 3),
    ]
    static let maleMiddle: [(String, Int)] = [
        ("Văn", 40), ("Hữu", 8), ("Minh", 10), ("Đức", 10), ("Quang", 8), ("Công", 5), ("Thành", 5), ("Xuân", 4),
        ("Đình", 5), ("Anh", 3), ("Quốc", 5), ("Gia", 3),
    ]
    static let femaleMiddle: [(String, Int)] = [
        ("Thị", 50), ("Ngọc", 10), ("Thu", 6), ("Thanh", 6), ("Minh", 4), ("Phương", 4), ("Hồng", 5), ("Kim", 5),
        ("Bảo", 3), ("Mỹ", 3), ("Khánh", 2),
    ]
    static let maleGiven = [
        "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh", "Khoa", "Kiên", "Long", "Minh",
        "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn",
        "Việt", "Vinh", "Đông", "Hưng", "Lâm", "Lộc", "Phát", "Thịnh", "Trí", "Tùng", "Vũ",
    ]
    static let femaleGiven = [
        "Anh", "Ánh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Huyền", "Lan", "Linh",
        "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thủy", "Trang", "Tuyết",
        "Uyên", "Vân", "Yến", "Xuân", "Diệp", "Hồng", "Trâm", "Thư", "Vy",
    ]

    static func familyName(_ rng: inout PopulationRNG) -> String { rng.weighted(familyNames) }

    static func fullName(_ rng: inout PopulationRNG, family: String, sex: PopulationSimulator.Citizen.Sex) -> String {
        let middles = sex == .male ? maleMiddle : femaleMiddle
        let given = sex == .male ? maleGiven : femaleGiven
        var parts = [family, rng.weighted(middles)]
        // Four-part names ("Nguyễn Thị Ngọc Ánh") are common; "Văn" and "Thị" only come first.
        if rng.unit() < 0.2 {
            let second = rng.weighted(middles)
            if second != parts[1], second != "Văn", second != "Thị" { parts.append(second) }
        }
        var name = given[rng.int(given.count)]
        if parts.contains(name) { name = given[(given.firstIndex(of: name)! + 1) % given.count] }
        parts.append(name)
        return parts.joined(separator: " ")
    }

    // MARK: - Ethnicity

    static let northernUplands: Set<Int> = [2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 20]
    static let centralHighlands: Set<Int> = [62, 64, 66, 67, 68]
    static let khmerDelta: Set<Int> = [83, 84, 89, 91, 93, 94, 95]

    static func ethnicity(_ rng: inout PopulationRNG, oldProvince: Int) -> String {
        if northernUplands.contains(oldProvince) {
            return rng.weighted([("Kinh", 35), ("Tày", 15), ("Thái", 15), ("Mường", 10), ("Nùng", 8), ("H'Mông", 10), ("Dao", 7)])
        }
        if centralHighlands.contains(oldProvince) {
            return rng.weighted([("Kinh", 65), ("Gia Rai", 12), ("Ê Đê", 10), ("Ba Na", 8), ("Cơ Ho", 5)])
        }
        if khmerDelta.contains(oldProvince) {
            return rng.weighted([("Kinh", 85), ("Khmer", 13), ("Hoa", 2)])
        }
        return rng.weighted([("Kinh", 97), ("Hoa", 2), ("Mường", 1)])
    }

    // MARK: - Provinces and addresses

    /// Old province code (the CCCD prefix) → 2025 province code (Resolution 202/2025/QH15).
    static let oldToNew: [Int: Int] = [
        1: 1, 2: 8, 4: 4, 6: 19, 8: 8, 10: 15, 11: 11, 12: 12, 14: 14, 15: 15, 17: 25, 19: 19, 20: 20, 22: 22, 24: 24,
        25: 25, 26: 25, 27: 24, 30: 31, 31: 31, 33: 33, 34: 33, 35: 37, 36: 37, 37: 37, 38: 38, 40: 40, 42: 42, 44: 44,
        45: 44, 46: 46, 48: 48, 49: 48, 51: 51, 52: 52, 54: 66, 56: 56, 58: 56, 60: 68, 62: 51, 64: 52, 66: 66, 67: 68,
        68: 68, 70: 75, 72: 80, 74: 79, 75: 75, 77: 79, 79: 79, 80: 80, 82: 82, 83: 86, 84: 86, 86: 86, 87: 82, 89: 91,
        91: 91, 92: 92, 93: 92, 94: 92, 95: 96, 96: 96,
    ]

    /// The 34 provincial units from 1 July 2025 (DOMAIN.md §8).
    static let provinceNames: [Int: String] = [
        1: "thành phố Hà Nội", 4: "tỉnh Cao Bằng", 8: "tỉnh Tuyên Quang", 11: "tỉnh Điện Biên", 12: "tỉnh Lai Châu",
        14: "tỉnh Sơn La", 15: "tỉnh Lào Cai", 19: "tỉnh Thái Nguyên", 20: "tỉnh Lạng Sơn", 22: "tỉnh Quảng Ninh",
        24: "tỉnh Bắc Ninh", 25: "tỉnh Phú Thọ", 31: "thành phố Hải Phòng", 33: "tỉnh Hưng Yên", 37: "tỉnh Ninh Bình",
        38: "tỉnh Thanh Hóa", 40: "tỉnh Nghệ An", 42: "tỉnh Hà Tĩnh", 44: "tỉnh Quảng Trị", 46: "thành phố Huế",
        48: "thành phố Đà Nẵng", 51: "tỉnh Quảng Ngãi", 52: "tỉnh Gia Lai", 56: "tỉnh Khánh Hòa", 66: "tỉnh Đắk Lắk",
        68: "tỉnh Lâm Đồng", 75: "tỉnh Đồng Nai", 79: "Thành phố Hồ Chí Minh", 80: "tỉnh Tây Ninh", 82: "tỉnh Đồng Tháp",
        86: "tỉnh Vĩnh Long", 91: "tỉnh An Giang", 92: "thành phố Cần Thơ", 96: "tỉnh Cà Mau",
    ]

    /// Where births were registered: weighted roughly by population, big cities first.
    static let oldProvinceWeights: [(Int, Int)] = oldToNew.keys.sorted().map { code in
        switch code {
        case 1, 79: (code, 8)
        case 31, 38, 40, 74, 75: (code, 3)
        case 48, 92, 36, 34, 30, 26, 27, 24, 66, 89, 91: (code, 2)
        default: (code, 1)
        }
    }

    /// Where people who moved now live.
    static let destinationWeights: [(Int, Int)] = [(79, 40), (1, 30), (75, 8), (24, 7), (48, 6), (31, 5), (92, 4)]

    static let communeNames = [
        "Quang Trung", "Hòa Bình", "Tân Lập", "Đông Hòa", "An Phú", "Phú Lợi", "Thạch Bàn", "Yên Hòa", "Tân Định",
        "Bình Minh", "Hưng Thịnh", "Thành Công", "Ngọc Hà", "Phước Hải", "Vĩnh Ninh", "Xuân Phương", "Tân Phong",
        "Minh Khai", "Trung Hòa", "Kim Liên", "Đồng Tâm", "Nghĩa Đô", "Phú Thượng", "Hòa Khánh", "An Khánh", "Tân Mỹ",
        "Long Hưng", "Phú Mỹ", "Hòa Lợi", "Đông Sơn", "Yên Phú", "Thanh Sơn", "Hiệp Hòa", "Bình An", "Tân Hiệp", "Vĩnh Phú",
    ]
    static let streets = [
        "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt", "Quang Trung", "Nguyễn Trãi", "Trần Phú",
        "Lê Duẩn", "Hùng Vương", "Phan Đình Phùng", "Điện Biên Phủ", "Nguyễn Văn Cừ", "Võ Thị Sáu", "Bà Triệu", "Hoàng Diệu",
        "Lạc Long Quân", "Nguyễn Du", "Phạm Văn Đồng", "Tôn Đức Thắng", "Lê Thánh Tông", "Nguyễn Thị Minh Khai", "Chu Văn An",
        "Ngô Quyền", "Lê Hồng Phong", "Nguyễn Chí Thanh",
    ]
    static let hamletWords = ["Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tiền", "Hậu", "Phú", "An", "Tân"]

    struct Commune {
        let code: String
        let name: String
        let isWard: Bool
    }

    /// Twelve communes per province, fixed by the province code alone (not the seed), so every
    /// population shares one map. Codes are `PP` + three digits, like the demo province's 99001.
    static let communes: [Int: [Commune]] = {
        var out: [Int: [Commune]] = [:]
        for province in provinceNames.keys {
            var rng = PopulationRNG(seed: 0xC0FF_EE00 &+ UInt64(province))
            var names = communeNames
            rng.shuffle(&names)
            // Cities are mostly wards (phường); provinces mostly communes (xã).
            let wardShare = provinceNames[province]!.hasPrefix("tỉnh") ? 0.3 : 0.75
            out[province] = (0..<12).map { k in
                Commune(code: Digits.pad(province * 1000 + 1 + 3 * k, 5), name: names[k], isWard: rng.unit() < wardShare)
            }
        }
        return out
    }()

    static func address(_ rng: inout PopulationRNG, province: Int, oldProvince: Int?) -> PopulationSimulator.Citizen.Address {
        let list = communes[province]!
        let commune = list[rng.int(list.count)]
        let provinceName = provinceNames[province]!
        let detail: String
        if commune.isWard {
            let street = streets[rng.int(streets.count)]
            let number = 1 + rng.int(250)
            detail =
                rng.unit() < 0.3
                ? "Số \(number), ngõ \(2 + rng.int(120)) \(street), phường \(commune.name), \(provinceName)"
                : "Số \(number) đường \(street), phường \(commune.name), \(provinceName)"
        } else {
            // Villages are "ấp" in the south, "bản" in the north-west uplands, "thôn" elsewhere.
            let old = oldProvince ?? 0
            let village = old >= 70 ? "Ấp" : [11, 12, 14].contains(old) ? "Bản" : "Thôn"
            let word = hamletWords[rng.int(hamletWords.count)]
            let suffix = rng.unit() < 0.5 ? " \(1 + rng.int(9))" : ""
            detail = "\(village) \(word)\(suffix), xã \(commune.name), \(provinceName)"
        }
        return .init(provinceCode: Digits.pad(province, 2), communeCode: commune.code, detail: detail)
    }
}


/// SplitMix64, with draws written out here rather than taken from the standard library, whose
/// `random(in:using:)` algorithm may change between toolchains and would change every population.
struct PopulationRNG: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A draw in 0..<n (n > 0); the modulo bias is far below anything a simulator could notice.
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func weighted<T>(_ choices: [(T, Int)]) -> T {
        var r = int(choices.reduce(0) { $0 + $1.1 })
        for (value, weight) in choices {
            if r < weight { return value }
            r -= weight
        }
        return choices[choices.count - 1].0
    }

    mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, int(i + 1)) }
    }
}
