// SPDX-License-Identifier: Apache-2.0
// The system SQLite (Debian package libsqlite3-dev), used directly so a whole transaction runs
// without a thread hop per statement.
#include <sqlite3.h>
