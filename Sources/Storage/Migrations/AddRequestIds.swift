// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 019: the request that made a dossier's latest change waiting for the portal, and the
    /// request behind each delivery outcome: an access-log line leads to what the portal was sent.
    static let addRequestIds = Migration(
        id: 19, name: "AddRequestIds",
        up: ["ALTER TABLE portal_sync ADD COLUMN request_id TEXT", "ALTER TABLE portal_sync_log ADD COLUMN request_id TEXT"],
        down: ["ALTER TABLE portal_sync_log DROP COLUMN request_id", "ALTER TABLE portal_sync DROP COLUMN request_id"])
}
