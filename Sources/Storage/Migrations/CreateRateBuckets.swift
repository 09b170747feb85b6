// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 020: request-rate buckets shared by every instance on one PostgreSQL (sign-in, tracking,
    /// uploads per client address): `tokens` left at `at_s` (seconds since 1970), and whether the
    /// last request was let through. Rows of quiet addresses are deleted by the housekeeping.
    static let createRateBuckets = Migration(
        id: 20, name: "CreateRateBuckets",
        up: [
            """
            CREATE TABLE rate_buckets (
                key TEXT PRIMARY KEY,
                tokens DOUBLE PRECISION NOT NULL,
                at_s DOUBLE PRECISION NOT NULL,
                allowed BIGINT NOT NULL
            )
            """,
            "CREATE INDEX rate_buckets_at ON rate_buckets (at_s)",
        ],
        down: ["DROP TABLE rate_buckets"])
}
