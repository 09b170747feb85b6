// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging
import Services
import Storage

/// Where `serve` and `worker` write their log: standard error, as text or as one JSON object per
/// line (`MOTCUA_LOG_FORMAT=json`). Every line written while a request is served carries its id
/// (`request.id`), whichever component wrote it.
enum LogOutput {
    static func bootstrap(_ config: AppConfig) {
        let requestId = Logger.MetadataProvider { RequestTrace.id.map { ["request.id": .string($0)] } ?? [:] }
        if config.logJSON {
            LoggingSystem.bootstrap({ label, provider in JSONLogHandler(label: label, metadataProvider: provider) }, metadataProvider: requestId)
        } else {
            LoggingSystem.bootstrap({ label, provider in StreamLogHandler.standardError(label: label, metadataProvider: provider) }, metadataProvider: requestId)
        }
    }
}

/// One JSON object per line: `at`, `level`, `label`, `message`, then the metadata as strings.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    private static let lock = NSLock()

    init(label: String, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        var fields: [String: String] = [:]
        for (k, v) in metadata { fields[k] = "\(v)" }
        for (k, v) in metadataProvider?.get() ?? [:] { fields[k] = "\(v)" }
        for (k, v) in explicit ?? [:] { fields[k] = "\(v)" }
        fields["at"] = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
        fields["level"] = level.rawValue
        fields["label"] = label
        fields["message"] = message.description
        guard var data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        Self.lock.withLock { FileHandle.standardError.write(data) }
    }
}
