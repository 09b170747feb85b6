// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A date of the Vietnamese lunisolar calendar (âm lịch).
public struct LunarDate: Hashable, Sendable, CustomStringConvertible {
    /// The lunar year: the Gregorian year in which its month 1 (Tết) begins.
    public let year: Int
    /// The month number, 1...12; a leap month repeats the number of the month before it.
    public let month: Int
    /// The day of the month, 1...30.
    public let day: Int
    /// True for the intercalary (nhuận) month.
    public let isLeapMonth: Bool

    /// Creates a lunar date; it is not validated (see `LunarCalendar.solarDate(of:)`).
    public init(year: Int, month: Int, day: Int, isLeapMonth: Bool = false) {
        self.year = year
        self.month = month
        self.day = day
        self.isLeapMonth = isLeapMonth
    }

    /// `d/m/yyyy`, with "nhuận" after the month of a leap month (e.g. "1/6 nhuận/2025").
    public var description: String {
        "\(day)/\(month)\(isLeapMonth ? " nhuận" : "")/\(year)"
    }
}

/// The Vietnamese lunisolar calendar, computed astronomically for UTC+7.
///
/// Rules (the ones in force in Vietnam since the 1967 calendar reform, applied to every year):
/// - a month begins on the local (UTC+7) day that contains the astronomical new moon;
/// - month 11 is the month that contains the December solstice;
/// - when 13 months begin between two such month-11 starts, the first of them (after month 11)
///   that contains no major solar term (trung khí, a multiple of 30° of the Sun's apparent
///   longitude) is the leap month and repeats the number of the month before it.
///
/// New moons come from Meeus, *Astronomical Algorithms* (2nd ed.) ch. 49; the Sun's apparent
/// longitude from the abridged VSOP87 series of Meeus ch. 25 / appendix III, with nutation
/// (ch. 22) and aberration. Instants are converted from dynamical time with the
/// Espenak–Meeus ΔT polynomials. Everything is pure arithmetic on constants, with no state, so
/// the type is trivially safe to use from any thread.
///
/// Checked for 1900–2100: every month start and leap month equals an independent computation
/// on the JPL DE421 ephemeris (one new moon 4 s from midnight is corrected, see
/// `midnightCorrections`), and Tết and Hùng Kings' day equal the python `holidays` library.
/// It keeps working further out, with growing ΔT uncertainty.
public enum LunarCalendar {
    /// The lunar date of a Gregorian date.
    public static func lunarDate(of date: LocalDate) -> LunarDate {
        let jd = date.julianDay
        var span = LunarYearSpan(endingIn: date.year)
        if jd >= span.end { span = LunarYearSpan(endingIn: date.year + 1) }
        // The span starts with month 11 of the previous Gregorian year, always before `date`.
        var i = 0
        while span.starts[i + 1] <= jd { i += 1 }
        let label = span.label(at: i)
        return LunarDate(year: label.year, month: label.month, day: jd - span.starts[i] + 1, isLeapMonth: label.isLeap)
    }

    /// The Gregorian date of a lunar date, or nil when it does not exist
    /// (a leap flag on a month that is not leap that year, or day 30 of a 29-day month).
    public static func solarDate(of lunar: LunarDate) -> LocalDate? {
        guard (1...12).contains(lunar.month), (1...30).contains(lunar.day) else { return nil }
        // Months 11 and 12 of lunar year Y lie in the span that ends with month 11 of Y+1.
        let span = LunarYearSpan(endingIn: lunar.month >= 11 ? lunar.year + 1 : lunar.year)
        for i in 0..<span.monthCount {
            let label = span.label(at: i)
            guard label.year == lunar.year, label.month == lunar.month, label.isLeap == lunar.isLeapMonth else { continue }
            guard lunar.day <= span.starts[i + 1] - span.starts[i] else { return nil }
            return LocalDate(julianDay: span.starts[i] + lunar.day - 1)
        }
        return nil
    }

    /// Tết Nguyên Đán: the Gregorian date of day 1 of month 1 of `lunarYear`.
    public static func newYear(_ lunarYear: Int) -> LocalDate {
        let span = LunarYearSpan(endingIn: lunarYear)
        // Month 1 is the third month of the span, or the fourth after a leap 11 or leap 12.
        let index = (span.leapIndex == 1 || span.leapIndex == 2) ? 3 : 2
        return LocalDate(julianDay: span.starts[index])
    }

