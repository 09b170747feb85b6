// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 015: sign-ins through an OpenID Connect provider that have left for the provider and not
    /// come back yet. Kept in the database, not in one instance's memory, so the answer may reach
    /// any instance; each row is used once and expires after ten minutes.
    static let createSignInRequests = Migration(
        id: 15, name: "CreateSignInRequests",
        up: [
            """
            CREATE TABLE sign_in_requests (
                state_hash TEXT PRIMARY KEY,
                provider TEXT NOT NULL,
                nonce TEXT NOT NULL,
                code_verifier TEXT NOT NULL,
                next_path TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX sign_in_requests_created ON sign_in_requests (created_at)",
        ],
        down: ["DROP TABLE sign_in_requests"])
}
