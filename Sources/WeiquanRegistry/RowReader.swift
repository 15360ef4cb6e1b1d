import Foundation
import WeiquanCore

/// Takes one row of an export at a time: reads its number, dates and event, refuses what cannot be read, and
/// hands the rest to the builder.
struct RowReader {
    /// Patents or trademarks: what the file's columns say it holds.
    enum Kind {
        case patents
        case trademarks
    }

    let importer: RegistryImporter
    let trademarkClassifier = TrademarkFlowClassifier()
    let asOf: CalendarDay?
    let columns: Set<RegistryField>
    let kind: Kind?
    private var patentKeys: Set<UInt64> = []
    private var trademarkKeys: Set<UInt64> = []
    /// The last number read and its key: rows of one right usually follow each other.
    private var lastNumber: (text: String, key: UInt64)?
    /// Whether each wording (code and title) without free text is known.
    private var knownWordings: [String: Bool] = [:]

    init(importer: RegistryImporter, asOf: CalendarDay?, columns: Set<RegistryField>) {
        self.importer = importer
        self.asOf = asOf
        self.columns = columns
        if columns.contains(.business) || columns.contains(.step)
            || (columns.contains(.registrationNumber) && !columns.contains(.applicationNumber))
        {
            self.kind = .trademarks
        } else if columns.contains(.applicationNumber) {
            self.kind = .patents
        } else {
            self.kind = nil
        }
    }

    /// Refuses a file without a number column, or without an as-of day.
    func checkColumns(file: String) throws(RegistryImportError) {
        guard self.kind != nil else {
            throw RegistryImportError(
                "\(file) has no number column: a patent file needs 申请号, a trademark file 注册号 "
                    + "(see the README for the column names read)")
        }
        guard self.asOf != nil || self.columns.contains(.asOf) else {
            throw RegistryImportError(
                "\(file): the day the data was taken is not known: give --as-of yyyy-MM-dd (or a 数据日期 column)")
        }
    }

    mutating func take(
        _ values: [RegistryField: String], line: Int, report: inout RegistryImportReport,
        builder: inout RegistryBatchBuilder
    ) {
        report.rowsRead += 1
        func value(_ field: RegistryField) -> String? {
            guard let raw = values[field], !raw.isEmpty else { return nil }
            // Most values need no trimming; only those that start or end with white space pay for it.
            let edges =
                (raw.unicodeScalars.first?.properties.isWhitespace ?? false)
                || (raw.unicodeScalars.last?.properties.isWhitespace ?? false)
            let text = edges ? raw.trimmingCharacters(in: .whitespaces) : raw
            return text.isEmpty ? nil : text
        }
        func day(_ field: RegistryField, _ name: String) -> (ok: Bool, day: CalendarDay?) {
            guard let text = value(field) else { return (true, nil) }
            guard let day = RegistryDate.parse(text) else {
                report.refuse(line: line, "unreadable \(name) '\(text)'")
                return (false, nil)
            }
            return (true, day)
        }
        let rowAsOf = day(.asOf, "as-of day (数据日期)")
        guard rowAsOf.ok else { return }
        guard let asOf = rowAsOf.day ?? self.asOf else {
            report.refuse(line: line, "no as-of day (数据日期) in this row")
            return
        }
        switch self.kind {
        case .patents:
            guard let text = value(.applicationNumber) else {
                report.refuse(line: line, "no application number (申请号)")
                return
            }
            guard let key = self.patentKey(text, line: line, report: &report) else { return }
            let filing = day(.filingDate, "filing day (申请日)")
            let announced = day(.announced, "announcement day (法律状态公告日)")
            let effective = day(.effective, "effective day (生效日)")
            guard filing.ok, announced.ok, effective.ok else { return }
            var event: PatentEvent?
            let code = value(.eventCode), title = value(.eventTitle)
            if code != nil || title != nil {
                guard let day = announced.day else {
                    report.refuse(line: line, "an event without its announcement day (法律状态公告日)")
                    return
                }
                guard
                    let made = try? PatentEvent(
                        announced: day, code: code, title: title ?? "", info: value(.eventInfo),
                        effective: effective.day)
                else {
                    report.refuse(line: line, "an event without a title or code")
                    return
                }
                guard self.isKnown(made) else {
                    report.refuse(
                        line: line,
                        "unknown event wording '\(title ?? "")'" + (code.map { " (code \($0))" } ?? "")
                            + ": not imported; tell the developers so the vocabulary can learn it")
                    return
                }
                event = made
            }
            builder.addPatent(
                key: key, asOf: asOf, filing: filing.day, title: value(.title), holder: value(.holder), event: event)
            self.patentKeys.insert(key)
            report.rowsImported += 1
            if event != nil { report.events += 1 }
        case .trademarks:
            guard let text = value(.registrationNumber) ?? value(.applicationNumber) else {
                report.refuse(line: line, "no registration number (注册号)")
                return
            }
            let key: UInt64
            if let last = self.lastNumber, last.text == text {
                key = last.key
            } else {
                guard let number = TrademarkNumberParser.parse(text) else {
                    report.refuse(line: line, "'\(text)' is not a trademark number (up to 8 digits, G for Madrid)")
                    return
                }
                key = RegistryKey.trademark(number)
                self.lastNumber = (text, key)
            }
            let registered = day(.registrationDate, "registration day (注册日期)")
            let rowDay = day(.flowDate, "flow day (日期)")
            guard registered.ok, rowDay.ok else { return }
            var row: TrademarkFlowRow?
            let business = value(.business), step = value(.step)
            if business != nil || step != nil {
                guard let date = rowDay.day else {
                    report.refuse(line: line, "a flow row without its day (日期)")
                    return
                }
                let made = TrademarkFlowRow(
                    date: date, business: business ?? "", step: step ?? "", outcome: value(.outcome))
                guard self.isKnown(made) else {
                    report.refuse(
                        line: line,
                        "unknown flow wording '\(business ?? "") \(step ?? "")': not imported; tell the developers so "
                            + "the vocabulary can learn it")
                    return
                }
                row = made
            }
            builder.addTrademark(
                key: key, asOf: asOf, registered: registered.day, title: value(.title), holder: value(.holder),
                row: row)
            self.trademarkKeys.insert(key)
            report.rowsImported += 1
            if row != nil { report.flowRows += 1 }
        case nil:
            report.refuse(line: line, "no number column")
        }
    }