    /// The leap month of a lunar year (e.g. 6 for 2025), or nil in a 12-month year.
    public static func leapMonth(ofYear lunarYear: Int) -> Int? {
        // A leap month of lunar year Y is either in the span ending with month 11 of Y (months 1–10)
        // or, as a leap 11 or leap 12, at the start of the next span.
        for span in [LunarYearSpan(endingIn: lunarYear), LunarYearSpan(endingIn: lunarYear + 1)] {
            if let leap = span.leapIndex {
                let label = span.label(at: leap)
                if label.year == lunarYear { return label.month }
            }
        }
        return nil
    }

    /// The number of days (29 or 30) in a lunar month, or nil when the month does not exist.
    public static func monthLength(year: Int, month: Int, isLeapMonth: Bool = false) -> Int? {
        guard let first = solarDate(of: LunarDate(year: year, month: month, day: 1, isLeapMonth: isLeapMonth)) else { return nil }
        let next = lunarDate(of: first.adding(days: 29))
        return next.day == 1 ? 29 : 30
    }
}

// MARK: - Year structure

/// The months from month 11 of Gregorian year `y - 1` up to (not including) month 11 of year `y`:
/// 12 or 13 lunar months, which is the unit the leap-month rule is stated on.
struct LunarYearSpan {
    /// The lunar year of the months numbered 1...10 in this span.
    let year: Int
    /// Julian day numbers of the first day of each month, plus the start of the next month 11.
    let starts: [Int]
    /// The position of the leap month, if this span has 13 months.
    let leapIndex: Int?

    var monthCount: Int { starts.count - 1 }
    var end: Int { starts[starts.count - 1] }

    init(endingIn y: Int) {
        let first = LunarAstronomy.month11Lunation(year: y - 1)
        let last = LunarAstronomy.month11Lunation(year: y)
        let starts = (first...last).map(LunarAstronomy.newMoonDay)
        var leap: Int? = nil
        if starts.count == 14 {
            // The leap month is the first one whose start and end fall in the same 30° sector:
            // no major solar term begins inside it. Month 11 itself always holds the solstice.
            let sectors = starts.map(LunarAstronomy.sectorAtStart)
            leap = (1..<13).first { sectors[$0] == sectors[$0 + 1] }
        }
        self.year = y
        self.starts = starts
        self.leapIndex = leap
    }

    /// Lunar year, month number and leap flag of the month at `index`.
    func label(at index: Int) -> (year: Int, month: Int, isLeap: Bool) {
        let isLeap = index == leapIndex
        // Counting from month 11 at index 0; months after the leap month are shifted back by one.
        let ordinal = (leapIndex.map { index >= $0 } ?? false) ? index - 1 : index
        let month = (10 + ordinal) % 12 + 1
        return (month >= 11 ? year - 1 : year, month, isLeap)
    }
}

// MARK: - Astronomy

/// The astronomical pieces the calendar needs, in Julian days.
enum LunarAstronomy {
    static let degrees = Double.pi / 180
    /// Vietnam's civil time zone, as a fraction of a day.
    static let zone = 7.0 / 24.0

    /// ΔT = TT − UT in seconds, after the Espenak & Meeus polynomials (NASA Five Millennium Canon).
    static func deltaT(year y: Double) -> Double {
        switch y {
        case ..<1800:
            let u = (y - 1820) / 100
            return -20 + 32 * u * u
        case ..<1860:
            let t = y - 1800
            return 13.72 - 0.332447 * t + 0.0068612 * t * t + 0.0041116 * pow(t, 3) - 0.00037436 * pow(t, 4)
                + 0.0000121272 * pow(t, 5) - 0.0000001699 * pow(t, 6) + 0.000000000875 * pow(t, 7)
        case ..<1900:
            let t = y - 1860
            return 7.62 + 0.5737 * t - 0.251754 * t * t + 0.01680668 * pow(t, 3) - 0.0004473624 * pow(t, 4) + pow(t, 5) / 233174
        case ..<1920:
            let t = y - 1900
            return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * pow(t, 3) - 0.000197 * pow(t, 4)
        case ..<1941:
            let t = y - 1920
            return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * pow(t, 3)
        case ..<1961:
            let t = y - 1950
            return 29.07 + 0.407 * t - t * t / 233 + pow(t, 3) / 2547
        case ..<1986:
            let t = y - 1975
            return 45.45 + 1.067 * t - t * t / 260 - pow(t, 3) / 718
        case ..<2005:
            let t = y - 2000
            return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * pow(t, 3) + 0.000651814 * pow(t, 4) + 0.00002373599 * pow(t, 5)
        case ..<2050:
            let t = y - 2000
            return 62.92 + 0.32217 * t + 0.005589 * t * t
        case ..<2150:
            let u = (y - 1820) / 100
            return -20 + 32 * u * u - 0.5628 * (2150 - y)
        default:
            let u = (y - 1820) / 100
            return -20 + 32 * u * u
        }
    }

