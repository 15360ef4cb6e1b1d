import Foundation

/// The bot's wording: templates keyed by name, loaded from `intents/replies.json`.
///
/// Templates may contain `{placeholders}`; ``render(_:_:)`` fills them from the values given and then
/// from the centre's contact details. Code refers to templates only by key, so staff can reword the
/// bot without recompiling; `weiquan check` reports keys the code needs that the file lacks.
public struct ReplyBook: Sendable, Equatable {
    public private(set) var templates: [String: String]
    private var defaults: [String: String]
    /// The contact placeholders the centre left empty, sorted: lines naming them are left out.
    private var emptyDefaults: [String]

    /// - Parameters:
    ///   - templates: Template text by key.
    ///   - contact: Fills `{hotline}`, `{centre_name}` and the other contact placeholders everywhere.
    public init(templates: [String: String], contact: ContactInfo? = nil) {
        self.templates = templates
        self.defaults = contact?.placeholders ?? [:]
        self.emptyDefaults = self.defaults.filter { $0.value.isEmpty }.keys.sorted()
    }

    /// Decodes a JSON object of key → template. Keys starting with `_` are comments and ignored.
    public static func decode(json data: Data, contact: ContactInfo? = nil) throws -> ReplyBook {
        let raw = try JSONDecoder().decode([String: String].self, from: data)
        return ReplyBook(templates: raw.filter { !$0.key.hasPrefix("_") }, contact: contact)
    }

    /// The same book with another centre's contact details.
    public func with(contact: ContactInfo) -> ReplyBook {
        ReplyBook(templates: self.templates, contact: contact)
    }

    public func has(_ key: String) -> Bool { self.templates[key] != nil }

    /// The template for `key` with its placeholders filled. A missing key renders as `[key]`, so a gap
    /// in the data file shows up in transcripts instead of crashing.
    public func render(_ key: String, _ values: [String: String] = [:]) -> String {
        guard let template = self.templates[key] else { return "[\(key)]" }
        return self.fill(template, values)
    }

    /// Fills `{name}` placeholders in any text (also FAQ answers) from `values`, then the contact details.
    /// Unknown placeholders stay as written. A line that names a contact detail the centre left empty
    /// (`网站：{website}`) is left out rather than shown half empty.
    public func fill(_ text: String, _ values: [String: String] = [:]) -> String {
        // Most replies have no placeholder at all: one pass over the bytes, nothing built.
        guard text.utf8.contains(UInt8(ascii: "{")) else { return text }
        let empty = self.emptyDefaults.lazy.filter { values[$0] == nil }.map { Array("{\($0)}".utf8) }
        guard empty.contains(where: { text.utf8.firstRange(of: $0) != nil }) else {
            return Self.fill(text, values: values, defaults: self.defaults)
        }
        let kept = text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            !empty.contains(where: { line.utf8.firstRange(of: $0) != nil })
        }
        return Self.fill(kept.joined(separator: "\n"), values: values, defaults: self.defaults)
    }

    /// The `|`-separated word list stored under `key` (for example `words.yes`), empty when absent.
    public func words(_ key: String) -> [String] {
        guard let template = self.templates[key] else { return [] }
        return template.split(separator: "|").map { String($0) }.filter { !$0.isEmpty }
    }

    /// Placeholder names used in a text, in order of appearance.
    public static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var current: String?
        for character in text {
            if character == "{" {
                current = ""
            } else if character == "}", let name = current {
                if !name.isEmpty { names.append(name) }
                current = nil
            } else if current != nil {
                current?.append(character)
            }
        }
        return names
    }

    private static func fill(_ template: String, values: [String: String], defaults: [String: String]) -> String {
        // Over the UTF-8 bytes: `{` and `}` are ASCII, so they never occur inside a multi-byte character.
        var template = template
        return template.withUTF8 { bytes in
            guard var open = bytes.firstIndex(of: UInt8(ascii: "{")) else {
                return String(decoding: bytes, as: UTF8.self)
            }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 64)
            var copied = 0
            while let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "}")) {
                let name = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
                if let value = values[name] ?? defaults[name] {
                    output.append(contentsOf: bytes[copied..<open])
                    output.append(contentsOf: value.utf8)
                    copied = close + 1
                }
                guard let next = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "{")) else { break }
                open = next
            }
            output.append(contentsOf: bytes[copied...])
            return String(decoding: output, as: UTF8.self)
        }
    }
}
