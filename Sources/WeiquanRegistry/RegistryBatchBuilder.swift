import WeiquanCore

/// Collects patents' events and trademarks' flow rows in any order, from one file or several sources, and makes
/// the sorted, compact ``RegistryBatch``.
///
/// - Rows of one right may be anywhere in the input; they are grouped by key.
/// - The same event (same day, effective day, wording and text) given twice — a re-import, or two sources that
///   overlap — is kept once.
/// - A right's facts (filing or registration day, title, holder) come from its latest data: the latest as-of day,
///   and within one as-of day the row read last; a fact a later row leaves blank keeps its earlier value.
package struct RegistryBatchBuilder {
    /// The builder's texts: titles and free text as they come, holders once each.
    private struct Strings {
        var pool = StringPool()
        /// Holders repeat (a company holds many rights): each is kept once.
        var holders: [String: UInt32] = [:]

        mutating func holder(_ holder: String?) -> UInt32 {
            guard let holder, !holder.isEmpty else { return 0 }
            if let id = self.holders[holder] { return id }
            let id = self.pool.add(holder)
            self.holders[holder] = id
            return id
        }
    }

    /// The facts of one kind of right, staged as they come.
    private struct FactsStage {
        var facts: [Facts] = []
        /// The last facts staged: rows of one right usually follow each other and repeat its facts.
        var last: (key: UInt64, asOf: Int32, date: Int32, title: String?, holder: String?)?

        /// Stages a right's facts, unless they repeat the last ones staged.
        mutating func stage(
            key: UInt64, sequence: UInt32, asOf: CalendarDay, date: CalendarDay?, title: String?, holder: String?,
            strings: inout Strings
        ) {
            let asOfDay = Int32(asOf.dayNumber)
            let day = date.map { Int32($0.dayNumber) } ?? RegistryBatch.noDay
            if let last = self.last, last.key == key, last.asOf == asOfDay, last.date == day, last.title == title,
                last.holder == holder
            {
                return
            }
            self.facts.append(
                Facts(
                    key: key, sequence: sequence, asOf: asOfDay, date: day, title: strings.pool.add(title),
                    holder: strings.holder(holder)))
            self.last = (key, asOfDay, day, title, holder)
        }
    }

    private struct Facts {
        var key: UInt64
        var sequence: UInt32
        var asOf: Int32
        var date: Int32
        var title: UInt32
        var holder: UInt32
    }

    private struct Entry {
        var key: UInt64
        var sequence: UInt32
        var day: Int32
        var effective: Int32
        var kind: UInt32
        var info: UInt32
    }

    private var strings = Strings()
    private var eventKinds: [String: UInt32] = [:]
    private var eventKindCode: [UInt32] = []
    private var eventKindTitle: [UInt32] = []
    private var flowKinds: [String: UInt32] = [:]
    private var flowKindBusiness: [UInt32] = []
    private var flowKindStep: [UInt32] = []
    private var flowKindOutcome: [UInt32] = []
    private var patentStage = FactsStage()
    private var trademarkStage = FactsStage()
    private var events: [Entry] = []
    private var rows: [Entry] = []
    private var sequence: UInt32 = 0

    package init() {}

    /// Takes in a patent's facts (any of them may be nil) and, when given, one of its events.
    package mutating func addPatent(
        key: UInt64, asOf: CalendarDay, filing: CalendarDay?, title: String?, holder: String?, event: PatentEvent?
    ) {
        self.sequence &+= 1
        self.patentStage.stage(
            key: key, sequence: self.sequence, asOf: asOf, date: filing, title: title, holder: holder,
            strings: &self.strings)
        guard let event else { return }
        let kind = self.eventKind(code: event.code, title: event.title)
        self.events.append(
            Entry(
                key: key, sequence: self.sequence, day: Int32(event.announced.dayNumber),
                effective: event.effective.map { Int32($0.dayNumber) } ?? RegistryBatch.noDay, kind: kind,
                info: self.strings.pool.add(event.info)))
    }

    /// Takes in a trademark's facts and, when given, one of its flow rows.
    package mutating func addTrademark(
        key: UInt64, asOf: CalendarDay, registered: CalendarDay?, title: String?, holder: String?,
        row: TrademarkFlowRow?
    ) {
        self.sequence &+= 1
        self.trademarkStage.stage(
            key: key, sequence: self.sequence, asOf: asOf, date: registered, title: title, holder: holder,
            strings: &self.strings)
        guard let row else { return }
        let kind = self.flowKind(business: row.business, step: row.step, outcome: row.outcome)
        self.rows.append(
            Entry(
                key: key, sequence: self.sequence, day: Int32(row.date.dayNumber), effective: RegistryBatch.noDay,
                kind: kind, info: 0))
    }

    /// Takes in everything a batch holds (to merge sources).
    package mutating func add(_ batch: RegistryBatch) {
        var kindMap: [UInt32] = []
        for index in batch.eventKindCode.indices {
            kindMap.append(
                self.eventKind(
                    code: batch.pool.string(batch.eventKindCode[index]),
                    title: batch.pool.string(batch.eventKindTitle[index]) ?? ""))
        }
        var flowMap: [UInt32] = []
        for index in batch.flowKindBusiness.indices {
            flowMap.append(
                self.flowKind(
                    business: batch.pool.string(batch.flowKindBusiness[index]) ?? "",
                    step: batch.pool.string(batch.flowKindStep[index]) ?? "",
                    outcome: batch.pool.string(batch.flowKindOutcome[index])))
        }
        for index in 0..<batch.patentCount {
            let key = batch.patents.keys[index]
            self.patentStage.facts.append(self.facts(of: index, in: batch.patents, pool: batch.pool))
            for event in batch.events(ofPatent: index) {
                self.events.append(
                    Entry(
                        key: key, sequence: self.sequence, day: batch.eventAnnounced[event],
                        effective: batch.eventEffective[event], kind: kindMap[Int(batch.eventKind[event])],
                        info: self.strings.pool.add(batch.eventInfo[event], of: batch.pool)))
            }
        }
        for index in 0..<batch.trademarkCount {
            let key = batch.trademarks.keys[index]
            self.trademarkStage.facts.append(self.facts(of: index, in: batch.trademarks, pool: batch.pool))
            for row in batch.rows(ofTrademark: index) {
                self.rows.append(
                    Entry(
                        key: key, sequence: self.sequence, day: batch.rowDate[row], effective: RegistryBatch.noDay,
                        kind: flowMap[Int(batch.rowKind[row])], info: 0))
            }
        }
        self.patentStage.last = nil
        self.trademarkStage.last = nil
    }

    /// Right `index`'s facts, their texts copied into this builder's pool.
    private mutating func facts(of index: Int, in rights: RightColumns, pool: StringPool) -> Facts {
        self.sequence &+= 1
        return Facts(
            key: rights.keys[index], sequence: self.sequence, asOf: rights.asOf[index], date: rights.dates[index],
            title: self.strings.pool.add(rights.titles[index], of: pool),
            holder: self.strings.holder(pool.string(rights.holders[index])))
    }

    /// The sorted, compact batch.
    package func finish() -> RegistryBatch {
        var batch = RegistryBatch()
        // Exactly as large as it is (a pool grown by doubling may hold twice its bytes).
        batch.pool = StringPool(
            bytes: self.strings.pool.bytes.withUnsafeBufferPointer { Array($0) },
            ends: self.strings.pool.ends.withUnsafeBufferPointer { Array($0) })
        batch.eventKindCode = self.eventKindCode
        batch.eventKindTitle = self.eventKindTitle
        batch.flowKindBusiness = self.flowKindBusiness
        batch.flowKindStep = self.flowKindStep
        batch.flowKindOutcome = self.flowKindOutcome

        let patents = Self.group(facts: self.patentStage.facts, entries: self.events, pool: self.strings.pool)
        batch.patents = patents.rights
        batch.eventAnnounced = patents.entries.map(\.day)
        batch.eventEffective = patents.entries.map(\.effective)
        batch.eventKind = patents.entries.map(\.kind)
        batch.eventInfo = patents.entries.map(\.info)

        let trademarks = Self.group(facts: self.trademarkStage.facts, entries: self.rows, pool: self.strings.pool)
        batch.trademarks = trademarks.rights
        batch.rowDate = trademarks.entries.map(\.day)
        batch.rowKind = trademarks.entries.map(\.kind)
        return batch
    }

    private struct Grouped {
        var rights = RightColumns()
        var entries: [Entry] = []
    }

    /// Sorts facts by key, then as-of day, then order read; entries by key, day, order read; folds each key's
    /// facts and drops repeated entries.
    private static func group(facts: [Facts], entries: [Entry], pool: StringPool) -> Grouped {
        let sortedFacts = facts.sorted { ($0.key, $0.asOf, $0.sequence) < ($1.key, $1.asOf, $1.sequence) }
        let sortedEntries = entries.sorted { ($0.key, $0.day, $0.sequence) < ($1.key, $1.day, $1.sequence) }
        var grouped = Grouped()
        grouped.rights.keys.reserveCapacity(sortedFacts.count)
        grouped.entries.reserveCapacity(sortedEntries.count)
        var entryIndex = 0
        var factIndex = 0
        while factIndex < sortedFacts.count {
            var folded = sortedFacts[factIndex]
            factIndex += 1
            while factIndex < sortedFacts.count, sortedFacts[factIndex].key == folded.key {
                let later = sortedFacts[factIndex]
                folded.asOf = later.asOf
                if later.date != RegistryBatch.noDay { folded.date = later.date }
                if later.title != 0 { folded.title = later.title }
                if later.holder != 0 { folded.holder = later.holder }
                factIndex += 1
            }
            // Every entry was staged with its facts, so no entry's key is missing from the facts.
            while entryIndex < sortedEntries.count, sortedEntries[entryIndex].key < folded.key { entryIndex += 1 }
            let firstOfKey = grouped.entries.count
            while entryIndex < sortedEntries.count, sortedEntries[entryIndex].key == folded.key {
                let entry = sortedEntries[entryIndex]
                entryIndex += 1
                let repeated = grouped.entries[firstOfKey...].reversed().prefix { $0.day == entry.day }.contains {
                    $0.effective == entry.effective && $0.kind == entry.kind
                        && pool.same($0.info, as: entry.info, of: pool)
                }
                if !repeated { grouped.entries.append(entry) }
            }
            grouped.rights.append(
                key: folded.key, date: folded.date, title: folded.title, holder: folded.holder, asOf: folded.asOf,
                end: grouped.entries.count)
        }
        return grouped
    }

    private mutating func eventKind(code: String?, title: String) -> UInt32 {
        let name = (code ?? "") + "\u{1F}" + title
        if let id = self.eventKinds[name] { return id }
        let id = UInt32(self.eventKindCode.count)
        self.eventKindCode.append(self.strings.pool.add(code))
        self.eventKindTitle.append(self.strings.pool.add(title))
        self.eventKinds[name] = id
        return id
    }

    private mutating func flowKind(business: String, step: String, outcome: String?) -> UInt32 {
        let name = business + "\u{1F}" + step + "\u{1F}" + (outcome ?? "")
        if let id = self.flowKinds[name] { return id }
        let id = UInt32(self.flowKindBusiness.count)
        self.flowKindBusiness.append(self.strings.pool.add(business))
        self.flowKindStep.append(self.strings.pool.add(step))
        self.flowKindOutcome.append(self.strings.pool.add(outcome))
        self.flowKinds[name] = id
        return id
    }
}
