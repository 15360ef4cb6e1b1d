/// Writes a ``StoreJSONValue`` tree as compact JSON, exactly as Foundation's `JSONEncoder` writes it with
/// `.sortedKeys` and `.withoutEscapingSlashes`: keys in UTF-8 byte order, the last of equal keys kept,
/// numbers as their `description` (a `Double`'s trailing `.0` dropped), strings escaped as below.
struct StoreJSONWriter {
    var bytes: [UInt8] = []

    init() {
        self.bytes.reserveCapacity(1024)
    }

    mutating func write(_ value: StoreJSONValue) throws {
        switch value {
        case .string(let text):
            self.writeString(text)
        case .integer(let number):
            self.writeInteger(number)
        case .unsigned(let number):
            self.writeUnsigned(number)
        case .double(let number):
            self.writeNumberText(number.description)
        case .float(let number):
            self.writeNumberText(number.description)
        case .bool(let flag):
            self.bytes.append(contentsOf: flag ? StoreJSONWriter.trueText : StoreJSONWriter.falseText)
        case .null:
            self.bytes.append(contentsOf: StoreJSONWriter.nullText)
        case .object(let object):
            try self.writeObject(object)
        case .array(let array):
            self.bytes.append(UInt8(ascii: "["))
            for (index, element) in array.values.enumerated() {
                if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
                try self.write(element)
            }
            self.bytes.append(UInt8(ascii: "]"))
        case .deferred(let encoder):
            try self.write(encoder.value ?? .object(StoreJSONObject()))
        }
    }

    private mutating func writeObject(_ object: StoreJSONObject) throws {
        StoreJSONWriter.sort(&object.members)
        let members = object.members
        self.bytes.append(UInt8(ascii: "{"))
        var first = true
        for index in members.indices {
            // Of equal keys (sorted in the order they were encoded) only the last is written.
            if index + 1 < members.count, members[index + 1].key == members[index].key { continue }
            if !first { self.bytes.append(UInt8(ascii: ",")) }
            first = false
            self.writeString(members[index].key)
            self.bytes.append(UInt8(ascii: ":"))
            try self.write(members[index].value)
        }
        self.bytes.append(UInt8(ascii: "}"))
    }

    /// Sorts `members` by key in UTF-8 byte order, equal keys in the order they were encoded.
    static func sort(_ members: inout [(key: String, value: StoreJSONValue)]) {
        // Insertion sort: objects are small; stable by construction.
        var index = 1
        while index < members.count {
            var slot = index
            while slot > 0, StoreJSONWriter.precedes(members[slot].key, members[slot - 1].key) {
                members.swapAt(slot, slot - 1)
                slot -= 1
            }
            index += 1
        }
    }

    /// Whether `left` comes before `right` in UTF-8 byte order.
    static func precedes(_ left: String, _ right: String) -> Bool {
        var left = left
        var right = right
        return left.withUTF8 { leftBytes in
            right.withUTF8 { rightBytes in
                let common = min(leftBytes.count, rightBytes.count)
                var index = 0
                while index < common {
                    if leftBytes[index] != rightBytes[index] { return leftBytes[index] < rightBytes[index] }
                    index += 1
                }
                return leftBytes.count < rightBytes.count
            }
        }
    }

    private mutating func writeNumberText(_ text: String) {
        if text.hasSuffix(".0") {
            self.bytes.append(contentsOf: text.utf8.dropLast(2))
        } else {
            self.bytes.append(contentsOf: text.utf8)
        }
    }

    private mutating func writeInteger(_ number: Int64) {
        StoreJSONWriter.appendInteger(number, to: &self.bytes)
    }

    private mutating func writeUnsigned(_ number: UInt64) {
        StoreJSONWriter.appendUnsigned(number, to: &self.bytes)
    }

    private mutating func writeString(_ text: String) {
        StoreJSONWriter.appendString(text, to: &self.bytes)
    }

    /// Appends `number` in decimal, as Foundation writes an integer.
    static func appendInteger(_ number: Int64, to bytes: inout [UInt8]) {
        if number < 0 {
            bytes.append(UInt8(ascii: "-"))
            StoreJSONWriter.appendUnsigned(number.magnitude, to: &bytes)
        } else {
            StoreJSONWriter.appendUnsigned(UInt64(number), to: &bytes)
        }
    }

    /// Appends `number` in decimal.
    static func appendUnsigned(_ number: UInt64, to bytes: inout [UInt8]) {
        if number < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(number))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes: room for 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var rest = number
            var end = buffer.count
            while rest > 0 {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: buffer[end...])
        }
    }

    /// Appends `text` as a JSON string: `"` and `\` escaped, `\b \f \n \r \t` for those controls, other
    /// controls `\u00xx` (lowercase hex); `/`, DEL and everything beyond ASCII as they are (UTF-8).
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        bytes.append(UInt8(ascii: "\""))
        text.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index { bytes.append(contentsOf: utf8[start..<index]) }
                start = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    bytes.append(JSONOutput.hexDigit(byte >> 4))
                    bytes.append(JSONOutput.hexDigit(byte & 0x0F))
                }
            }
            if start < utf8.count { bytes.append(contentsOf: utf8[start...]) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    static let trueText: [UInt8] = Array("true".utf8)
    static let falseText: [UInt8] = Array("false".utf8)
    private static let nullText: [UInt8] = Array("null".utf8)
}
