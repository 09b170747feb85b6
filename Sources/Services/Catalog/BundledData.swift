// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// Data files shipped inside the binary's resource bundle.
public enum BundledData {
    public static func url(_ name: String, _ ext: String, _ dir: String) throws -> URL {
        guard let u = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources/\(dir)") else {
            throw ServiceError.notFound(what: "bundled file", key: "\(dir)/\(name).\(ext)")
        }
        return u
    }

    /// The shipped catalog of real procedures.
    public static func catalog() throws -> CatalogFile {
        try CatalogFile.decode(Data(contentsOf: url("procedures", "json", "catalog")))
    }

    /// The shipped per-year holiday overrides (2024–2026).
    public static func holidayOverrides() throws -> [YearOverride] {
        try HolidayCalendar.decodeOverrides(from: Data(contentsOf: url("overrides", "json", "holidays")))
    }

    /// The working calendar for a configuration: bundled overrides, then the configured file over them.
    public static func workingCalendar(_ config: AppConfig) throws -> WorkingCalendar {
        var overrides = try holidayOverrides()
        if let path = config.holidaysFile {
            overrides = overrides.replacingYears(with: try HolidayCalendar.decodeOverrides(from: Data(contentsOf: URL(fileURLWithPath: path))))
        }
        var rules = HolidayRules()
        rules.cultureDayFromYear = config.cultureDayFromYear
        return WorkingCalendar(holidays: HolidayCalendar(rules: rules, overrides: overrides), hours: config.officeHours)
    }
}