    /// ΔT in days at a Julian date.
    static func deltaTDays(jd: Double) -> Double {
        deltaT(year: 2000 + (jd - 2451545) / 365.25) / 86400
    }

    /// The instant (JDE, dynamical time) of the true new moon of lunation `k`
    /// (k = 0 is the new moon of 6 January 2000). Meeus ch. 49; error of the order of seconds.
    static func newMoonJDE(_ k: Int) -> Double {
        let k = Double(k)
        let t = k / 1236.85
        let t2 = t * t, t3 = t2 * t, t4 = t3 * t
        var jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t2 - 0.000000150 * t3 + 0.00000000073 * t4
        let e = 1 - 0.002516 * t - 0.0000074 * t2
        let m = (2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3) * degrees
        let mp = (201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4) * degrees
        let f = (160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4) * degrees
        let om = (124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3) * degrees

        var c = -0.40720 * sin(mp)
        c += 0.17241 * e * sin(m)
        c += 0.01608 * sin(2 * mp)
        c += 0.01039 * sin(2 * f)
        c += 0.00739 * e * sin(mp - m)
        c -= 0.00514 * e * sin(mp + m)
        c += 0.00208 * e * e * sin(2 * m)
        c -= 0.00111 * sin(mp - 2 * f)
        c -= 0.00057 * sin(mp + 2 * f)
        c += 0.00056 * e * sin(2 * mp + m)
        c -= 0.00042 * sin(3 * mp)
        c += 0.00042 * e * sin(m + 2 * f)
        c += 0.00038 * e * sin(m - 2 * f)
        c -= 0.00024 * e * sin(2 * mp - m)
        c -= 0.00017 * sin(om)
        c -= 0.00007 * sin(mp + 2 * m)
        c += 0.00004 * sin(2 * mp - 2 * f)
        c += 0.00004 * sin(3 * m)
        c += 0.00003 * sin(mp + m - 2 * f)
        c += 0.00003 * sin(2 * mp + 2 * f)
        c -= 0.00003 * sin(mp + m + 2 * f)
        c += 0.00003 * sin(mp - m + 2 * f)
        c -= 0.00002 * sin(mp - m - 2 * f)
        c -= 0.00002 * sin(3 * mp + m)
        c += 0.00002 * sin(4 * mp)
        jde += c

        // Planetary arguments (Meeus table 49.B): amplitude, constant, rate per lunation.
        let a1 = (299.77 + 0.107408 * k - 0.009173 * t2) * degrees
        var p = 0.000325 * sin(a1)
        for (amp, a0, rate) in planetaryTerms {
            p += amp * sin((a0 + rate * k) * degrees)
        }
        return jde + p
    }

    static let planetaryTerms: [(Double, Double, Double)] = [
        (0.000165, 251.88, 0.016321), (0.000164, 251.83, 26.651886), (0.000126, 349.42, 36.412478),
        (0.000110, 84.66, 18.206239), (0.000062, 141.74, 53.303771), (0.000060, 207.14, 2.453732),
        (0.000056, 154.84, 7.306860), (0.000047, 34.52, 27.261239), (0.000042, 207.19, 0.121824),
        (0.000040, 291.34, 1.844379), (0.000037, 161.72, 24.198154), (0.000035, 239.56, 25.513099),
        (0.000023, 331.55, 3.592518),
    ]

    /// The Julian day number of the UTC+7 civil day on which lunation `k` begins.
    static func newMoonDay(_ k: Int) -> Int {
        let jde = newMoonJDE(k)
        let ut = jde - deltaTDays(jd: jde)
        // Julian dates start at noon; +0.5 turns them into civil days, +zone into local time.
        return Int((ut + 0.5 + zone).rounded(.down)) + (midnightCorrections[k] ?? 0)
    }

