// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Text folding for search: lower case, diacritics removed, đ → d (Unicode does not decompose đ).
///
/// Foundation's folding costs microseconds per character on Linux and search text is folded on
/// every intake, so Latin letters go through a table built once (from Foundation's own folding,
/// so the results are the same), combining marks are dropped, and anything else is lower-cased.
public enum TextFolding {
    /// Folded ASCII for every precomposed Latin letter (Latin-1, Extended-A/B, Extended Additional,
    /// which holds the Vietnamese letters with two marks).
    static let table: [UInt32: Unicode.Scalar] = {
        var t: [UInt32: Unicode.Scalar] = [0x0111: "d", 0x0110: "d"]
        let ranges: [ClosedRange<UInt32>] = [0xC0...0x24F, 0x1E00...0x1EFF]
        for r in ranges {
            for v in r {
                guard let scalar = Unicode.Scalar(v), t[v] == nil else { continue }
                let folded = String(scalar).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
                    .lowercased()
                let scalars = Array(folded.unicodeScalars)
                if scalars.count == 1, scalars[0].isASCII { t[v] = scalars[0] }
            }
        }
        return t
    }()

    public static func fold(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            let v = u.value
            if v < 0x80 {
                out.append(v >= 65 && v <= 90 ? Unicode.Scalar(v + 32)! : u)
            } else if let f = table[v] {
                out.append(f)
            } else if (0x300...0x36F).contains(v) {
                continue  // a combining mark of decomposed input
            } else {
                out.append(contentsOf: String(u).lowercased().unicodeScalars)
            }
        }
        return String(out)
    }

    /// Folded words for the search index: letters and digits only, so both SQLite FTS5 and
    /// PostgreSQL's parser see the same plain words ("000.20.03.H99-261123-0001" → 000 20 03 h99 261123 0001).
    public static func searchTokens(_ s: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for u in fold(s).unicodeScalars {
            let v = u.value
            let word = (v >= 97 && v <= 122) || (v >= 48 && v <= 57) || (v >= 0x80 && (u.properties.isAlphabetic || u.properties.numericType != nil))
            if word {
                current.append(u)
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }
}
