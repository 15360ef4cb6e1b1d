/// Finds patent and trademark numbers, mobile numbers, case ids, the IP type and the region in one
/// normalised message.
///
/// Everything is precomputed in `init`; ``extract(from:currentYear:)`` makes one pass over the UTF-8 bytes
/// with a byte trie for words and small hand-written scanners for numbers.
public struct EntityExtractor: Sendable {
    /// What a word in the trie stands for.
    private enum Entry: Sendable {
        case ipType(IPType)
        case region(Int)
        /// `商标`: numbers in `第…号` and after `注册号` count as trademark numbers.
        case trademarkContext
        /// A word about patents: a bare 12-digit number (or an 8-digit one) counts as a patent number.
        case patentContext
        /// A label after which a trademark number may follow; `needsContext` when it is not specific
        /// to trademarks (`注册号`, `申请号`).
        case trademarkLabel(needsContext: Bool)
        /// `商标` itself: a number of at least four digits right after it ("查商标16435657") is a
        /// trademark number; shorter ones are counts ("商标3个").
        case trademarkWord
    }

    /// Words the extractor always knows, besides the lexicon and the regions.
    private static let builtInWords: [(String, Entry)] = [
        ("商标", .trademarkContext),
        ("商标", .trademarkWord),
        ("商标注册号", .trademarkLabel(needsContext: false)),
        ("商标申请号", .trademarkLabel(needsContext: false)),
        ("商标号", .trademarkLabel(needsContext: false)),
        ("商标号码", .trademarkLabel(needsContext: false)),
        ("注册号", .trademarkLabel(needsContext: true)),
        ("申请号", .trademarkLabel(needsContext: true)),
        ("专利", .patentContext),
        ("申请号", .patentContext),
    ]

    private let trie: ByteTrie
    /// What each trie word stands for, by word index.
    private let entries: [[Entry]]
    /// Length of each trie word in scalars (for "longest match wins").
    private let scalarLengths: [Int]
    /// Canonical region names, by region index.
    private let regionNames: [String]

    /// Prepares the matcher. Region names, aliases and lexicon words are normalised with ``TextNormalizer``.
    public init(regions: [Region], ipTypes: IPTypeLexicon) {
        let normalizer = TextNormalizer()
        var wordIndex: [String: Int] = [:]
        var words: [String] = []
        var entries: [[Entry]] = []
        func add(_ word: String, _ entry: Entry) {
            let normalized = normalizer.normalize(word)
            guard !normalized.isEmpty else { return }
            if let index = wordIndex[normalized] {
                entries[index].append(entry)
            } else {
                wordIndex[normalized] = words.count
                words.append(normalized)
                entries.append([entry])
            }
        }
        for (word, entry) in Self.builtInWords {
            add(word, entry)
        }
        for type in IPType.allCases {
            for word in ipTypes.synonyms[type] ?? [] {
                add(word, .ipType(type))
                if type == .patent {
                    add(word, .patentContext)
                }
            }
        }
        for (index, region) in regions.enumerated() {
            for name in region.allNames {
                add(name, .region(index))
            }
        }
        self.trie = ByteTrie(words: words)
        self.entries = entries
        self.scalarLengths = words.map { $0.unicodeScalars.count }
        self.regionNames = regions.map(\.name)
    }

    /// Extracts the entities of one message.
    ///
    /// `text` is already normalised by ``TextNormalizer`` (lower-case, half-width, simplified).
    /// `currentYear` bounds the year of 12-digit patent numbers. For each kind of number the first one in
    /// the text is kept; the IP type and the region are the longest word found (the first on ties). With no
    /// IP type word, a patent number implies `.patent` and a trademark number `.trademark`.
    public func extract(from text: String, currentYear: Int) -> ExtractedEntities {
        TextBytes.withBytes(text) { bytes in
            var scan = Scan(currentYear: currentYear)
            self.run(&scan, over: bytes)
            return scan.finish(regionNames: self.regionNames)
        }
    }

