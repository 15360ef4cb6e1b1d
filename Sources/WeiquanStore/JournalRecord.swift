import Foundation

/// One line of a journal: `{"seq":N,"changes":[{"c":…,"id":…,"doc":{…}},{"c":…,"id":…,"delete":true}]}`.
///
/// Members may come in any order and unknown members are skipped, so a later version can add some.
struct JournalRecord: Sendable, Equatable {
    /// The write's sequence number: one more than the write before it, across journals.
    var sequence: Int
    /// The write's changes, in order.
    var changes: [DocumentChange]

    /// Parses one line (without its line feed).
    static func parse(_ line: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> JournalRecord {
        var scanner = JSONScanner(line)
        scanner.skipWhitespace()
        try scanner.expect(ASCII.openBrace, "'{'")
        var sequence: Int?
        var changes: [DocumentChange]?
        var isFirst = true
        while let key = try scanner.nextMember(isFirst: &isFirst) {
            switch key {
            case "seq":
                sequence = try scanner.readInteger()
            case "changes":
                changes = try JournalRecord.parseChanges(&scanner)
            default:
                try scanner.skipValue(depth: 1)
            }
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else {
            throw scanner.failure("more after the record")
        }
        guard let sequence else {
            throw JSONSyntaxError(offset: 0, reason: "no \"seq\"")
        }
        guard let changes else {
            throw JSONSyntaxError(offset: 0, reason: "no \"changes\"")
        }
        return JournalRecord(sequence: sequence, changes: changes)
    }

    private static func parseChanges(_ scanner: inout JSONScanner) throws(JSONSyntaxError) -> [DocumentChange] {
        try scanner.expect(ASCII.openBracket, "'['")
        var changes: [DocumentChange] = []
        var isFirstChange = true
        while try scanner.nextElement(isFirst: &isFirstChange) {
            let start = scanner.index
            try scanner.expect(ASCII.openBrace, "a change object")
            var collection: String?
            var id: String?
            var json: Data?
            var deleted = false
            var isFirst = true
            while let key = try scanner.nextMember(isFirst: &isFirst) {
                switch key {
                case "c":
                    collection = try scanner.readString()
                case "id":
                    id = try scanner.readString()
                case "doc":
                    let range = try scanner.readObjectRange()
                    json = scanner.bytes.copyData(range)
                case "delete":
                    deleted = try scanner.readBool()
                default:
                    try scanner.skipValue(depth: 1)
                }
            }
            guard let collection, !collection.isEmpty, let id, !id.isEmpty else {
                throw JSONSyntaxError(offset: start, reason: "a change without \"c\" or \"id\"")
            }
            guard (json == nil) == deleted else {
                throw JSONSyntaxError(
                    offset: start, reason: "a change needs exactly one of \"doc\" and \"delete\":true")
            }
            changes.append(DocumentChange(collection: collection, id: id, json: json))
        }
        return changes
    }
}

extension UnsafeRawBufferPointer {
    /// A copy of the bytes in `range` (so that a document does not keep a whole file's buffer alive).
    func copyData(_ range: Range<Int>) -> Data {
        guard let base = self.baseAddress, !range.isEmpty else {
            return Data()
        }
        return Data(bytes: base + range.lowerBound, count: range.count)
    }
}
