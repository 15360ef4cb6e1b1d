import Foundation
import Testing
@testable import WeiquanCore

@Suite struct EntityExtractorTests {
    static let regions = [
        Region(name: "南宁市", aliases: ["南宁", "邕城"]),
        Region(name: "柳州市", aliases: ["柳州"]),
        Region(name: "桂林市", aliases: ["桂林", "桂林市区"]),
    ]

    static let lexicon: IPTypeLexicon = {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("intents/ip-types.json")
        do {
            return try IPTypeLexicon.decode(from: Data(contentsOf: url))
        } catch {
            Issue.record("cannot read intents/ip-types.json: \(error)")
            return IPTypeLexicon(synonyms: [:])
        }
    }()

    static let extractor = EntityExtractor(regions: regions, ipTypes: lexicon)

    static func extract(_ text: String) -> ExtractedEntities {
        Self.extractor.extract(from: TextNormalizer().normalize(text), currentYear: 2026)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let text: String
        let expected: ExtractedEntities
        var testDescription: String { self.text }

        init(_ text: String, _ expected: ExtractedEntities) {
            self.text = text
            self.expected = expected
        }
    }

    @Test(arguments: [
        Case("我的专利号是zl201310268509.x,被人仿冒了", .init(patentNumber: "201310268509.X", ipType: .patent)),
        Case("ZL 2013 1 0268509.X", .init(patentNumber: "201310268509.X", ipType: .patent)),
        Case("请查一下CN201310268509。X的状态", .init(patentNumber: "201310268509.X", ipType: .patent)),
        Case("号码２０１３１０２６８５０９．Ｘ谢谢", .init(patentNumber: "201310268509.X", ipType: .patent)),
        Case("申请号201310268509X", .init(patentNumber: "201310268509.X", ipType: .patent)),
        Case("查询2013102685091", .init()),
        Case("我的发明97101765.4被侵权", .init(patentNumber: "97101765.4", ipType: .patent)),
        Case("02139508.x", .init(patentNumber: "02139508.X", ipType: .patent)),
        Case("外观设计201430238126.3", .init(patentNumber: "201430238126.3", ipType: .patent)),
        Case("实用新型专利号:200420091540.7", .init(patentNumber: "200420091540.7", ipType: .patent)),
        Case("专利号是201310268509.1对吗", .init(patentNumberInvalid: "201310268509.1", ipType: .patent)),
        Case("zl201340091540.7", .init(patentNumberInvalid: "201340091540.7", ipType: .patent)),
        Case("编号201340091540.7", .init()),
        Case("我的专利申请号是201310268509", .init(patentNumberInvalid: "201310268509", ipType: .patent)),
        Case("订单号201310268509", .init()),
        Case("专利号88100001", .init(patentNumber: "88100001", ipType: .patent)),
        Case("zl2013102685", .init(patentNumberInvalid: "2013102685", ipType: .patent)),
        Case(
            "两个专利:201310268509.x和97101765.5",
            .init(
                patentNumber: "201310268509.X", patentNumberInvalid: "97101765.5", ipType: .patent)),
        Case("专利号201310268509.我想问一下", .init(patentNumberInvalid: "201310268509", ipType: .patent)),
        Case("專利號：ＺＬ２０１３１０２６８５０９．Ｘ", .init(patentNumber: "201310268509.X", ipType: .patent)),
        Case("专利2031 1 0268509.x", .init(ipType: .patent)),
        Case("zl 2031 1 0268509.x", .init(patentNumberInvalid: "203110268509.X", ipType: .patent)),
        Case("12201310268509.x", .init()),
        Case("201310268509.x5", .init()),
        // Groups of four, as people type a number from a certificate (issue 14).
        Case("2013 1026 8509.X", .init(patentNumber: "201310268509.X", ipType: .patent)),
        Case("请查 2013 1026 8509x 的状态", .init(patentNumber: "201310268509.X", ipType: .patent)),
        Case("ZL 2013 1026 8509.X", .init(patentNumber: "201310268509.X", ipType: .patent)),
        Case("0213 9508.X", .init(patentNumber: "02139508.X", ipType: .patent)),
        Case("2013 1026 8509.1", .init(patentNumberInvalid: "201310268509.1", ipType: .patent)),
        Case("订单 2013 1026 8509", .init()),
        Case("2013 10 26 8509.X", .init()),
    ])
    func patents(_ testCase: Case) {
        #expect(Self.extract(testCase.text) == testCase.expected)
    }

