import Foundation
import WeiquanCore
import WeiquanRegistry

/// `WeiquanBench registry [scale]`: a province's registry — 2 million patents with their events and 1 million
/// trademarks with their flow rows at scale 1 — written as exports, imported, loaded as the service loads it, and
/// looked up by every written form of a number. Prints import time, memory per record and lookup time, beside a
/// baseline of the same records held as the JSON registry's `LegalStatusRecord`s in a dictionary.
struct RegistryBench {
    let scale: Double

    var patents: Int { Int(2_000_000 * self.scale) }
    var trademarks: Int { Int(1_000_000 * self.scale) }

    /// A small, fast, seeded generator: the same data every run.
    struct Generator {
        var state: UInt64
        mutating func next(below bound: Int) -> Int {
            self.state = self.state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((self.state >> 33) % UInt64(bound))
        }
    }

    /// A patent: its number's body and check character, filing day, the events as (day, code, title, info).
    struct Patent {
        var number: String
        var filing: CalendarDay
        var events: [(CalendarDay, String, String, String)]
    }

    static let titles = ["一种车辆锁控方法", "显示装置及其驱动方法", "一种中药组合物", "无线通信系统的数据传输方法", "便携式充电装置"]
    static let holders = ["甲科技有限公司", "乙大学", "丙电子股份有限公司", "丁医药集团", "个人申请人"]

    func patent(_ index: Int, _ random: inout Generator) -> Patent {
        let year = 2004 + index % 21
        let type = [1, 1, 2, 2, 3][index % 5]
        let body = String(year) + String(type) + String(format: "%07d", index / 21 + 1)
        let number = body + "." + String(PatentApplicationNumber.checkCharacter(forBody: body))
        let filing = CalendarDay(year: year, month: 1 + random.next(below: 12), day: 1 + random.next(below: 28))!
        var events: [(CalendarDay, String, String, String)] = []
        var day = filing.adding(days: 180 + random.next(below: 300))
        if type == 1 {
            events.append((day, "PB01", "公布", ""))
            day = day.adding(days: 30 + random.next(below: 200))
            events.append((day, "SE01", "实质审查的生效", ""))
        }
        day = day.adding(days: 200 + random.next(below: 700))
        switch random.next(below: 10) {
        case 0: events.append((day, "", "发明专利申请公布后的驳回", ""))
        case 1: events.append((day, "C02", "发明专利申请公布后的视为撤回", ""))
        default:
            events.append((day, "GR01", "授权", ""))
            if random.next(below: 4) == 0 {
                day = day.adding(days: 100 + random.next(below: 900))
                events.append((day, "TR01", "专利权的转移", "登记生效日：\(day) 专利权人由甲公司变更为乙公司"))
            }
            if random.next(below: 3) == 0 {
                day = day.adding(days: 300 + random.next(below: 1_500))
                events.append((day, "CF01", "未缴年费专利权终止", ""))
            }
        }
        return Patent(number: number, filing: filing, events: events)
    }

