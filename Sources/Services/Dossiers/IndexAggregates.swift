// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// The hook where the service-quality index (Decision 766) keeps its aggregates current.
/// It runs inside every dossier change's transaction, after the state, event and portal-sync mark
/// are written, so the aggregates can never disagree with the dossiers they count.
/// (Filled by the index work; today it records nothing.)
enum IndexAggregates {
    static func apply(_ transition: Transition, at now: Date, on tx: any SQLExecutor) async throws {}
}
