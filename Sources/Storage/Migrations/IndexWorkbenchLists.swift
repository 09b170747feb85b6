// SPDX-License-Identifier: Apache-2.0

extension Migrations {
    /// 023: a unit's workbench list in due-date order straight from an index, one per column
    /// that ties a dossier to a unit (`DossierQuery` scans each and merges a page). Before, the
    /// list read and sorted all of the unit's dossiers for every page, and `competent_unit` had
    /// no index at all. Two indexes more per reception than before, not three: the old handling
    /// list index goes.
    static let indexWorkbenchLists = Migration(
        id: 23, name: "IndexWorkbenchLists",
        up: ["handling_unit", "receiving_unit", "competent_unit"].map { column in
            "CREATE INDEX dossiers_\(column)_due ON dossiers (\(column), (COALESCE(due_at, '9999-12-31T23:59:59.999Z')), id)"
        }
            // The handling list's old index: the new one starts with the same column, and every
            // index is one more b-tree each reception writes.
            + ["DROP INDEX dossiers_handling_status_due"],
        down: ["CREATE INDEX dossiers_handling_status_due ON dossiers (handling_unit, status, due_at)"]
            + ["handling_unit", "receiving_unit", "competent_unit"].map { "DROP INDEX dossiers_\($0)_due" })
}
