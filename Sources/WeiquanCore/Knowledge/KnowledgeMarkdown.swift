import Foundation

/// The knowledge base as Markdown, for people to read and review (`weiquan kb export --format markdown`): a heading,
/// then one `##` section per entry with its id, status, type, tags and last change, the question and the answer.
public enum KnowledgeMarkdown {
    /// The document for `entries`, in the order given.
    public static func render(_ entries: [KnowledgeEntry]) -> String {
        let published = entries.filter(\.isPublished).count
        var lines = [
            "# 优秀问答", "",
            "\(entries.count) entries: \(published) published, \(entries.count - published) retired.",
        ]
        for entry in entries {
            lines += ["", "## \(Self.line(entry.title))", ""]
            lines.append("- id: `\(entry.id)`")
            lines.append("- status: \(entry.status.rawValue)")
            if let type = entry.ipType { lines.append("- ip_type: \(type.rawValue)") }
            if !entry.tags.isEmpty { lines.append("- tags: \(entry.tags.map(Self.line).joined(separator: ", "))") }
            if let source = entry.sourceQuestionID { lines.append("- source question: `\(Self.line(source))`") }
            lines.append("- updated: \(Self.timestamp(entry.updatedAt)) by \(Self.line(entry.updatedBy))")
            lines += ["", "**问：**", ""] + Self.block(entry.question)
            lines += ["", "**答：**", ""] + Self.block(entry.answer)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text on one line, so it cannot end its list item or heading.
    static func line(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// A text's lines, each kept from starting a heading, a list or a quote of its own; line breaks are kept.
    static func block(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard let first = line.first, "#>-*+|".contains(first) else { return line }
            return "\\" + line
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
