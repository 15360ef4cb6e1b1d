import Foundation

/// A JSON encoder for typed documents that writes the same bytes as ``StoreCoding/encoder`` (Foundation's
/// `JSONEncoder` with sorted keys, unescaped slashes and the store's date text), several times faster.
///
/// Foundation boxes every value into a tree of references before it writes; this encoder collects a lighter
/// tree (strings and numbers kept unboxed, one object per keyed or unkeyed container) and writes it straight
/// into a byte buffer. Keys are sorted as Foundation sorts them on this platform: by their UTF-8 bytes (found by
/// the differential tests, `StoreJSONEncoderTests`). A key written twice keeps its last value, as in Foundation.
///
/// What it does not write exactly (`Data`, `URL`, `Decimal`, a value that encodes nothing at the top level, a
/// floating-point value that is not finite) throws ``Unsupported``; ``StoreCoding/encode(_:)`` then encodes the
/// whole document with Foundation, so the result, or the error, is Foundation's.
enum StoreJSONEncoder {
    /// A value this encoder does not write byte-for-byte as Foundation does; the caller falls back to Foundation.
    struct Unsupported: Error, CustomStringConvertible {
        /// What was met, such as `Data`.
        var what: String
        var description: String { "the store's encoder does not write \(what); Foundation's encoder must" }
    }

    /// `value` as JSON bytes on one line; throws ``Unsupported`` or the error `value`'s encoding throws.
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = StoreValueEncoder(path: nil)
        guard let root = try encoder.topLevel(value) else {
            throw Unsupported(what: "a top-level \(T.self) that encodes nothing")
        }
        var writer = StoreJSONWriter()
        try writer.write(root)
        return writer.bytes
    }
}

/// One value of the tree the encoder collects before writing.
enum StoreJSONValue {
    case string(String)
    case integer(Int64)
    case unsigned(UInt64)
    case double(Double)
    case float(Float)
    case bool(Bool)
    case null
    case object(StoreJSONObject)
    case array(StoreJSONArray)
    /// A `superEncoder`'s value, known once the whole document has been encoded (`{}` if it encoded nothing).
    case deferred(StoreValueEncoder)
}

/// A keyed container's members in the order they were encoded; sorted when written.
final class StoreJSONObject {
    var members: [(key: String, value: StoreJSONValue)] = []

    func append(_ key: String, _ value: StoreJSONValue) {
        self.members.append((key, value))
    }
}

/// An unkeyed container's elements.
final class StoreJSONArray {
    var values: [StoreJSONValue] = []
}

/// The coding path as a linked list, so a nested value costs one small node rather than an array copy.
final class StoreCodingPath {
    let parent: StoreCodingPath?
    let key: any CodingKey

    init(parent: StoreCodingPath?, key: any CodingKey) {
        self.parent = parent
        self.key = key
    }

    /// The path from the top-level value down to `path` (empty for nil).
    static func keys(_ path: StoreCodingPath?) -> [any CodingKey] {
        var keys: [any CodingKey] = []
        var node = path
        while let current = node {
            keys.append(current.key)
            node = current.parent
        }
        return keys.reversed()
    }
}

/// A coding key made by the encoder: `super`, or an unkeyed container's `Index n`.
struct StoreCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
    }

    static let superKey = StoreCodingKey(stringValue: "super")
}

/// The `Encoder` handed to `encode(to:)`. One instance serves a value and, in turn, every nested value encoded
/// through its containers (the current value and path are saved and restored around each); a `superEncoder`
/// gets an instance of its own.
final class StoreValueEncoder: Encoder {
    /// What the value being encoded has made so far (nil: nothing yet).
    var value: StoreJSONValue?
    /// Where that value is in the document, but for ``pendingKey``.
    var path: StoreCodingPath?
    /// The last key of the value's path, not yet made a ``StoreCodingPath`` node: most values (identifiers,
    /// enumerations with raw values) never ask for their path, and so never make one.
    var pendingKey: (any CodingKey)?

