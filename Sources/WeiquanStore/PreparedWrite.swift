import Foundation

/// A write checked and encoded in the caller's task, before it joins the commit queue: the writer thread
/// then only copies bytes.
struct PreparedWrite: Sendable {
    /// The changes, each document's JSON normalised (see `normalizedObject`).
    var changes: [DocumentChange]
    /// The journal line after `{"seq":N,`: `"changes":[…]}` and a line feed; empty when not asked for.
    var lineTail: [UInt8]
    /// Whether a change must create its document (``DocumentChange/mustNotExist``): the writer must check it
    /// against the state the write applies to.
    var hasCreate: Bool

    /// Checks every change (names not empty, each document one JSON object, a create carries a document) and,
    /// if asked, encodes the journal line. Throws `StoreError` `.invalidDocument` naming the first bad change.
    ///
    /// The journal line records what a write did, not what it required: a create is written as a put (the
    /// writer checks it before the line is appended, and a rejected write appends nothing).
    init(validating changes: [DocumentChange], encodeJournalLine: Bool) throws(StoreError) {
        var normalized = changes
        var capacity = 16
        var hasCreate = false
        for index in normalized.indices {
            let change = normalized[index]
            guard !change.collection.isEmpty else {
                throw StoreError(
                    code: .invalidDocument,
                    message: "a change has an empty collection name (id \(JSONOutput.string(change.id)))")
            }
            guard !change.id.isEmpty else {
                throw StoreError(
                    code: .invalidDocument,
                    message: "a change to \(JSONOutput.string(change.collection)) has an empty id")
            }
            if change.mustNotExist {
                guard change.json != nil else {
                    throw StoreError(
                        code: .invalidDocument,
                        message: "a change that must create \(change.collection)/\(change.id) has no document")
                }
                hasCreate = true
            }
            capacity += change.collection.utf8.count + change.id.utf8.count + 32
            if let json = change.json, change.isEncoderOutput, PreparedWrite.isEncodedObject(json) {
                // The encoder's output for a typed document: one object without line breaks (the encoder escapes
                // them inside strings and adds none between tokens), already as the store keeps it.
                capacity += json.count
            } else if let json = change.json {
                do throws(JSONSyntaxError) {
                    let document = try PreparedWrite.normalizedObject(json)
                    normalized[index].json = document
                    capacity += document.count
                } catch {
                    throw StoreError(
                        code: .invalidDocument,
                        message:
                            "document \(change.collection)/\(change.id) is not one JSON object: \(error.reason) at byte \(error.offset)"
                    )
                }
            }
        }
        self.changes = normalized
        self.lineTail = []
        self.hasCreate = hasCreate
        if encodeJournalLine {
            self.lineTail.reserveCapacity(capacity)
            self.lineTail.append(contentsOf: #""changes":["#.utf8)
            for (index, change) in normalized.enumerated() {
                if index > 0 {
                    self.lineTail.append(ASCII.comma)
                }
                self.lineTail.append(contentsOf: #"{"c":"#.utf8)
                JSONOutput.appendString(change.collection, to: &self.lineTail)
                self.lineTail.append(contentsOf: #","id":"#.utf8)
                JSONOutput.appendString(change.id, to: &self.lineTail)
                if let json = change.json {
                    self.lineTail.append(contentsOf: #","doc":"#.utf8)
                    self.lineTail.append(contentsOf: json)
                    self.lineTail.append(ASCII.closeBrace)
                } else {
                    self.lineTail.append(contentsOf: #","delete":true}"#.utf8)
                }
            }
            self.lineTail.append(contentsOf: "]}\n".utf8)
        }
    }

    /// Whether encoder output is an object (`{` … `}`): a typed document always is; a type that encodes itself as
    /// something else is scanned, and refused, like any other change.
    static func isEncodedObject(_ json: Data) -> Bool {
        json.first == ASCII.openBrace && json.last == ASCII.closeBrace
    }

    /// Checks that `json` is exactly one JSON object (white space around it allowed) and returns it
    /// without the surrounding white space and with line breaks between tokens turned into spaces; the
    /// same bytes when there is nothing to change (no copy).
    static func normalizedObject(_ json: Data) throws(JSONSyntaxError) -> Data {
        let result: Result<Data?, JSONSyntaxError> = json.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw)
            let range: Range<Int>
            do throws(JSONSyntaxError) {
                range = try scanner.readObjectRange()
            } catch {
                return .failure(error)
            }
            scanner.skipWhitespace()
            guard scanner.isAtEnd else {
                return .failure(scanner.failure("more after the object"))
            }
            if range.count == raw.count && !scanner.sawLineBreak {
                return .success(nil)
            }
            var bytes = [UInt8](raw[range])
            if scanner.sawLineBreak {
                for index in bytes.indices where bytes[index] == ASCII.lineFeed || bytes[index] == ASCII.carriageReturn
                {
                    // Outside strings (inside them a raw line break is invalid), so only white space.
                    bytes[index] = ASCII.space
                }
            }
            return .success(Data(bytes))
        }
        switch result {
        case .success(let normalized): return normalized ?? json
        case .failure(let error): throw error
        }
    }
}

extension DocumentChange {
    /// Checks changes exactly as every store checks a write (collection and id not empty, each document one JSON
    /// object, a create carries a document), for a store outside this module. Returns the changes with each
    /// document's JSON normalised as the stores keep it (white space around it dropped, line breaks between tokens
    /// made spaces). Throws `StoreError` `.invalidDocument` naming the first bad change.
    public static func validated(_ changes: [DocumentChange]) throws(StoreError) -> [DocumentChange] {
        try PreparedWrite(validating: changes, encodeJournalLine: false).changes
    }
}
