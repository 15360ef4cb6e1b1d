import Foundation

/// The bot's wording: templates keyed by name, loaded from `intents/replies.json`.
///
/// Templates may contain `{placeholders}`; ``render(_:_:)`` fills them from the values given and then
/// from the centre's contact details. Code refers to templates only by key, so staff can reword the
/// bot without recompiling; `weiquan check` reports keys the code needs that the file lacks.
public struct ReplyBook: Sendable, Equatable {
    public private(set) var templates: [String: String]
    private var defaults: [String: String]
    /// The contact placeholders the centre left empty, sorted, with their `{name}`: lines naming them are left out.
    private var emptyDefaults: [(name: String, placeholder: String)]
    /// Every template as ``render(_:_:)`` gives it without values, worked out once: most replies are rendered so,
    /// on every message.
    private var rendered: [String: String] = [:]

    /// - Parameters:
    ///   - templates: Template text by key.
    ///   - contact: Fills `{hotline}`, `{centre_name}` and the other contact placeholders everywhere.
    public init(templates: [String: String], contact: ContactInfo? = nil) {
        self.templates = templates
        self.defaults = contact?.placeholders ?? [:]
        self.emptyDefaults = self.defaults.filter { $0.value.isEmpty }.keys.sorted().map { ($0, "{\($0)}") }
        self.rendered = templates.mapValues { self.fill($0) }
    }

    public static func == (lhs: ReplyBook, rhs: ReplyBook) -> Bool {
        // `rendered` follows from the rest, and so does `emptyDefaults`.
        lhs.templates == rhs.templates && lhs.defaults == rhs.defaults
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
        if values.isEmpty { return self.rendered[key] ?? "[\(key)]" }
        guard let template = self.templates[key] else { return "[\(key)]" }
        return self.fill(template, values)
    }

    /// Fills `{name}` placeholders in any text (also FAQ answers) from `values`, then the contact details.
    /// Unknown placeholders stay as written. A line that names a contact detail the centre left empty
    /// (`网站：{website}`) is left out rather than shown half empty.
    public func fill(_ text: String, _ values: [String: String] = [:]) -> String {
        // Most replies have no placeholder at all: one pass over the bytes, nothing built.
        guard text.utf8.contains(UInt8(ascii: "{")) else { return text }
        let empty = self.emptyDefaults.lazy.filter { values[$0.name] == nil }.map(\.placeholder)
        guard empty.contains(where: { TextBytes.contains($0, in: text) }) else {
            return Self.fill(text, values: values, defaults: self.defaults)
        }
        let kept = text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            !empty.contains(where: { TextBytes.contains($0, in: String(line)) })
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
        if let filled = template.utf8.withContiguousStorageIfAvailable({ bytes in
            Self.fill(template, bytes: bytes, values: values, defaults: defaults)
        }) {
            return filled
        }
        var native = template
        native.makeContiguousUTF8()
        return Self.fill(native, values: values, defaults: defaults)
    }

    /// Fills `template`, whose UTF-8 is `bytes`: the braces are found in the bytes (`{` and `}` are ASCII, so they
    /// never occur inside a multi-byte character), and the pieces between them are appended as they are, with no
    /// bytes to decode and check again.
    private static func fill(
        _ template: String, bytes: UnsafeBufferPointer<UInt8>, values: [String: String], defaults: [String: String]
    ) -> String {
        guard var open = bytes.firstIndex(of: UInt8(ascii: "{")) else { return template }
        let utf8 = template.utf8
        func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        var output = ""
        output.reserveCapacity(bytes.count + 64)
        var copied = 0
        while let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "}")) {
            let name = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
            if let value = values[name] ?? defaults[name] {
                output += template[index(copied)..<index(open)]
                output += value
                copied = close + 1
            }
            guard let next = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "{")) else { break }
            open = next
        }
        output += template[index(copied)...]
        return output
    }
}