    init(path: StoreCodingPath?) {
        self.path = path
    }

    var codingPath: [any CodingKey] { StoreCodingPath.keys(self.currentPath()) }

    /// The value's whole path, as a node (made now if its last key was pending).
    func currentPath() -> StoreCodingPath? {
        if let key = self.pendingKey {
            self.path = StoreCodingPath(parent: self.path, key: key)
            self.pendingKey = nil
        }
        return self.path
    }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: StoreJSONObject
        if case .object(let existing)? = self.value {
            object = existing
        } else {
            object = StoreJSONObject()
            self.value = .object(object)
        }
        return KeyedEncodingContainer(StoreKeyedContainer<Key>(encoder: self, object: object, path: self.currentPath()))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: StoreJSONArray
        if case .array(let existing)? = self.value {
            array = existing
        } else {
            array = StoreJSONArray()
            self.value = .array(array)
        }
        return StoreUnkeyedContainer(encoder: self, array: array, path: self.currentPath())
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StoreSingleValueContainer(encoder: self)
    }

    /// The top-level value, or nil if it encoded nothing.
    func topLevel<T: Encodable>(_ value: T) throws -> StoreJSONValue? {
        if let simple = try self.simple(value) { return simple }
        try value.encode(to: self)
        return self.value
    }

    /// `value` as a tree value, at `key` below `parent`.
    func box<T: Encodable>(_ value: T, parent: StoreCodingPath?, key: any CodingKey) throws -> StoreJSONValue {
        if let simple = try self.simple(value) { return simple }
        let savedValue = self.value
        let savedPath = self.path
        let savedKey = self.pendingKey
        self.value = nil
        self.path = parent
        self.pendingKey = key
        defer {
            self.value = savedValue
            self.path = savedPath
            self.pendingKey = savedKey
        }
        try value.encode(to: self)
        // A nested value that encodes nothing is written `{}`, as Foundation does.
        return self.value ?? .object(StoreJSONObject())
    }

    /// `value` as a tree value at the encoder's own path (a single-value container's value).
    func boxInPlace<T: Encodable>(_ value: T) throws -> StoreJSONValue {
        if let simple = try self.simple(value) { return simple }
        let savedValue = self.value
        self.value = nil
        defer { self.value = savedValue }
        try value.encode(to: self)
        // A nested value that encodes nothing is written `{}`, as Foundation does.
        return self.value ?? .object(StoreJSONObject())
    }

    /// The value of the types Foundation's encoder treats itself (and of the common leaves, without a call to
    /// `encode(to:)`); nil for any other type.
    private func simple<T: Encodable>(_ value: T) throws -> StoreJSONValue? {
        if T.self == String.self, let text = value as? String { return .string(text) }
        if T.self == Int.self, let number = value as? Int { return .integer(Int64(number)) }
        if T.self == Bool.self, let flag = value as? Bool { return .bool(flag) }
        if T.self == Date.self, let date = value as? Date { return .string(StoreCoding.text(of: date)) }
        if T.self == Double.self, let number = value as? Double { return try StoreValueEncoder.double(number) }
        if T.self == Data.self { throw StoreJSONEncoder.Unsupported(what: "Data") }
        if T.self == URL.self { throw StoreJSONEncoder.Unsupported(what: "URL") }
        if T.self == Decimal.self { throw StoreJSONEncoder.Unsupported(what: "Decimal") }
        if T.self == NSNumber.self || T.self == NSDate.self || T.self == NSURL.self {
            throw StoreJSONEncoder.Unsupported(what: "\(T.self)")
        }
        return nil
    }

    static func double(_ number: Double) throws -> StoreJSONValue {
        guard number.isFinite else { throw StoreJSONEncoder.Unsupported(what: "a Double that is not finite") }
        return .double(number)
    }

    static func float(_ number: Float) throws -> StoreJSONValue {
        guard number.isFinite else { throw StoreJSONEncoder.Unsupported(what: "a Float that is not finite") }
        return .float(number)
    }
}