    /// Whether the vocabulary knows an event; wordings without free text are looked up once per file.
    private mutating func isKnown(_ event: PatentEvent) -> Bool {
        guard event.info == nil else { return self.importer.classifier.meaning(of: event).isKnown }
        let wording = (event.code ?? "") + "\u{1F}" + event.title
        if let known = self.knownWordings[wording] { return known }
        let known = self.importer.classifier.meaning(of: event).isKnown
        self.knownWordings[wording] = known
        return known
    }

    /// Whether the vocabulary knows a flow row's wording; each wording is looked up once per file.
    private mutating func isKnown(_ row: TrademarkFlowRow) -> Bool {
        let wording = row.business + "\u{1F}" + row.step + "\u{1F}" + (row.outcome ?? "")
        if let known = self.knownWordings[wording] { return known }
        let known = self.trademarkClassifier.meaning(of: row).isKnown
        self.knownWordings[wording] = known
        return known
    }

    /// Fills in the counts of rights.
    func finish(_ report: inout RegistryImportReport) {
        report.patents = self.patentKeys.count
        report.trademarks = self.trademarkKeys.count
    }

    /// The key of a written patent number; an export's 12-digit number without its check character gets it
    /// computed (official data, unlike a user's typing).
    private mutating func patentKey(_ text: String, line: Int, report: inout RegistryImportReport) -> UInt64? {
        if let last = self.lastNumber, last.text == text { return last.key }
        let number: PatentApplicationNumber
        switch PatentNumberParser.parse(text, currentYear: self.importer.currentYear) {
        case .valid(let valid):
            number = valid
        case .invalid(let digits, .missingCheckCharacter(let expected)):
            guard let completed = PatentApplicationNumber(body: digits, checkCharacter: expected) else {
                report.refuse(line: line, "'\(text)' is not a valid application number")
                return nil
            }
            number = completed
        case .invalid(_, let problem):
            report.refuse(line: line, "'\(text)' is not a valid application number: \(Self.explain(problem))")
            return nil
        case .notAPatentNumber:
            report.refuse(line: line, "'\(text)' is not written like an application number")
            return nil
        }
        let key = RegistryKey.patent(number)
        self.lastNumber = (text, key)
        return key
    }

    private static func explain(_ problem: PatentNumberProblem) -> String {
        switch problem {
        case .wrongCheckCharacter(let written, let expected):
            "bad check digit \(written) (the digits give \(expected))"
        case .missingCheckCharacter(let expected): "no check character (the digits give \(expected))"
        case .unknownType(let type): "no patent type \(type)"
        case .implausibleYear(let year): "year \(year) is not possible"
        case .wrongLength: "neither 8 nor 12 digits"
        }
    }
}
