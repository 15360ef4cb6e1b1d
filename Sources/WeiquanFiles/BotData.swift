import Foundation
import WeiquanCore

/// Everything the bot runs on, read from disk: the intent catalogue with its wording, the centre's
/// configuration and the legal-status registry.
public struct BotData: Sendable {
    public var catalogue: IntentCatalogue
    public var replies: ReplyBook
    public var ipTypes: IPTypeLexicon
    public var configuration: CentreConfiguration
    public var registry: InMemoryLegalStatusRegistry
    /// The registry is the embedded demo (no registry file was given): it must not answer once real data is
    /// imported.
    public var registryIsDemo = false
    /// The desk's ready-made replies (`desk-replies.json`; none when the file is absent).
    public var deskReplies: [DeskReply] = []
    /// The directory the catalogue and wording were read from.
    public var intentsDirectory: URL

    /// Files in `intents/` that are not intents (`knowledge-seed.json` holds the knowledge base's first entries).
    public static let nonIntentFiles: Set<String> = [
        "replies.json", "ip-types.json", "knowledge-seed.json", "desk-replies.json",
    ]

    /// Loads the data.
    /// - Parameters:
    ///   - intentsDirectory: The `intents/` directory.
    ///   - configuration: The merged configuration; nil means the embedded defaults alone.
    ///   - registryFile: A JSON array of legal-status records; nil means the embedded demo registry.
    public static func load(
        intentsDirectory: URL, configuration: ConfigurationDocument? = nil, registryFile: URL? = nil
    ) throws -> BotData {
        let document = try configuration ?? ConfigurationDocument.load(file: nil, environment: [:])
        let configuration = try document.decode(CentreConfiguration.self)
        let files = try self.intentFiles(in: intentsDirectory)
        let catalogue: IntentCatalogue
        do {
            catalogue = try IntentCatalogue.decode(
                files: files.map { (name: $0.lastPathComponent, data: try Data(contentsOf: $0)) })
        } catch let error as DataLoadError {
            throw error
        } catch {
            throw DataLoadError(path: intentsDirectory.path, message: "\(error)")
        }
        let repliesURL = intentsDirectory.appendingPathComponent("replies.json")
        let replies = try self.decode(repliesURL) { try ReplyBook.decode(json: $0, contact: configuration.contact) }
        let ipTypesURL = intentsDirectory.appendingPathComponent("ip-types.json")
        let ipTypes = try self.decode(ipTypesURL) { try IPTypeLexicon.decode(from: $0) }
        let registry: InMemoryLegalStatusRegistry
        if let registryFile {
            registry = try self.decode(registryFile) { try InMemoryLegalStatusRegistry(json: $0) }
        } else {
            registry = try self.decode(
                embedded: "legal-status-demo.json", Data(PackageResources.legal_status_demo_json)
            ) {
                try InMemoryLegalStatusRegistry(json: $0)
            }
        }
        let deskRepliesURL = intentsDirectory.appendingPathComponent("desk-replies.json")
        let deskReplies =
            FileManager.default.fileExists(atPath: deskRepliesURL.path)
            ? try self.decode(deskRepliesURL) { try DeskReply.decode(json: $0, contact: configuration.contact) } : []
        return BotData(
            catalogue: catalogue, replies: replies, ipTypes: ipTypes, configuration: configuration, registry: registry,
            registryIsDemo: registryFile == nil, deskReplies: deskReplies, intentsDirectory: intentsDirectory
        )
    }

    /// The embedded demo configuration, as JSON: the starting point for a centre's own file.
    public static var demoConfigurationJSON: Data { Data(PackageResources.demo_config_json) }

    /// The `*.json` intent files of a directory, sorted by name, without the non-intent files.
    public static func intentFiles(in directory: URL) throws -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw DataLoadError(
                path: directory.path, message: "cannot list the intents directory (\(error.localizedDescription))")
        }
        return names.filter { $0.hasSuffix(".json") && !self.nonIntentFiles.contains($0) }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    /// A machine built from this data.
    /// The conversation machine, answering legal-status queries from `registry` (by default the loaded file's).
    public func makeMachine(registry: (any LegalStatusRegistry)? = nil) -> ConversationMachine {
        let understander = MessageUnderstander(
            catalogue: self.catalogue, ipTypes: self.ipTypes, regions: self.configuration.directory.regions
        )
        return ConversationMachine(
            understander: understander, catalogue: self.catalogue, replies: self.replies,
            configuration: self.configuration, registry: registry ?? self.registry
        )
    }

    static func decode<Value>(_ url: URL, _ body: (Data) throws -> Value) throws -> Value {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DataLoadError(path: url.path, message: "cannot read the file (\(error.localizedDescription))")
        }
        return try self.decode(embedded: url.path, data, body)
    }

    static func decode<Value>(embedded name: String, _ data: Data, _ body: (Data) throws -> Value) throws -> Value {
        do {
            return try body(data)
        } catch let error as DecodingError {
            throw DataLoadError(path: name, message: Self.describe(error))
        } catch {
            throw DataLoadError(path: name, message: "\(error)")
        }
    }

    /// A decoding error in an operator's words: where in the document, and what was wrong.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "top level" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)' at \(path(context))"
        case .typeMismatch(_, let context): return "wrong type at \(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "missing value at \(path(context))"
        case .dataCorrupted(let context): return "invalid JSON at \(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
