// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 022: the single sign-on identity an official's account is bound to (the provider's issuer
    /// and `sub`, which OpenID Connect promises stable and unique, unlike a username claim).
    static let addSingleSignOnSubjects = Migration(
        id: 22, name: "AddSingleSignOnSubjects",
        up: [
            "ALTER TABLE users ADD COLUMN sso_subject TEXT",
            "CREATE UNIQUE INDEX users_sso_subject ON users (sso_subject)",
        ],
        down: ["DROP INDEX users_sso_subject", "ALTER TABLE users DROP COLUMN sso_subject"])
}
