import Foundation

/// The keyed container of ``StoreValueEncoder``: members go into a ``StoreJSONObject``.
struct StoreKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: StoreValueEncoder
    let object: StoreJSONObject
    let path: StoreCodingPath?

    var codingPath: [any CodingKey] { StoreCodingPath.keys(self.path) }

    mutating func encodeNil(forKey key: Key) throws { self.object.append(key.stringValue, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { self.object.append(key.stringValue, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws {
        self.object.append(key.stringValue, .string(value))
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        self.object.append(key.stringValue, try StoreValueEncoder.double(value))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        self.object.append(key.stringValue, try StoreValueEncoder.float(value))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        self.object.append(key.stringValue, .integer(Int64(value)))
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        self.object.append(key.stringValue, .integer(Int64(value)))
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        self.object.append(key.stringValue, .integer(Int64(value)))
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        self.object.append(key.stringValue, .integer(Int64(value)))
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        self.object.append(key.stringValue, .integer(value))
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        self.object.append(key.stringValue, .unsigned(UInt64(value)))
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        self.object.append(key.stringValue, .unsigned(UInt64(value)))
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        self.object.append(key.stringValue, .unsigned(UInt64(value)))
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        self.object.append(key.stringValue, .unsigned(UInt64(value)))
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        self.object.append(key.stringValue, .unsigned(value))
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        self.object.append(key.stringValue, try self.encoder.box(value, parent: self.path, key: key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = StoreJSONObject()
        self.object.append(key.stringValue, .object(nested))
        let path = StoreCodingPath(parent: self.path, key: key)
        return KeyedEncodingContainer(StoreKeyedContainer<NestedKey>(encoder: self.encoder, object: nested, path: path))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = StoreJSONArray()
        self.object.append(key.stringValue, .array(nested))
        return StoreUnkeyedContainer(
            encoder: self.encoder, array: nested, path: StoreCodingPath(parent: self.path, key: key))
    }

    mutating func superEncoder() -> any Encoder {
        self.superEncoder(named: StoreCodingKey.superKey)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        self.superEncoder(named: key)
    }

    private mutating func superEncoder(named key: any CodingKey) -> any Encoder {
        let encoder = StoreValueEncoder(path: StoreCodingPath(parent: self.path, key: key))
        self.object.append(key.stringValue, .deferred(encoder))
        return encoder
    }
}

/// The unkeyed container of ``StoreValueEncoder``: elements go into a ``StoreJSONArray``.
struct StoreUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: StoreValueEncoder
    let array: StoreJSONArray
    let path: StoreCodingPath?

    var codingPath: [any CodingKey] { StoreCodingPath.keys(self.path) }
    var count: Int { self.array.values.count }

    private var nextKey: StoreCodingKey { StoreCodingKey(intValue: self.array.values.count) }

    mutating func encodeNil() throws { self.array.values.append(.null) }
    mutating func encode(_ value: Bool) throws { self.array.values.append(.bool(value)) }
    mutating func encode(_ value: String) throws { self.array.values.append(.string(value)) }
    mutating func encode(_ value: Double) throws { self.array.values.append(try StoreValueEncoder.double(value)) }
    mutating func encode(_ value: Float) throws { self.array.values.append(try StoreValueEncoder.float(value)) }
    mutating func encode(_ value: Int) throws { self.array.values.append(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { self.array.values.append(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { self.array.values.append(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { self.array.values.append(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { self.array.values.append(.integer(value)) }
    mutating func encode(_ value: UInt) throws { self.array.values.append(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { self.array.values.append(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt16) throws { self.array.values.append(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt32) throws { self.array.values.append(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt64) throws { self.array.values.append(.unsigned(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let boxed = try self.encoder.box(value, parent: self.path, key: self.nextKey)
        self.array.values.append(boxed)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let path = StoreCodingPath(parent: self.path, key: self.nextKey)
        let nested = StoreJSONObject()
        self.array.values.append(.object(nested))
        return KeyedEncodingContainer(StoreKeyedContainer<NestedKey>(encoder: self.encoder, object: nested, path: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = StoreCodingPath(parent: self.path, key: self.nextKey)
        let nested = StoreJSONArray()
        self.array.values.append(.array(nested))
        return StoreUnkeyedContainer(encoder: self.encoder, array: nested, path: path)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = StoreValueEncoder(path: StoreCodingPath(parent: self.path, key: self.nextKey))
        self.array.values.append(.deferred(encoder))
        return encoder
    }
}

/// The single-value container of ``StoreValueEncoder``: the value becomes the encoder's value.
struct StoreSingleValueContainer: SingleValueEncodingContainer {
    let encoder: StoreValueEncoder

    var codingPath: [any CodingKey] { self.encoder.codingPath }

    mutating func encodeNil() throws { self.encoder.value = .null }
    mutating func encode(_ value: Bool) throws { self.encoder.value = .bool(value) }
    mutating func encode(_ value: String) throws { self.encoder.value = .string(value) }
    mutating func encode(_ value: Double) throws { self.encoder.value = try StoreValueEncoder.double(value) }
    mutating func encode(_ value: Float) throws { self.encoder.value = try StoreValueEncoder.float(value) }
    mutating func encode(_ value: Int) throws { self.encoder.value = .integer(Int64(value)) }
    mutating func encode(_ value: Int8) throws { self.encoder.value = .integer(Int64(value)) }
    mutating func encode(_ value: Int16) throws { self.encoder.value = .integer(Int64(value)) }
    mutating func encode(_ value: Int32) throws { self.encoder.value = .integer(Int64(value)) }
    mutating func encode(_ value: Int64) throws { self.encoder.value = .integer(value) }
    mutating func encode(_ value: UInt) throws { self.encoder.value = .unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { self.encoder.value = .unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { self.encoder.value = .unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { self.encoder.value = .unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { self.encoder.value = .unsigned(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        self.encoder.value = try self.encoder.boxInPlace(value)
    }
}
