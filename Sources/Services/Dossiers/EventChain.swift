// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation
import Storage

/// Events are hash-chained per dossier: each hash commits to the previous one and to the
/// event's content, so editing or deleting a row breaks every later link.
public enum EventChain {
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(prev: String, seq: Int, at: Date, actor: String, action: String, from: DossierStatus?, to: DossierStatus, note: String?, data: [String: String]) -> String {
        var s = "\(prev)|\(seq)|\(SQLTime.format(at))|\(actor)|\(action)|\(from?.rawValue ?? 0)|\(to.rawValue)|\(note ?? "")"
        for k in data.keys.sorted() { s += "|\(k)=\(data[k]!)" }
        return Digits.hex(SHA256.hash(data: Data(s.utf8)))
    }

    /// Verifies a dossier's events; returns the sequence number of the first broken link, if any.
    public static func firstBrokenLink(_ events: [StoredEvent]) -> Int? {
        var prev = genesis
        for (i, e) in events.enumerated() {
            let expected = hash(prev: prev, seq: e.seq, at: e.at, actor: e.actor, action: e.action, from: e.fromStatus, to: e.toStatus, note: e.note, data: e.data)
            if e.seq != i + 1 || e.prevHash != prev || e.hash != expected { return e.seq }
            prev = e.hash
        }
        return nil
    }
}

extension StoredEvent {
    /// This event as the new tip of its dossier's chain.
    var tip: DossierStore.ChainTip { DossierStore.ChainTip(seq: seq, hash: hash) }
}
