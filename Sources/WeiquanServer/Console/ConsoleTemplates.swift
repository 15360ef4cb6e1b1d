import Crypto
import Foundation
import Logging
import Mustache

/// The console's templates and assets: the ones embedded in the binary, each replaced by a file of the same name
/// in ``ConsoleSettings/directory`` when there is one (a centre's own logo, colours or wording).
///
/// Templates are the `.mustache` files (named without the extension: `layout`, `sign-in`, …); everything else is
/// an asset served at `/console/assets/NAME` with a content type from its extension and an `ETag`.
struct ConsoleTemplates: Sendable {
    /// An asset as served.
    struct Asset: Sendable {
        var bytes: [UInt8]
        var contentType: String
        var etag: String
    }

    let library: MustacheLibrary
    let assets: [String: Asset]
    /// The Chinese wording of the API's error codes (the JSON in `messages.mustache`), for error pages.
    let messages: [String: String]
    /// A short hash of every file, for the `?v=` of asset links: a new build or a new override loads afresh.
    let version: String

    /// Why the templates could not be loaded; the service does not start with broken templates.
    struct LoadError: Error, CustomStringConvertible {
        var file: String
        var reason: String
        var description: String { "console template \(self.file): \(self.reason)" }
    }

    /// - Parameters:
    ///   - embedded: The files compiled in, by file name.
    ///   - directory: Files that replace embedded ones of the same name (others there are ignored, and logged).
    init(embedded: [String: [UInt8]], directory: String?, logger: Logger) throws {
        var files = embedded
        if let directory {
            let url = URL(fileURLWithPath: directory, isDirectory: true)
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: url.path)
            } catch {
                throw LoadError(file: directory, reason: "the console.directory cannot be read: \(error)")
            }
            for name in names.sorted() {
                guard embedded[name] != nil else {
                    logger.warning(
                        "console.directory: file not used (no embedded file has its name)",
                        metadata: ["file": "\(name)"])
                    continue
                }
                do {
                    files[name] = Array(try Data(contentsOf: url.appendingPathComponent(name)))
                } catch {
                    throw LoadError(file: url.appendingPathComponent(name).path, reason: "cannot be read: \(error)")
                }
                logger.info("console.directory: replaces the embedded file", metadata: ["file": "\(name)"])
            }
        }
        var library = MustacheLibrary()
        var assets: [String: Asset] = [:]
        var digest = SHA256()
        for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
            digest.update(data: Array(name.utf8) + bytes)
            if name.hasSuffix(".mustache") {
                do {
                    try library.register(String(decoding: bytes, as: UTF8.self), named: String(name.dropLast(9)))
                } catch {
                    throw LoadError(file: name, reason: "\(error)")
                }
            } else {
                let hash = Data(SHA256.hash(data: bytes)).base64EncodedString().prefix(22)
                assets[name] = Asset(bytes: bytes, contentType: Self.contentType(of: name), etag: "\"\(hash)\"")
            }
        }
        self.library = library
        self.assets = assets
        let json = library.render([String: Any](), withTemplate: "messages") ?? ""
        guard let start = json.firstIndex(of: "{"), let end = json.lastIndex(of: "}"),
            let messages = try? JSONDecoder().decode([String: String].self, from: Data(json[start...end].utf8))
        else {
            throw LoadError(file: "messages.mustache", reason: "must hold one JSON object of error codes and wording")
        }
        self.messages = messages
        self.version = String(
            Data(digest.finalize()).base64EncodedString().prefix(10).map { $0.isLetter || $0.isNumber ? $0 : "0" })
    }

    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "json": "application/json; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
