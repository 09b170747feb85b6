// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 012: the pages' sign-in sessions apart from API tokens: a session (the cookie) never
    /// authorizes an API call, an API token never opens the pages.
    static let separateSessions = Migration(
        id: 12, name: "SeparateSessions",
        up: ["ALTER TABLE access_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api'"],
        down: ["ALTER TABLE access_tokens DROP COLUMN kind"])
}
