/// Reads CSV (or tab-separated) text as RFC 4180 describes it: quoted fields may hold the separator, quotes
/// (doubled) and line breaks; lines end with LF or CRLF. Works on UTF-8 bytes, field by field, without building a
/// string for a whole line.
package struct DelimitedText {
    /// One record: its fields and the line it starts on (1-based, counting physical lines).
    package struct Record {
        package var fields: [String]
        package var line: Int
    }

    private let bytes: [UInt8]
    private let separator: UInt8
    private var index = 0
    private var line = 1

    /// The separator is the one of `,`, tab and `;` the first line holds most of outside quotes.
    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: "\t"): 0, UInt8(ascii: ";"): 0]
        var quoted = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted, byte == UInt8(ascii: "\n") { break }
            if !quoted, counts[byte] != nil { counts[byte, default: 0] += 1 }
        }
        self.separator = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? UInt8(ascii: ",")
    }

    /// The next record, or nil at the end; blank lines are skipped.
    package mutating func next() -> Record? {
        while self.index < self.bytes.count {
            let startLine = self.line
            let fields = self.readRecord()
            if fields.count == 1, fields[0].isEmpty { continue }
            return Record(fields: fields, line: startLine)
        }
        return nil
    }

    private mutating func readRecord() -> [String] {
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            self.index += 1
            if quoted {
                if byte == quote {
                    if self.index < self.bytes.count, self.bytes[self.index] == quote {
                        field.append(quote)
                        self.index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == newline { self.line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case quote where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case self.separator:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            case newline:
                self.line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return fields
            case carriage where self.index < self.bytes.count && self.bytes[self.index] == newline:
                continue
            default:
                field.append(byte)
            }
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }
}
