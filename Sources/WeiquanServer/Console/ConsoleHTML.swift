/// HTML built in code rather than in a template (server-drawn SVG charts, the public `/kb` page): every text goes
/// through ``escape(_:)``.
enum ConsoleHTML {
    /// `text` safe inside an element or a quoted attribute: `&`, `<`, `>`, `"` and `'` replaced by entities.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
