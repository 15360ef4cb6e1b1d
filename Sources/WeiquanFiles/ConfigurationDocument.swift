import Foundation

/// The configuration as one JSON document: the embedded defaults, overlaid with a centre's file,
/// overlaid with environment variables.
///
/// Every leaf key can be overridden by an environment variable named after its path:
/// `wechat.token` by `WEIQUAN_WECHAT_TOKEN`, `server.port` by `WEIQUAN_SERVER_PORT`,
/// `conversation.retry_budget` by `WEIQUAN_CONVERSATION_RETRY_BUDGET`. The variable's text is read as
/// the type the key has in the defaults (number, true/false, or text).
public struct ConfigurationDocument: Sendable {
    /// The merged JSON object.
    public let json: Data
    /// The environment variables that changed a value, by name (values are not kept: they may be secrets).
    public let overriddenBy: [String]

    /// Loads and merges.
    /// - Parameters:
    ///   - file: A config file; nil means the embedded defaults alone.
    ///   - environment: The process environment (injected for tests).
    public static func load(file: URL?, environment: [String: String]) throws -> ConfigurationDocument {
        guard var merged = try JSONSerialization.jsonObject(with: BotData.demoConfigurationJSON) as? [String: Any]
        else {
            throw DataLoadError(path: "demo-config.json", message: "the embedded defaults are not a JSON object")
        }
        if let file {
            let data: Data
            do {
                data = try Data(contentsOf: file)
            } catch {
                throw DataLoadError(path: file.path, message: "cannot read the file (\(error.localizedDescription))")
            }
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw DataLoadError(path: file.path, message: "not a JSON object")
            }
            merged = Self.merge(merged, object)
        }
        var overridden: [String] = []
        merged = try Self.override(merged, path: ["WEIQUAN"], environment: environment, overridden: &overridden)
        let json = try JSONSerialization.data(withJSONObject: merged, options: [.sortedKeys])
        return ConfigurationDocument(json: json, overriddenBy: overridden.sorted())
    }

    /// Decodes one view of the document (the centre's configuration, the server settings …).
    public func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: self.json)
        } catch let error as DecodingError {
            throw DataLoadError(path: "configuration", message: BotData.describe(error))
        }
    }

    /// `base` with `overlay`'s keys put in; objects are merged key by key, anything else replaced.
    static func merge(_ base: [String: Any], _ overlay: [String: Any]) -> [String: Any] {
        var result = base
        for (key, value) in overlay {
            if let inner = value as? [String: Any], let existing = base[key] as? [String: Any] {
                result[key] = Self.merge(existing, inner)
            } else {
                result[key] = value
            }
        }
        return result
    }

    static func override(
        _ object: [String: Any], path: [String], environment: [String: String], overridden: inout [String]
    ) throws -> [String: Any] {
        var result = object
        for (key, value) in object where !key.hasPrefix("_") {
            let keyPath = path + [key.uppercased()]
            if let inner = value as? [String: Any] {
                result[key] = try Self.override(inner, path: keyPath, environment: environment, overridden: &overridden)
                continue
            }
            let name = keyPath.joined(separator: "_")
            guard let text = environment[name] else { continue }
            overridden.append(name)
            if let number = value as? NSNumber, number === NSNumber(value: true) || number === NSNumber(value: false) {
                guard
                    let flag = ["true": true, "1": true, "yes": true, "false": false, "0": false, "no": false][
                        text.lowercased()]
                else { throw DataLoadError(path: name, message: "expected true or false, got '\(text)'") }
                result[key] = flag
            } else if value is NSNumber {
                guard let number = Double(text) else {
                    throw DataLoadError(path: name, message: "expected a number, got '\(text)'")
                }
                result[key] = number.rounded() == number ? NSNumber(value: Int(number)) : NSNumber(value: number)
            } else if value is String {
                result[key] = text
            } else {
                throw DataLoadError(
                    path: name, message: "only text, number and true/false settings can be set from the environment")
            }
        }
        return result
    }
}