    /// New moons that the Meeus series puts on the wrong side of local midnight. Every lunation
    /// 1900–2100 was checked against the JPL DE421 ephemeris (and PyEphem); this is the only one
    /// where the day differs: DE421 has 1967-07-08 00:00:04 UTC+7, Meeus 1967-07-07 23:59:58.
    /// (1967 still used UTC+8 officially, which also gives 8 July.) Lunation → days to add.
    static let midnightCorrections: [Int: Int] = [-402: 1]

    /// The Sun's apparent geocentric longitude in degrees [0, 360) at a JDE (dynamical time).
    /// Abridged VSOP87 (Meeus appendix III) gives about 1″, i.e. ~30 s of time — far below the
    /// one-day resolution of the calendar except for terms that fall within a minute of midnight.
    static func sunLongitude(jde: Double) -> Double {
        let tau = (jde - 2451545) / 365250
        var l = 0.0
        var power = 1.0
        for series in vsop87EarthL {
            var s = 0.0
            for (a, b, c) in series { s += a * cos(b + c * tau) }
            l += s * power
            power *= tau
        }
        // Heliocentric Earth longitude (radians × 1e8) → geocentric Sun longitude (degrees).
        var lambda = l / 1e8 / degrees + 180
        let t = tau * 10
        let omega = (125.04452 - 1934.136261 * t) * degrees
        let lSun = (280.4665 + 36000.7698 * t) * degrees
        let lMoon = (218.3165 + 481267.8813 * t) * degrees
        // Nutation in longitude (Meeus ch. 22, 0.5″ version), in arcseconds.
        let dPsi = -17.20 * sin(omega) - 1.32 * sin(2 * lSun) - 0.23 * sin(2 * lMoon) + 0.21 * sin(2 * omega)
        // Earth–Sun distance in AU for the aberration term (Astronomical Almanac, low precision).
        let m = (357.52911 + 35999.05029 * t) * degrees
        let r = 1.000140 - 0.016708 * cos(m) - 0.000141 * cos(2 * m)
        // FK5 correction, nutation, aberration.
        lambda += (-0.09033 + dPsi - 20.4898 / r) / 3600
        lambda = lambda.truncatingRemainder(dividingBy: 360)
        return lambda < 0 ? lambda + 360 : lambda
    }

    /// The Sun's apparent longitude at the start (00:00 UTC+7) of a civil day.
    static func sunLongitude(atStartOf day: Int) -> Double {
        let ut = Double(day) - 0.5 - zone
        return sunLongitude(jde: ut + deltaTDays(jd: ut))
    }

    /// The 30° sector (0...11) the Sun is in at the start of a civil day; a major solar term
    /// falls inside a month exactly when the sectors at its first day and at the next month's
    /// first day differ.
    static func sectorAtStart(_ day: Int) -> Int {
        Int(sunLongitude(atStartOf: day) / 30) % 12
    }

    /// The lunation whose month is month 11 of Gregorian year `y` (the month holding the
    /// December solstice).
    static func month11Lunation(year y: Int) -> Int {
        let dec1 = LocalDate(year: y, month: 12, day: 1)!.julianDay
        // A lunation that begins in November, a little before the month we want.
        var k = Int(((Double(dec1) - 2451550.09766) / 29.530588861).rounded(.down)) - 1
        var start = newMoonDay(k)
        var longitude = sunLongitude(atStartOf: start)
        // Step forward until the next month starts at or past 270°: then month k holds the solstice.
        // Longitudes here stay between about 210° and 330°, far from the 0°/360° wrap.
        while true {
            let nextStart = newMoonDay(k + 1)
            let nextLongitude = sunLongitude(atStartOf: nextStart)
            if longitude < 270 && nextLongitude >= 270 { return k }
            k += 1
            start = nextStart
            longitude = nextLongitude
        }
    }

