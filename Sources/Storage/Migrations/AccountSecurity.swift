// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 014: sign-in security. Consecutive failed sign-ins and the lock they led to; the second
    /// factor (TOTP secret, the last time step used, hashed recovery codes); and the assurance a
    /// token was issued at (1: password, 2: password and second factor).
    static let accountSecurity = Migration(
        id: 14, name: "AccountSecurity",
        up: [
            "ALTER TABLE users ADD COLUMN failed_sign_ins BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE users ADD COLUMN locked_until TEXT",
            "ALTER TABLE users ADD COLUMN totp_secret TEXT",
            "ALTER TABLE users ADD COLUMN totp_confirmed_at TEXT",
            "ALTER TABLE users ADD COLUMN totp_last_step BIGINT",
            "ALTER TABLE users ADD COLUMN recovery_codes TEXT",
            "ALTER TABLE access_tokens ADD COLUMN level BIGINT NOT NULL DEFAULT 1",
        ],
        down: [
            "ALTER TABLE access_tokens DROP COLUMN level",
            "ALTER TABLE users DROP COLUMN recovery_codes",
            "ALTER TABLE users DROP COLUMN totp_last_step",
            "ALTER TABLE users DROP COLUMN totp_confirmed_at",
            "ALTER TABLE users DROP COLUMN totp_secret",
            "ALTER TABLE users DROP COLUMN locked_until",
            "ALTER TABLE users DROP COLUMN failed_sign_ins",
        ])
}
