// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 021: a version number per piece of state each instance keeps in memory (the catalog, the
    /// recorded days off), raised in the transaction that changes it; every instance looks at
    /// them each second and reloads what moved, so a change made on one instance (or by the
    /// `motcua` command line) reaches the others.
    static let createSharedVersions = Migration(
        id: 21, name: "CreateSharedVersions",
        up: [
            "CREATE TABLE shared_versions (name TEXT PRIMARY KEY, version BIGINT NOT NULL)",
            "INSERT INTO shared_versions (name, version) VALUES ('catalog', 0), ('calendar', 0)",
        ],
        down: ["DROP TABLE shared_versions"])
}
