// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 011: the province's own record of the government's yearly decisions (swapped days off,
    /// working Saturdays), entered by administrators. A year stored here replaces that year of
    /// the shipped overrides and of `MOTCUA_HOLIDAYS`.
    static let createHolidayOverrides = Migration(
        id: 11, name: "CreateHolidayOverrides",
        up: [
            """
            CREATE TABLE holiday_overrides (
                year BIGINT PRIMARY KEY,
                spec TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """
        ],
        down: ["DROP TABLE holiday_overrides"])
}