    private func run(_ scan: inout Scan, over bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        var numberSkip = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte & 0xC0 == 0x80 {
                index += 1
                continue
            }
            if self.trie.mayStart(with: byte) {
                self.trie.forEachMatch(in: bytes, at: index) { word, end in
                    for entry in self.entries[word] {
                        if let skip = self.apply(
                            entry, start: index, end: end, length: self.scalarLengths[word],
                            bytes: bytes, to: &scan)
                        {
                            numberSkip = max(numberSkip, skip)
                        }
                    }
                }
            }
            if index >= numberSkip, let end = self.scanNumber(at: index, in: bytes, into: &scan) {
                numberSkip = end
            }
            index += 1
        }
    }

    /// Records a word match; returns the end of a trademark number read after a label, if any.
    private func apply(
        _ entry: Entry, start: Int, end: Int, length: Int, bytes: UnsafeBufferPointer<UInt8>, to scan: inout Scan
    ) -> Int? {
        switch entry {
        case .ipType(let type):
            if length > scan.ipTypeLength {
                scan.ipType = type
                scan.ipTypeLength = length
            }
        case .region(let region):
            if length > scan.regionLength {
                scan.region = region
                scan.regionLength = length
            }
        case .trademarkContext:
            scan.trademarkContext = true
        case .patentContext:
            scan.patentContext = true
        case .trademarkLabel(let needsContext):
            let numberStart = TextBytes.skipLabelSeparators(bytes, from: end)
            guard let match = TrademarkNumberScanner.scan(bytes, at: numberStart, requireOrdinalClose: false) else {
                return nil
            }
            if needsContext && match.number.prefix.isEmpty {
                scan.noteConditionalTrademark(match.number)
                return nil
            }
            scan.noteTrademark(match.number)
            return match.end
        case .trademarkWord:
            let numberStart = TextBytes.skipLabelSeparators(bytes, from: end)
            guard
                let match = TrademarkNumberScanner.scan(
                    bytes, at: numberStart, minimumDigits: 4, requireOrdinalClose: false
                )
            else {
                return nil
            }
            scan.noteTrademark(match.number)
            return match.end
        }
        return nil
    }

    /// Tries the number scanners at `index`; returns the end of what was consumed.
    private func scanNumber(at index: Int, in bytes: UnsafeBufferPointer<UInt8>, into scan: inout Scan) -> Int? {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "w"):
            guard !TextBytes.letter(bytes, index - 1), let match = CaseID.scan(bytes, at: index) else { return nil }
            if scan.caseID == nil {
                scan.caseID = match.id
            }
            return match.end
        case UInt8(ascii: "c"), UInt8(ascii: "z"):
            guard !TextBytes.letter(bytes, index - 1),
                let candidate = PatentNumberScanner.scan(bytes, at: index, lenient: false), candidate.hasPrefix
            else {
                return nil
            }
            return scan.notePatent(candidate) ? candidate.end : nil
        case UInt8(ascii: "g"):
            guard !TextBytes.alphanumeric(bytes, index - 1),
                let match = TrademarkNumberScanner.scan(bytes, at: index, minimumDigits: 6, requireOrdinalClose: true)
            else {
                return nil
            }
            scan.noteTrademark(match.number)
            return match.end
        case UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard !TextBytes.digit(bytes, index - 1) else { return nil }
            if let match = MobileNumber.scan(bytes, at: index) {
                if scan.phone == nil {
                    scan.phone = match.digits
                }
                return match.end
            }
            guard TextBytes.isDigit(byte), let candidate = PatentNumberScanner.scan(bytes, at: index, lenient: false)
            else {
                return nil
            }
            return scan.notePatent(candidate) ? candidate.end : nil
        case 0xE7:
            guard TextBytes.has("第", in: bytes, at: index),
                let match = TrademarkNumberScanner.scan(bytes, at: index, requireOrdinalClose: true)
            else {
                return nil
            }
            if match.number.prefix.isEmpty {
                scan.noteConditionalTrademark(match.number)
                return nil
            }
            scan.noteTrademark(match.number)
            return match.end
        default:
            return nil
        }
    }
}

