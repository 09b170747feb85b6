// SPDX-License-Identifier: Apache-2.0

/// Agency electronic identifier (Decision 20/2020/QĐ-TTg): at most 35 characters of
/// `0-9`, `A-Z` and `.`, in dot-separated groups, the level-1 group `[A-Y]\d\d`
/// printed on the right in practice (`000.00.06.H56`).
public enum AgencyCode {
    public static func isValid(_ code: String) -> Bool {
        guard !code.isEmpty, code.count <= 35 else { return false }
        guard code.allSatisfy({ $0.isASCII && ($0.isNumber || ($0.isUppercase && $0.isLetter) || $0 == ".") }) else { return false }
        let groups = code.split(separator: ".", omittingEmptySubsequences: false)
        guard groups.allSatisfy({ !$0.isEmpty }) else { return false }
        // The level-1 group may be written first or last; one of them must match.
        return groups.contains { isLevel1($0) }
    }

    static func isLevel1(_ g: Substring) -> Bool {
        let c = Array(g)
        guard c.count == 3, let m = c[0].asciiValue, m >= 65, m <= 89 else { return false }
        return c[1].isNumber && c[2].isNumber
    }
}

/// The dossier code `{agency code}-{yyMMdd}-{NNNN}` (Circular 03/2025).
public enum DossierCode {
    /// Formats a code from the receiving agency, the local reception date and the daily sequence.
    /// Past 9999 the sequence widens rather than wrapping: a duplicate is worse than a long code.
    public static func make(agency: String, date: LocalDate, sequence: Int) -> String {
        let yy = date.year % 100
        return "\(agency)-\(Digits.pad(yy, 2))\(Digits.pad(date.month, 2))\(Digits.pad(date.day, 2))-\(Digits.pad(sequence, 4))"
    }

    /// The day key used for the per-agency daily sequence.
    public static func dayKey(_ date: LocalDate) -> String { date.description }
}
