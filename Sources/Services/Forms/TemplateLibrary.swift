// SPDX-License-Identifier: Apache-2.0
import Foundation
import PDF

/// A field of a result the handling specialist fills in before the leader approves (the part of
/// a result that is not already in the dossier, e.g. the marital status being certified).
public struct ResultInput: Codable, Sendable, Hashable {
    public let key: String
    public let label: String
    public let required: Bool
    public let `default`: String?
}

/// A result template: the layout plus the inputs it needs.
public struct ResultTemplate: Sendable {
    /// `<id>@<version>`, as procedures name it.
    public let reference: String
    public let inputs: [ResultInput]
    public let layout: DocumentTemplate
}

/// The forms (Mẫu 02–07) and result templates, as data: JSON files shipped in
/// `Resources/templates/{forms,results}`. A province may override or add files in
/// `MOTCUA_TEMPLATES_DIR` (same layout) without rebuilding.
public struct TemplateLibrary: Sendable {
    let overrideDir: String?

    /// The layout of an official form, `mau-02` … `mau-07`.
    public func form(_ id: String) throws -> DocumentTemplate {
        try DocumentTemplate.decode(try load("forms", id))
    }

    /// A result template by its reference `<id>@<version>` (file `results/<id>.v<version>.json`).
    public func result(_ reference: String) throws -> ResultTemplate {
        let parts = reference.split(separator: "@")
        guard parts.count == 2, let version = Int(parts[1]), version > 0, !parts[0].contains("/"), !parts[0].contains(".") else {
            throw ServiceError.invalid(field: "template", message: "a result template is named <id>@<version>, e.g. ket-qua-chung@1; got \(reference)")
        }
        let data = try load("results", "\(parts[0]).v\(version)")
        // The inputs travel in the same file as the layout; the layout decoder sees only its own keys.
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ServiceError.invalid(field: "template", message: "\(reference) is not a JSON object")
        }
        let inputsJSON = try JSONSerialization.data(withJSONObject: object.removeValue(forKey: "inputs") ?? [])
        let inputs = try JSONDecoder().decode([ResultInput].self, from: inputsJSON)
        let layout = try DocumentTemplate.decode(try JSONSerialization.data(withJSONObject: object))
        guard layout.id == String(parts[0]), layout.version == version else {
            throw ServiceError.invalid(field: "template", message: "\(reference): the file says \(layout.id)@\(layout.version)")
        }
        return ResultTemplate(reference: reference, inputs: inputs, layout: layout)
    }

    /// Every result template reference available (shipped and overridden).
    public func resultReferences() -> [String] {
        var names = Set<String>()
        var dirs: [URL] = []
        if let u = Bundle.module.url(forResource: "results", withExtension: nil, subdirectory: "Resources/templates") { dirs.append(u) }
        if let o = overrideDir { dirs.append(URL(fileURLWithPath: o).appendingPathComponent("results")) }
        for dir in dirs {
            for f in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where f.hasSuffix(".json") {
                let base = String(f.dropLast(5))
                guard let dot = base.range(of: ".v", options: .backwards), let v = Int(base[dot.upperBound...]) else { continue }
                names.insert("\(base[..<dot.lowerBound])@\(v)")
            }
        }
        return names.sorted()
    }

    func load(_ kind: String, _ name: String) throws -> Data {
        if let dir = overrideDir {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(kind).appendingPathComponent("\(name).json")
            if FileManager.default.fileExists(atPath: url.path) { return try Data(contentsOf: url) }
        }
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources/templates/\(kind)") else {
            throw ServiceError.notFound(what: "template", key: "\(kind)/\(name)")
        }
        return try Data(contentsOf: url)
    }
}
