/// The batch as bytes, to keep it where every instance reads it: a magic line, then each column as its count
/// (8 bytes, little-endian) and its values in the machine's own little-endian layout. Reading copies the columns
/// back with no parsing, so a province's registry loads in a second or two.
extension RegistryBatch {
    /// The first bytes of a serialized batch; a new layout gets a new version.
    package static let magic = Array("WQREG1\n".utf8)

    /// The batch as bytes.
    package func serialized() -> [UInt8] {
        var writer = ColumnWriter(bytes: Self.magic)
        writer.write(self.pool.bytes)
        writer.write(self.pool.ends)
        writer.write(self.eventKindCode)
        writer.write(self.eventKindTitle)
        writer.write(self.patents)
        writer.write(self.eventAnnounced)
        writer.write(self.eventEffective)
        writer.write(self.eventKind)
        writer.write(self.eventInfo)
        writer.write(self.flowKindBusiness)
        writer.write(self.flowKindStep)
        writer.write(self.flowKindOutcome)
        writer.write(self.trademarks)
        writer.write(self.rowDate)
        writer.write(self.rowKind)
        return writer.bytes
    }

    /// Reads serialized bytes; throws when they are not a whole batch of this version, or do not hang together.
    package init(serialized bytes: [UInt8]) throws(RegistryImportError) {
        guard bytes.starts(with: Self.magic) else {
            throw RegistryImportError("not registry data of this version (expected \"WQREG1\")")
        }
        var reader = ColumnReader(bytes: bytes, offset: Self.magic.count)
        self.init()
        self.pool = StringPool(bytes: try reader.read(), ends: try reader.read())
        self.eventKindCode = try reader.read()
        self.eventKindTitle = try reader.read()
        self.patents = try reader.read()
        self.eventAnnounced = try reader.read()
        self.eventEffective = try reader.read()
        self.eventKind = try reader.read()
        self.eventInfo = try reader.read()
        self.flowKindBusiness = try reader.read()
        self.flowKindStep = try reader.read()
        self.flowKindOutcome = try reader.read()
        self.trademarks = try reader.read()
        self.rowDate = try reader.read()
        self.rowKind = try reader.read()
        guard reader.offset == bytes.count else { throw RegistryImportError("registry data has trailing bytes") }
        try self.check()
    }

    /// Every index points inside its column: a damaged file is refused, not read out of bounds later.
    private func check() throws(RegistryImportError) {
        let stringCount = self.pool.ends.count
        let consistent =
            self.pool.ends.first == 0 && self.pool.ends.last.map { Int($0) == self.pool.bytes.count } == true
            && zip(self.pool.ends, self.pool.ends.dropFirst()).allSatisfy { $0 <= $1 }
            && self.patents.isConsistent(entryCount: self.eventAnnounced.count, stringCount: stringCount)
            && self.trademarks.isConsistent(entryCount: self.rowDate.count, stringCount: stringCount)
            && [self.eventEffective.count, self.eventKind.count, self.eventInfo.count].allSatisfy {
                $0 == self.eventAnnounced.count
            }
            && self.rowKind.count == self.rowDate.count
            && self.eventKindTitle.count == self.eventKindCode.count
            && self.flowKindStep.count == self.flowKindBusiness.count
            && self.flowKindOutcome.count == self.flowKindBusiness.count
            && self.eventKind.allSatisfy { Int($0) < self.eventKindCode.count }
            && self.rowKind.allSatisfy { Int($0) < self.flowKindBusiness.count }
            && [
                self.eventKindCode, self.eventKindTitle, self.eventInfo, self.flowKindBusiness, self.flowKindStep,
                self.flowKindOutcome,
            ].allSatisfy { $0.allSatisfy { Int($0) < stringCount } }
        guard consistent else { throw RegistryImportError("registry data is damaged (its columns do not agree)") }
    }
}

private struct ColumnWriter {
    var bytes: [UInt8]

    mutating func write(_ rights: RightColumns) {
        self.write(rights.keys)
        self.write(rights.dates)
        self.write(rights.titles)
        self.write(rights.holders)
        self.write(rights.asOf)
        self.write(rights.ends)
    }

    mutating func write<Value: FixedWidthInteger>(_ column: [Value]) {
        var count = UInt64(column.count).littleEndian
        withUnsafeBytes(of: &count) { self.bytes.append(contentsOf: $0) }
        column.withUnsafeBytes { self.bytes.append(contentsOf: $0) }
    }
}

private struct ColumnReader {
    let bytes: [UInt8]
    var offset: Int

    mutating func read() throws(RegistryImportError) -> RightColumns {
        var rights = RightColumns()
        rights.keys = try self.read()
        rights.dates = try self.read()
        rights.titles = try self.read()
        rights.holders = try self.read()
        rights.asOf = try self.read()
        rights.ends = try self.read()
        return rights
    }

    mutating func read<Value: FixedWidthInteger>() throws(RegistryImportError) -> [Value] {
        guard self.offset + 8 <= self.bytes.count else { throw RegistryImportError("registry data is cut short") }
        var count: UInt64 = 0
        for index in 0..<8 { count |= UInt64(self.bytes[self.offset + index]) << (8 * UInt64(index)) }
        self.offset += 8
        let (length, overflow) = Int(clamping: count).multipliedReportingOverflow(by: MemoryLayout<Value>.size)
        guard !overflow, length <= self.bytes.count - self.offset else {
            throw RegistryImportError("registry data is cut short")
        }
        let start = self.offset
        let column = [Value](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
            self.bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: raw[start..<start + length]))
            }
            initialized = Int(count)
        }
        self.offset += length
        return column
    }
}
