// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One result row, with columns looked up by name.
public struct Row: Sendable {
    let index: ColumnIndex
    public let values: [SQLValue]

    public var columns: [String] { index.names }

    public init(columns: [String], values: [SQLValue]) {
        self.init(index: ColumnIndex(columns), values: values)
    }

    init(index: ColumnIndex, values: [SQLValue]) {
        self.index = index
        self.values = values
    }

    public subscript(_ name: String) -> SQLValue {
        guard let i = index.positions[name] else { return .null }
        return values[i]
    }

    public func string(_ name: String) -> String? { self[name].string }
    public func int(_ name: String) -> Int? { self[name].int }
    public func date(_ name: String) -> Date? { self[name].string.flatMap(SQLTime.parse) }
    public func bool(_ name: String) -> Bool { (self[name].int ?? 0) != 0 }

    /// Reads a column that must be present; a NULL here is a schema bug, not user input.
    public func require(_ name: String) throws -> String {
        guard let s = string(name) else { throw StorageError.missingColumn(name) }
        return s
    }
}

/// Errors from the storage layer. Constraint violations are classified so services can map
/// them to clear answers (a duplicate is a conflict, not a crash).
public enum StorageError: Error, CustomStringConvertible, Sendable {
    case uniqueViolation(String)
    case missingColumn(String)
    case badConfiguration(String)
    case failed(String)

    public var description: String {
        switch self {
        case .uniqueViolation(let m): "unique constraint violated: \(m)"
        case .missingColumn(let c): "column \(c) missing from result"
        case .badConfiguration(let m): m
        case .failed(let m): m
        }
    }
}

/// Column names of a result set and their positions, shared by all its rows.
final class ColumnIndex: Sendable {
    let names: [String]
    let positions: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var map: [String: Int] = [:]
        for (i, n) in names.enumerated() where map[n] == nil { map[n] = i }
        self.positions = map
    }
}
