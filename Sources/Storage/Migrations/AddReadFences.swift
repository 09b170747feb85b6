// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 018: where a session's last write left the primary's log (`pg_current_wal_lsn()`), so
    /// that its next reads go to a standby only once the standby has replayed that far
    /// (read-your-writes with `DATABASE_READ_URL`). Written only when a standby is configured.
    static let addReadFences = Migration(
        id: 18, name: "AddReadFences",
        up: ["ALTER TABLE access_tokens ADD COLUMN read_fence TEXT"],
        down: ["ALTER TABLE access_tokens DROP COLUMN read_fence"])
}
