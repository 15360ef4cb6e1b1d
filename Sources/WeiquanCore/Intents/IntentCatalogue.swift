import Foundation

/// The set of intents the matcher knows, loaded from `intents/*.json`.
public struct IntentCatalogue: Sendable, Equatable {
    /// Every intent, sorted by id.
    public let intents: [IntentDefinition]
    private let byID: [IntentID: Int]

    /// Builds a catalogue; throws `CatalogueError.duplicateID` when two intents share an id and
    /// `CatalogueError.emptyID` when an id is empty.
    public init(intents: [IntentDefinition]) throws {
        try self.init(intents: intents, sources: intents.indices.map { "intent #\($0 + 1)" })
    }

    private init(intents: [IntentDefinition], sources: [String]) throws {
        var firstSource: [IntentID: String] = [:]
        for (intent, source) in zip(intents, sources) {
            if intent.id.rawValue.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw CatalogueError.emptyID(source: source)
            }
            if let earlier = firstSource[intent.id] {
                throw CatalogueError.duplicateID(intent.id, sources: [earlier, source])
            }
            firstSource[intent.id] = source
        }
        let sorted = intents.sorted { $0.id < $1.id }
        self.intents = sorted
        var byID: [IntentID: Int] = [:]
        for (index, intent) in sorted.enumerated() {
            byID[intent.id] = index
        }
        self.byID = byID
    }

    /// Decodes one intent per file. `name` is used in error messages; when it ends in `.json`, its
    /// last path component must be `<id>.json`.
    ///
    /// Throws `CatalogueError` naming the file and the JSON problem (invalid JSON, missing key,
    /// wrong type, unknown key), a duplicate id, or a file name that does not match its id.
    public static func decode(files: [(name: String, data: Data)]) throws -> IntentCatalogue {
        let decoder = JSONDecoder()
        var intents: [IntentDefinition] = []
        var sources: [String] = []
        for file in files {
            let intent: IntentDefinition
            do {
                intent = try decoder.decode(IntentDefinition.self, from: file.data)
            } catch let error as DecodingError {
                throw CatalogueError.invalidFile(name: file.name, problem: Self.explain(error, data: file.data))
            } catch {
                throw CatalogueError.invalidFile(name: file.name, problem: "\(error)")
            }
            let fileName = file.name.split(separator: "/").last.map(String.init) ?? file.name
            if fileName.hasSuffix(".json"), String(fileName.dropLast(5)) != intent.id.rawValue {
                throw CatalogueError.fileNameMismatch(name: fileName, id: intent.id)
            }
            intents.append(intent)
            sources.append(file.name)
        }
        return try IntentCatalogue(intents: intents, sources: sources)
    }

    /// The intent with this id, if the catalogue has one.
    public func intent(_ id: IntentID) -> IntentDefinition? {
        guard let index = self.byID[id] else { return nil }
        return self.intents[index]
    }

    /// Every id in the catalogue, sorted.
    public var ids: [IntentID] { self.intents.map(\.id) }

    private static func explain(_ error: DecodingError, data: Data) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            if codingPath.isEmpty { return "the top level" }
            return codingPath.map { key in
                if let index = key.intValue { return "[\(index)]" }
                return key.stringValue
            }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let place = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "missing key '\(key.stringValue)'\(place)"
        case .typeMismatch(let type, let context):
            return
                "wrong type at \(path(context.codingPath)): expected \(Self.jsonName(type)); \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "null at \(path(context.codingPath)) where \(Self.jsonName(type)) is expected"
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError {
                return "not valid JSON: \(Self.underlyingMessage(underlying))"
            }
            if context.codingPath.isEmpty {
                return Self.syntaxProblem(in: data) ?? context.debugDescription
            }
            return "at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// The JSON syntax error in `data`, with its line number, or nil if `data` is valid JSON.
    private static func syntaxProblem(in data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            var message = Self.underlyingMessage(error)
            // "… around character 51." → add the line, which is what an editor shows.
            if let range = message.range(of: "character "),
                let offset = Int(message[range.upperBound...].prefix { $0.isNumber }),
                offset <= data.count
            {
                let line = data.prefix(offset).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                if message.hasSuffix(".") { message.removeLast() }
                message += " (line \(line))"
            }
            return "not valid JSON: \(message)"
        }
    }

    private static func underlyingMessage(_ error: any Error) -> String {
        let nsError = error as NSError
        if let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String {
            return detail
        }
        return nsError.localizedDescription
    }

    private static func jsonName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            if name == "IntentKind" {
                return "one of " + IntentKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            }
            return name
        }
    }
}