    @Test(arguments: [
        Case("我的商标第12345678号被人用了", .init(trademarkNumber: "12345678", ipType: .trademark)),
        Case("第12345678号商标", .init(trademarkNumber: "12345678", ipType: .trademark)),
        Case("第12345678号", .init()),
        Case("这是第3次来问了", .init()),
        Case("商标注册号是16435657", .init(trademarkNumber: "16435657", ipType: .trademark)),
        Case("商标号:1328994", .init(trademarkNumber: "1328994", ipType: .trademark)),
        Case("我们的商标,注册号1344787", .init(trademarkNumber: "1344787", ipType: .trademark)),
        Case("注册号1344787", .init()),
        Case("马德里g1234567被抢注", .init(trademarkNumber: "G1234567", ipType: .trademark)),
        Case("国际注册G12345678", .init(trademarkNumber: "G12345678", ipType: .trademark)),
        Case("第G123456号", .init(trademarkNumber: "G123456", ipType: .trademark)),
        Case("4g1234567", .init()),
        Case("g12345", .init()),
        Case("商标第 16435657A 号", .init(trademarkNumber: "16435657A", ipType: .trademark)),
        Case("商标第123456789号", .init(ipType: .trademark)),
        Case("第１２３４５６７８號商標", .init(trademarkNumber: "12345678", ipType: .trademark)),
    ])
    func trademarks(_ testCase: Case) {
        #expect(Self.extract(testCase.text) == testCase.expected)
    }

    @Test(arguments: [
        Case("我的电话13800138000", .init(phone: "13800138000")),
        Case("电话:138-0013-8000,谢谢", .init(phone: "13800138000")),
        Case("+86 138 0013 8000", .init(phone: "13800138000")),
        Case("联系0086-13800138000", .init(phone: "13800138000")),
        Case("手机８６１３８００１３８０００", .init(phone: "13800138000")),
        Case("１３８００１３８０００", .init(phone: "13800138000")),
        Case("12345678901", .init()),
        Case("1380013800", .init()),
        Case("138001380001", .init()),
        Case("1380013800012000元", .init()),
        Case("拨打12330", .init()),
        Case("座机0771-5551234", .init()),
        Case(
            "电话13800138000,专利号201310268509.x",
            .init(
                patentNumber: "201310268509.X", ipType: .patent, phone: "13800138000")),
        Case("专利13800138000", .init(ipType: .patent, phone: "13800138000")),
    ])
    func phones(_ testCase: Case) {
        #expect(Self.extract(testCase.text) == testCase.expected)
    }

    @Test(arguments: [
        Case("查商标16435657", .init(trademarkNumber: "16435657", ipType: .trademark)),
        Case("商标 1328994 还有效吗", .init(trademarkNumber: "1328994", ipType: .trademark)),
        Case("商标:16435657a", .init(trademarkNumber: "16435657A", ipType: .trademark)),
        Case("我有商标3个", .init(ipType: .trademark)),
        Case("商标123", .init(ipType: .trademark)),
        Case("商标13800138000", .init(ipType: .trademark, phone: "13800138000")),
    ])
    func trademarkWordFollowedByDigits(_ testCase: Case) {
        #expect(Self.extract(testCase.text) == testCase.expected)
    }

    @Test(arguments: [
        Case("我的案件WQ202611210007进展如何", .init(caseID: "WQ202611210007")),
        Case("案件号 wq-20261121-0007", .init(caseID: "WQ202611210007")),
        Case("wq 20261121 0007", .init(caseID: "WQ202611210007")),
        Case("ＷＱ２０２６１１２１０００７", .init(caseID: "WQ202611210007")),
        Case("wq202613210007", .init()),
        Case("awq202611210007", .init()),
        Case("wq2026112100071", .init()),
        // From a day's 10,000th case on, the sequence is wider.
        Case("我的案件WQ2026112110000进展如何", .init(caseID: "WQ2026112110000")),
        Case("案件号 wq-20261121-10001，谢谢", .init(caseID: "WQ2026112110001")),
        Case("ＷＱ２０２６１１２１１２３４５", .init(caseID: "WQ2026112112345")),
        Case("WQ202611219999和WQ2026112110000", .init(caseID: "WQ202611219999")),
        Case("wq20261121000100", .init()),
        Case("wq2026112112345678901", .init()),
    ])
    func caseIDs(_ testCase: Case) {
        #expect(Self.extract(testCase.text) == testCase.expected)
    }

    @Test(arguments: [
        Case("2026年11月21日我发现被侵权了", .init()),
        Case("对方赔了12000元", .init()),
        Case("20261121", .init()),
        Case("随便一串数字 9876543210 和 314159265358979", .init()),
        Case("价格是1999.9元", .init()),
        Case("2026.11.21", .init()),
        Case("你好,我想咨询一下", .init()),
        Case("", .init()),
        Case("🙂🙂🙂", .init()),
    ])
    func ignoresOtherNumbers(_ testCase: Case) {
        #expect(Self.extract(testCase.text) == testCase.expected)
    }

