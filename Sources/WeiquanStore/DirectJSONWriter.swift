import Foundation

/// Writes a document's JSON member by member, for the few documents every message writes (an applicant's
/// conversation and the message's retry record), several times faster than an `Encodable` encoder: nothing is
/// boxed, nothing is sorted, no key is looked up.
///
/// The bytes are ``StoreCoding/encoder``'s (Foundation's `JSONEncoder`: sorted keys, unescaped slashes, the
/// store's date text) when the caller writes each object's keys in UTF-8 byte order and leaves out exactly what
/// the type's `encode(to:)` leaves out; a value too rare to be worth writing by hand goes through
/// ``encoded(_:)``, the store's encoder. Debug builds check the key order as they go; the parity tests hold each
/// type's writer to Foundation's bytes, and its list of fields to the type's stored properties.
package struct DirectJSONWriter {
    /// The JSON written so far.
    package private(set) var bytes: [UInt8] = []
    /// Whether the next key needs a comma before it (a member of the innermost object was written).
    private var afterMember = false
    #if DEBUG
    /// The last key of each open object, innermost last, to check the order.
    private var lastKeys: [String?] = []
    #endif

    /// A writer whose buffer has room for `capacity` bytes.
    package init(capacity: Int = 512) {
        self.bytes.reserveCapacity(capacity)
    }

    /// The JSON of the object `write` writes.
    package static func object(capacity: Int = 512, _ write: (inout DirectJSONWriter) throws -> Void) rethrows -> Data {
        var writer = DirectJSONWriter(capacity: capacity)
        try writer.object(write)
        return Data(writer.bytes)
    }

    /// Writes an object: `{`, the members `write` writes (in UTF-8 order of their keys), `}`.
    package mutating func object(_ write: (inout DirectJSONWriter) throws -> Void) rethrows {
        self.bytes.append(UInt8(ascii: "{"))
        self.afterMember = false
        #if DEBUG
        self.lastKeys.append(nil)
        #endif
        try write(&self)
        #if DEBUG
        self.lastKeys.removeLast()
        #endif
        self.bytes.append(UInt8(ascii: "}"))
        self.afterMember = true
    }

    /// Writes a member's key (ASCII, nothing to escape), to be followed by exactly one value.
    package mutating func key(_ key: StaticString) {
        #if DEBUG
        let text = key.description
        if let last = self.lastKeys.last ?? nil {
            precondition(StoreJSONWriter.precedes(last, text), "DirectJSONWriter: key \(text) written after \(last)")
        }
        if !self.lastKeys.isEmpty { self.lastKeys[self.lastKeys.count - 1] = text }
        #endif
        if self.afterMember { self.bytes.append(UInt8(ascii: ",")) }
        self.bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
        self.bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        self.afterMember = true
    }

    /// Writes a string value.
    package mutating func string(_ value: String) {
        StoreJSONWriter.appendString(value, to: &self.bytes)
    }

    /// Writes an integer value.
    package mutating func integer(_ value: Int) {
        StoreJSONWriter.appendInteger(Int64(value), to: &self.bytes)
    }

    /// Writes `true` or `false`.
    package mutating func bool(_ value: Bool) {
        self.bytes.append(contentsOf: value ? StoreJSONWriter.trueText : StoreJSONWriter.falseText)
    }

    /// Writes a date as the store writes dates (`2024-05-01T08:30:00.250Z`).
    package mutating func date(_ value: Date) {
        self.string(StoreCoding.text(of: value))
    }

    /// Writes an array of strings.
    package mutating func strings(_ values: [String]) {
        self.bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
            self.string(value)
        }
        self.bytes.append(UInt8(ascii: "]"))
    }

    /// Writes an array whose elements `write` writes, one value each.
    package mutating func array<Element>(
        _ elements: [Element], _ write: (inout DirectJSONWriter, Element) throws -> Void
    ) rethrows {
        self.bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
            try write(&self, element)
        }
        self.bytes.append(UInt8(ascii: "]"))
    }

    /// Writes a dictionary of strings as an object, its keys in UTF-8 byte order (as Foundation sorts them).
    package mutating func strings(_ values: [String: String]) {
        self.bytes.append(UInt8(ascii: "{"))
        for (index, member) in values.sorted(by: { StoreJSONWriter.precedes($0.key, $1.key) }).enumerated() {
            if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
            self.string(member.key)
            self.bytes.append(UInt8(ascii: ":"))
            self.string(member.value)
        }
        self.bytes.append(UInt8(ascii: "}"))
    }

    /// Writes any value as the store's encoder writes it (Foundation's when that encoder does not write it exactly):
    /// for the parts of a document too rare to write by hand.
    package mutating func encoded<T: Encodable>(_ value: T) throws {
        self.bytes.append(contentsOf: try StoreCoding.encode(value))
    }
}
