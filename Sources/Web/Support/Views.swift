// SPDX-License-Identifier: Apache-2.0
import Foundation
import Mustache

/// The page templates (`Resources/templates/*.mustache`), loaded once. Mustache escapes every
/// `{{value}}` for HTML; pages extend `layout` (`{{<layout}}{{$content}}…{{/content}}{{/layout}}`).
enum Views {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        guard let dir = Bundle.module.url(forResource: "templates", withExtension: nil, subdirectory: "Resources"),
            let files = try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
        else { return library }
        for file in files where file.pathExtension == "mustache" {
            // A broken template is a programming error: the tests render every page.
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            do { try library.register(text, named: file.deletingPathExtension().lastPathComponent) } catch {
                assertionFailure("template \(file.lastPathComponent): \(error)")
            }
        }
        return library
    }()

    static func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? "<!doctype html><title>MotCua</title><p>template \(name) is missing</p>"
    }

    /// A static file of `Resources/static` (the stylesheet, the icon), or nil: read once.
    static func asset(_ name: String) -> Data? { assets[name] }

    static let assets: [String: Data] = {
        guard let dir = Bundle.module.url(forResource: "static", withExtension: nil, subdirectory: "Resources"),
            let files = try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
        else { return [:] }
        return Dictionary(uniqueKeysWithValues: files.compactMap { f in (try? Data(contentsOf: f)).map { (f.lastPathComponent, $0) } })
    }()
}
