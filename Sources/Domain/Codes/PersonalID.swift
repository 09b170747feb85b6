// SPDX-License-Identifier: Apache-2.0

/// The 12-digit personal identification number (CCCD). Layout `PPP G YY RRRRRR`:
/// province of birth registration, century-and-sex digit, birth year, random.
/// There is no check digit (validators that invent one reject real numbers).
public enum PersonalID {
    public enum Problem: Equatable, Sendable {
        case notTwelveDigits
        case unknownProvince(String)
        case impossibleCenturyDigit(Character)
        case birthYearInFuture(Int)

        public var message: String {
            switch self {
            case .notTwelveDigits: "must be exactly 12 digits"
            case .unknownProvince(let p): "province-of-birth code \(p) does not exist"
            case .impossibleCenturyDigit(let g): "century/sex digit \(g) is impossible for a living person"
            case .birthYearInFuture(let y): "birth year \(y) is in the future"
            }
        }
    }

    /// Old 63-province codes used in the first three digits (Decree 137/2015, Circular 07/2016).
    static let provinceCodes: Set<Int> = [
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45,
        46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91,
        92, 93, 94, 95, 96,
    ]

    /// Checks a number; `currentYear` bounds the birth year (pass the Vietnam-time year of now).
    public static func validate(_ s: String, currentYear: Int) -> Problem? {
        let digits = Array(s.utf8)
        guard digits.count == 12, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return .notTwelveDigits }
        let d = digits.map { Int($0) - 48 }
        let province = d[0] * 100 + d[1] * 10 + d[2]
        guard provinceCodes.contains(province) else { return .unknownProvince(String(s.prefix(3))) }
        let g = d[3]
        // 0/1 = 1900s, 2/3 = 2000s; 4–9 are the 2100s–2300s, impossible for anyone alive now.
        let century: Int
        switch g {
        case 0, 1: century = 1900
        case 2, 3: century = 2000
        default: return .impossibleCenturyDigit(Character(String(g)))
        }
        let year = century + d[4] * 10 + d[5]
        if year > currentYear { return .birthYearInFuture(year) }
        return nil
    }

    /// Shows only the last four digits (for people who need to recognise, not to know).
    public static func masked(_ s: String) -> String {
        guard s.count > 4 else { return s }
        return String(repeating: "•", count: s.count - 4) + s.suffix(4)
    }
}