extension EntityExtractor {
    /// The state of one ``extract(from:currentYear:)`` pass.
    fileprivate struct Scan {
        let currentYear: Int
        var patentNumber: String?
        var patentNumberInvalid: String?
        /// A patent-like number that counts only if the text talks about patents.
        var pendingPatent: Result<PatentApplicationNumber, PatentNumberProblem>?
        var pendingPatentDigits = ""
        var trademarkNumber: String?
        /// A trademark-like number that counts only if the text mentions 商标.
        var conditionalTrademark: String?
        var phone: String?
        var caseID: CaseID?
        var ipType: IPType?
        var ipTypeLength = 0
        var region: Int?
        var regionLength = 0
        var trademarkContext = false
        var patentContext = false

        init(currentYear: Int) {
            self.currentYear = currentYear
        }

        mutating func noteTrademark(_ number: TrademarkNumber) {
            if self.trademarkNumber == nil {
                self.trademarkNumber = number.canonical
            }
        }

        mutating func noteConditionalTrademark(_ number: TrademarkNumber) {
            if self.conditionalTrademark == nil {
                self.conditionalTrademark = number.canonical
            }
        }

        /// Classifies a patent candidate; returns whether it was taken as a patent number (even a wrong one).
        mutating func notePatent(_ candidate: PatentNumberScanner.Candidate) -> Bool {
            let body = candidate.body
            let written = PatentNumberScanner.writtenDigits(candidate)
            if candidate.hasPrefix {
                if body.count == 12 || body.count == 8 {
                    self.record(
                        PatentNumberValidator.validate(
                            body: body, check: candidate.check, currentYear: self.currentYear),
                        written: written)
                    return true
                }
                if (7...14).contains(candidate.digitCount) {
                    self.record(.failure(.wrongLength), written: written)
                    return true
                }
                return false
            }
            guard body.count == 12 || body.count == 8,
                PatentNumberValidator.hasPlausibleYearAndType(body: body, currentYear: self.currentYear)
            else {
                return false
            }
            let result = PatentNumberValidator.validate(
                body: body, check: candidate.check, currentYear: self.currentYear)
            if candidate.explicitCheck {
                self.record(result, written: written)
                return true
            }
            if candidate.check != nil {
                // 13 or 9 running digits: only a right check digit on a 12-digit body makes it a patent number.
                guard body.count == 12, case .success = result else { return false }
                self.record(result, written: written)
                return true
            }
            if self.pendingPatent == nil {
                self.pendingPatent = result
                self.pendingPatentDigits = written
            }
            return true
        }

        private mutating func record(_ result: Result<PatentApplicationNumber, PatentNumberProblem>, written: String) {
            switch result {
            case .success(let number):
                if self.patentNumber == nil {
                    self.patentNumber = number.canonical
                }
            case .failure:
                if self.patentNumberInvalid == nil {
                    self.patentNumberInvalid = written
                }
            }
        }

        mutating func finish(regionNames: [String]) -> ExtractedEntities {
            if self.patentContext, let pending = self.pendingPatent {
                self.record(pending, written: self.pendingPatentDigits)
            }
            if self.trademarkNumber == nil && self.trademarkContext {
                self.trademarkNumber = self.conditionalTrademark
            }
            var type = self.ipType
            if type == nil {
                if self.patentNumber != nil || self.patentNumberInvalid != nil {
                    type = .patent
                } else if self.trademarkNumber != nil {
                    type = .trademark
                }
            }
            return ExtractedEntities(
                patentNumber: self.patentNumber, patentNumberInvalid: self.patentNumberInvalid,
                trademarkNumber: self.trademarkNumber, ipType: type, phone: self.phone,
                region: self.region.map { regionNames[$0] }, caseID: self.caseID)
        }
    }
}