    @Test(arguments: [
        Case("我的专利被侵权了", .init(ipType: .patent)),
        Case("外观设计被抄袭了", .init(ipType: .patent)),
        Case("实用新型", .init(ipType: .patent)),
        Case("有人仿冒我们的牌子", .init(ipType: .trademark)),
        Case("LOGO被人用了", .init(ipType: .trademark)),
        Case("我们是地理标志产品", .init(ipType: .geographicalIndication)),
        Case("地标产品被冒用", .init(ipType: .geographicalIndication)),
        Case("集成电路布图设计专有权", .init(ipType: .integratedCircuitLayout)),
        Case("芯片布图被复制", .init(ipType: .integratedCircuitLayout)),
        Case("我的文章被洗稿了", .init(ipType: .copyright)),
        Case("软著登记", .init(ipType: .copyright)),
        Case("前员工带走了客户名单", .init(ipType: .tradeSecret)),
        Case("商业秘密泄露", .init(ipType: .tradeSecret)),
        Case("植物新品种权被侵犯", .init(ipType: .plantVariety)),
        Case("品种权纠纷", .init(ipType: .plantVariety)),
        Case("我的商标被抄袭", .init(ipType: .trademark)),
        Case("抄袭我的商标", .init(ipType: .copyright)),
        Case("我的logo被抄袭", .init(ipType: .trademark)),
        Case("去商标局查", .init(ipType: .trademark)),
        Case("著作权和专利", .init(ipType: .copyright)),
        Case("我的專利被侵權了，請問維權援助怎麼申請？", .init(ipType: .patent)),
        Case("著作權糾紛", .init(ipType: .copyright)),
        Case(
            "外观设计专利号zl201430238126.3,对方说是版权问题",
            .init(
                patentNumber: "201430238126.3", ipType: .patent)),
        Case("版权 201310268509.x", .init(patentNumber: "201310268509.X", ipType: .copyright)),
        Case(
            "商标第12345678号,专利201310268509.x",
            .init(
                patentNumber: "201310268509.X", trademarkNumber: "12345678", ipType: .trademark)),
    ])
    func ipTypes(_ testCase: Case) {
        #expect(Self.extract(testCase.text) == testCase.expected)
    }

    @Test(arguments: [
        Case("我在南宁", .init(region: "南宁市")),
        Case("南宁市青秀区", .init(region: "南宁市")),
        Case("邕城这边", .init(region: "南宁市")),
        Case("柳州的企业", .init(region: "柳州市")),
        Case("桂林市区的店,不是柳州", .init(region: "桂林市")),
        Case("从柳州到桂林市区", .init(region: "桂林市")),
        Case("柳州和桂林", .init(region: "柳州市")),
        Case("我在北京", .init()),
        Case("南寧市的公司，商標被搶註", .init(ipType: .trademark, region: "南宁市")),
    ])
    func regions(_ testCase: Case) {
        #expect(Self.extract(testCase.text) == testCase.expected)
    }

    @Test func everythingAtOnce() {
        let text = "您好，我是柳州的商户，商標註冊號：第16435657號被人假冒，電話＋86 139-1234-5678，案件WQ-20261121-0007"
        #expect(
            Self.extract(text)
                == ExtractedEntities(
                    trademarkNumber: "16435657", ipType: .trademark, phone: "13912345678", region: "柳州市",
                    caseID: "WQ202611210007"))
    }

    @Test func lexiconFileIsWellFormed() {
        let normalizer = TextNormalizer()
        #expect(Set(Self.lexicon.synonyms.keys) == Set(IPType.allCases))
        var seen: Set<String> = []
        for (_, words) in Self.lexicon.synonyms {
            for word in words {
                #expect(!word.isEmpty)
                #expect(normalizer.normalize(word) == word, "not normalised: \(word)")
                #expect(seen.insert(word).inserted, "listed twice: \(word)")
            }
        }
    }

    @Test func lexiconRejectsUnknownKeys() {
        #expect(throws: IPTypeLexiconError.unknownIPType("software")) {
            try IPTypeLexicon.decode(from: Data(#"{"software": ["软件"]}"#.utf8))
        }
        #expect(throws: (any Error).self) {
            try IPTypeLexicon.decode(from: Data("[]".utf8))
        }
    }

    @Test func lexiconRoundTrips() throws {
        let lexicon = IPTypeLexicon(synonyms: [.patent: ["专利"], .plantVariety: ["品种权"]])
        let data = try JSONEncoder().encode(lexicon)
        #expect(try IPTypeLexicon.decode(from: data) == lexicon)
        #expect(String(decoding: data, as: UTF8.self).contains("\"plant_variety\""))
    }

    @Test func worksWithoutLexiconOrRegions() {
        let extractor = EntityExtractor(regions: [], ipTypes: IPTypeLexicon(synonyms: [:]))
        #expect(
            extractor.extract(from: "zl201310268509.x", currentYear: 2026)
                == ExtractedEntities(patentNumber: "201310268509.X", ipType: .patent))
        #expect(extractor.extract(from: "", currentYear: 2026) == ExtractedEntities())
    }
}
