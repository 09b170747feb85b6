// SPDX-License-Identifier: Apache-2.0

/// Pieces of SQL text the stores build.
public enum SQLText {
    /// `n` bind markers: "?, ?, ?".
    public static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }
}
