// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 017: API clients (client credentials): accounts with the role `client`, a hashed secret,
    /// and the scopes they were granted; a token keeps the scopes it was issued for (a subset).
    static let createAPIClients = Migration(
        id: 17, name: "CreateAPIClients",
        up: [
            "ALTER TABLE users ADD COLUMN scopes TEXT",
            "ALTER TABLE access_tokens ADD COLUMN scopes TEXT",
        ],
        down: [
            "ALTER TABLE access_tokens DROP COLUMN scopes",
            "ALTER TABLE users DROP COLUMN scopes",
        ])
}