    /// Abridged VSOP87 Earth heliocentric longitude series L0...L5 (Meeus, appendix III):
    /// terms A cos(B + C τ), τ in Julian millennia from J2000, result in 1e-8 radians.
    static let vsop87EarthL: [[(Double, Double, Double)]] = [
        [
            (175347046, 0, 0), (3341656, 4.6692568, 6283.0758500), (34894, 4.62610, 12566.15170),
            (3497, 2.7441, 5753.3849), (3418, 2.8289, 3.5231), (3136, 3.6277, 77713.7715),
            (2676, 4.4181, 7860.4194), (2343, 6.1352, 3930.2097), (1324, 0.7425, 11506.7698),
            (1273, 2.0371, 529.6910), (1199, 1.1096, 1577.3435), (990, 5.233, 5884.927),
            (902, 2.045, 26.298), (857, 3.508, 398.149), (780, 1.179, 5223.694),
            (753, 2.533, 5507.553), (505, 4.583, 18849.228), (492, 4.205, 775.523),
            (357, 2.920, 0.067), (317, 5.849, 11790.629), (284, 1.899, 796.298),
            (271, 0.315, 10977.079), (243, 0.345, 5486.778), (206, 4.806, 2544.314),
            (205, 1.869, 5573.143), (202, 2.458, 6069.777), (156, 0.833, 213.299),
            (132, 3.411, 2942.463), (126, 1.083, 20.775), (115, 0.645, 0.980),
            (103, 0.636, 4694.003), (102, 0.976, 15720.839), (102, 4.267, 7.114),
            (99, 6.21, 2146.17), (98, 0.68, 155.42), (86, 5.98, 161000.69),
            (85, 1.30, 6275.96), (85, 3.67, 71430.70), (80, 1.81, 17260.15),
            (79, 3.04, 12036.46), (75, 1.76, 5088.63), (74, 3.50, 3154.69),
            (74, 4.68, 801.82), (70, 0.83, 9437.76), (62, 3.98, 8827.39),
            (61, 1.82, 7084.90), (57, 2.78, 6286.60), (56, 4.39, 14143.50),
            (56, 3.47, 6279.55), (52, 0.19, 12139.55), (52, 1.33, 1748.02),
            (51, 0.28, 5856.48), (49, 0.49, 1194.45), (41, 5.37, 8429.24),
            (41, 2.40, 19651.05), (39, 6.17, 10447.39), (37, 6.04, 10213.29),
            (37, 2.57, 1059.38), (36, 1.71, 2352.87), (36, 1.78, 6812.77),
            (33, 0.59, 17789.85), (30, 0.44, 83996.85), (30, 2.74, 1349.87),
            (25, 3.16, 4690.48),
        ],
        [
            (628331966747, 0, 0), (206059, 2.678235, 6283.07585), (4303, 2.6351, 12566.1517),
            (425, 1.590, 3.523), (119, 5.796, 26.298), (109, 2.966, 1577.344),
            (93, 2.59, 18849.23), (72, 1.14, 529.69), (68, 1.87, 398.15),
            (67, 4.41, 5507.55), (59, 2.89, 5223.69), (56, 2.17, 155.42),
            (45, 0.40, 796.30), (36, 0.47, 775.52), (29, 2.65, 7.11),
            (21, 5.34, 0.98), (19, 1.85, 5486.78), (19, 4.97, 213.30),
            (17, 2.99, 6275.96), (16, 0.03, 2544.31), (16, 1.43, 2146.17),
            (15, 1.21, 10977.08), (12, 2.83, 1748.02), (12, 3.26, 5088.63),
            (12, 5.27, 1194.45), (12, 2.08, 4694.00), (11, 0.77, 553.57),
            (10, 1.30, 6286.60), (10, 4.24, 1349.87), (9, 2.70, 242.73),
            (9, 5.64, 951.72), (8, 5.30, 2352.87), (6, 2.65, 9437.76),
            (6, 4.67, 4690.48),
        ],
        [
            (52919, 0, 0), (8720, 1.0721, 6283.0758), (309, 0.867, 12566.152),
            (27, 0.05, 3.52), (16, 5.19, 26.30), (16, 3.68, 155.42),
            (10, 0.76, 18849.23), (9, 2.06, 77713.77), (7, 0.83, 775.52),
            (5, 4.66, 1577.34), (4, 1.03, 7.11), (4, 3.44, 5573.14),
            (3, 5.14, 796.30), (3, 6.05, 5507.55), (3, 1.19, 242.73),
            (3, 6.12, 529.69), (3, 0.31, 398.15), (3, 2.28, 553.57),
            (2, 4.38, 5223.69), (2, 3.75, 0.98),
        ],
        [
            (289, 5.844, 6283.076), (35, 0, 0), (17, 5.49, 12566.15),
            (3, 5.20, 155.42), (1, 4.72, 3.52), (1, 5.30, 18849.23),
            (1, 5.97, 242.73),
        ],
        [(114, 3.142, 0), (8, 4.13, 6283.08), (1, 3.84, 12566.15)],
        [(1, 3.14, 0)],
    ]
}