    static func seconds(_ elapsed: Duration) -> Double {
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Writes the exports: CNIPA-bulk events in announcement order (rows of one patent far apart, as in the weekly
    /// files), a bibliographic file, and trademark flow rows grouped by mark.
    func writeExports(to directory: URL) throws -> (events: URL, biblio: URL, marks: URL, written: [String]) {
        var random = Generator(state: 42)
        var rows: [(Int32, String)] = []
        rows.reserveCapacity(self.patents * 4)
        var biblio = "申请号,申请日,标题,专利权人\n"
        var samples: [String] = []
        for index in 0..<self.patents {
            let patent = self.patent(index, &random)
            biblio +=
                "\(patent.number),\(patent.filing),（演示）\(Self.titles[index % 5])\(index),（演示）\(Self.holders[index % 5])\n"
            for (day, code, title, info) in patent.events {
                rows.append((Int32(day.dayNumber), "\(patent.number),\(day),\(title),\(info),\(code)\n"))
            }
            if index % 97 == 0 { samples.append(patent.number) }
        }
        rows.sort { $0.0 < $1.0 }
        var events = "申请号,法律状态公告日,法律状态,法律状态信息,事务代码\n"
        events.reserveCapacity(rows.count * 90)
        for row in rows { events += row.1 }
        var marks = "注册号,商标名称,注册人,业务名称,环节名称,结论,日期\n"
        for index in 0..<self.trademarks {
            let number = String(10_000_000 + index * 7 % 89_000_000)
            let applied = CalendarDay(year: 2008 + index % 17, month: 1 + index % 12, day: 1 + index % 28)!
            let title = "（演示）商标\(index)", holder = "（演示）\(Self.holders[index % 5])"
            marks += "\(number),\(title),\(holder),商标注册申请,申请收文,,\(applied)\n"
            marks += "\(number),\(title),\(holder),商标注册申请,受理通知书发文,结束,\(applied.adding(days: 40))\n"
            marks += "\(number),\(title),\(holder),商标注册申请,注册公告,结束,\(applied.adding(days: 400))\n"
            if index % 97 == 0 { samples.append("第\(number)号") }
        }
        let files = (
            directory.appendingPathComponent("cnipa-events.csv"), directory.appendingPathComponent("biblio.csv"),
            directory.appendingPathComponent("trademarks.csv")
        )
        try Data(events.utf8).write(to: files.0)
        try Data(biblio.utf8).write(to: files.1)
        try Data(marks.utf8).write(to: files.2)
        return (files.0, files.1, files.2, samples)
    }

    /// The ways people write a number: canonical, ZL with groups, CN without the dot, full-width, digit groups.
    static func writtenForms(_ numbers: [String]) -> [String] {
        numbers.enumerated().map { index, number in
            guard !number.hasPrefix("第") else { return number }
            let digits = number.replacingOccurrences(of: ".", with: "")
            switch index % 5 {
            case 0: return number
            case 1:
                return "ZL " + String(digits.prefix(4)) + " " + String(digits.dropFirst(4).prefix(1)) + " "
                    + String(number.dropFirst(5))
            case 2: return "CN" + digits
            case 3:
                return String(
                    String.UnicodeScalarView(
                        number.unicodeScalars.map { scalar in
                            scalar.value >= 0x30 && scalar.value <= 0x39
                                ? Unicode.Scalar(scalar.value + 0xFEE0)! : scalar
                        }))
            default:
                return stride(from: 0, to: digits.count - 1, by: 4).map { start in
                    String(digits.dropFirst(start).prefix(4))
                }.joined(separator: " ").replacingOccurrences(
                    of: " " + String(digits.suffix(1)), with: "." + String(digits.suffix(1)))
            }
        }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weiquan-registry-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ContinuousClock()
        print("registry: \(self.patents) patents, \(self.trademarks) trademarks (scale \(self.scale))")
        var start = clock.now
        let files = try self.writeExports(to: directory)
        let sizes = try [files.events, files.biblio, files.marks].map {
            (try FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) ?? 0
        }
        print(
            String(
                format: "  exports written in %.1f s: events %.0f MB, bibliographic %.0f MB, trademarks %.0f MB",
                Self.seconds(clock.now - start), Double(sizes[0]) / 1e6, Double(sizes[1]) / 1e6,
                Double(sizes[2]) / 1e6))

        // Import, as `weiquan registry import` does it: read, parse, build, serialize, keep on the shelf.
        let shelf = RegistryDirectory(dataDirectory: directory.appendingPathComponent("data"))
        let run = RegistryImport(shelf: shelf, importer: RegistryImporter(currentYear: 2026))
        let asOf = CalendarDay(year: 2026, month: 11, day: 1)!
        var importSeconds = 0.0
        for file in [files.events, files.biblio, files.marks] {
            start = clock.now
            let bytes = Array(try Data(contentsOf: file))
            let result = try await run.run(bytes, file: file.lastPathComponent, asOf: asOf, now: Date())
            let elapsed = Self.seconds(clock.now - start)
            importSeconds += elapsed
            let report = result.report
            print(
                String(
                    format: "  import %@: %.1f s, %d rows (%.0f rows/s), %d refused",
                    file.lastPathComponent, elapsed, report.rowsRead, Double(report.rowsRead) / elapsed,
                    report.rowsRefused))
        }
        print(String(format: "  import, all three files: %.1f s", importSeconds))

        // Load, as the service does at start and on every new import: the three sources merged.
        let residentBefore = Self.residentBytes()
        start = clock.now
        let (registry, _) = try await RegistryLoader.load(from: shelf)
        let loadSeconds = Self.seconds(clock.now - start)
        let residentAfter = Self.residentBytes()
        let records = registry.patentCount + registry.trademarkCount
        print(
            String(
                format: "  load (merge of 3 sources): %.1f s; %d patents, %d trademarks, %d events and flow rows",
                loadSeconds, registry.patentCount, registry.trademarkCount, registry.eventCount))
        print(
            String(
                format: "  memory: %.0f bytes per record held (%.0f MB for %d records); resident set grew %.0f MB",
                Double(registry.memoryBytes) / Double(records), Double(registry.memoryBytes) / 1e6, records,
                Double(residentAfter - residentBefore) / 1e6))

        // Lookups by every written form, with the status derived for the day.
        let today = CalendarDay(year: 2026, month: 11, day: 30)!
        let forms = Self.writtenForms(files.written)
        var found = 0
        var best = Double.infinity
        for _ in 0..<5 {
            start = clock.now
            found = 0
            for text in forms where registry.record(written: text, today: today) != nil { found += 1 }
            best = min(best, Self.seconds(clock.now - start) / Double(forms.count))
        }
        print(
            String(
                format: "  lookup by written form + derivation: %.2f µs (%d forms, %d found with a status)",
                best * 1e6, forms.count, found))

        // Baseline: the same kind of records as the JSON registry holds them (a dictionary of structs).
        let baselineCount = min(records, 200_000)
        let baselineBefore = Self.residentBytes()
        var baselineRecords: [LegalStatusRecord] = []
        baselineRecords.reserveCapacity(baselineCount)
        for index in 0..<baselineCount {
            let body = String(2004 + index % 21) + "1" + String(format: "%07d", index + 1)
            baselineRecords.append(
                LegalStatusRecord(
                    number: body + "." + String(PatentApplicationNumber.checkCharacter(forBody: body)), kind: .patent,
                    title: "（演示）\(Self.titles[index % 5])\(index)", holder: "（演示）\(Self.holders[index % 5])",
                    bucket: .inForce, officialWording: "授权", date: "2013-06-29", dataDate: "2026-11-01"))
        }
        let baseline = InMemoryLegalStatusRegistry(records: baselineRecords)
        baselineRecords = []
        let baselineBytes = Self.residentBytes() - baselineBefore
        let canonical = (0..<min(forms.count, baselineCount)).map { index -> String in
            let body = String(2004 + index % 21) + "1" + String(format: "%07d", index + 1)
            return body + "." + String(PatentApplicationNumber.checkCharacter(forBody: body))
        }
        var baselineBest = Double.infinity
        for _ in 0..<5 {
            start = clock.now
            var hits = 0
            for number in canonical where baseline.record(kind: .patent, number: number, today: today) != nil {
                hits += 1
            }
            if hits == -1 { print("") }
            baselineBest = min(baselineBest, Self.seconds(clock.now - start) / Double(canonical.count))
        }
        print(
            String(
                format: "  baseline (JSON registry, dictionary of records, %d records): %.0f bytes per record "
                    + "resident, %.2f µs per canonical lookup (no derivation)",
                baselineCount, Double(baselineBytes) / Double(baselineCount), baselineBest * 1e6))
        print(
            String(
                format: "  ratios: memory per record compact/baseline %.2f; lookup compact/baseline %.1f",
                (Double(registry.memoryBytes) / Double(records)) / (Double(baselineBytes) / Double(baselineCount)),
                best / baselineBest))
    }
}
