import Testing
@testable import WeiquanCore

@Suite struct TextNormalizerTests {
    let normalizer = TextNormalizer()

    @Test(arguments: [
        ("", ""),
        ("   ", ""),
        ("ＡＢＣ１２３", "abc123"),
        ("２０１３１０２６８５０９．Ｘ", "201310268509.x"),
        ("201310268509。X", "201310268509.x"),
        ("Hello  World", "hello world"),
        ("  前后 空格\t\n", "前后 空格"),
        ("a\u{3000}\u{3000}b", "a b"),
        ("a\u{00A0}b\u{2003}c", "a b c"),
        ("换行\r\n\r\n之后", "换行 之后"),
        ("控制\u{0001}\u{0007}字符\u{007F}\u{0085}", "控制字符"),
        ("零\u{200B}宽\u{FEFF}", "零宽"),
        ("你好，世界！", "你好,世界!"),
        ("真的吗？是的：好；行。", "真的吗?是的:好;行."),
        ("甲、乙、丙", "甲,乙,丙"),
        ("（括号）【方括号】〔六角〕", "(括号)[方括号][六角]"),
        ("「引号」『双引号』“弯引号”‘单’", "\"引号\"\"双引号\"\"弯引号\"'单'"),
        ("波浪～线〜", "波浪~线~"),
        ("破折号——结束", "破折号--结束"),
        ("省略……", "省略......"),
        ("ＺＬ　２０１３　１　０２６８５０９．ｘ", "zl 2013 1 0268509.x"),
        ("Größe ÄÖÜ", "größe äöü"),
        ("ΣΑΣ Привет", "σασ привет"),
        ("😀👍🏽 好的", "😀👍🏽 好的"),
        ("👨‍👩‍👧 family", "👨‍👩‍👧 family"),
    ])
    func normalizes(input: String, expected: String) {
        #expect(self.normalizer.normalize(input) == expected)
    }

    @Test func convertsTraditionalSentences() {
        #expect(
            self.normalizer.normalize("我的專利被侵權了，請問維權援助怎麼申請？")
                == "我的专利被侵权了,请问维权援助怎么申请?")
        #expect(self.normalizer.normalize("商標註冊號是多少") == "商标注册号是多少")
        #expect(self.normalizer.normalize("以後關於著作權的問題") == "以后关于著作权的问题")
        #expect(self.normalizer.normalize("頭髮、裡面、後來") == "头发,里面,后来")
        #expect(self.normalizer.simplified("體驗專利權") == "体验专利权")
    }

    @Test(arguments: [
        "著作权", "知识产权", "专利", "商标", "侵权", "维权援助", "显著", "干货", "乾坤", "瞭望", "慰藉", "狼藉",
        "覆盖", "神祇", "与时俱进", "俱乐部", "宫商角徵羽", "哪吒", "姊妹", "摔跤", "大阪", "苎麻", "获益甚夥", "土著", "著名商标",
        "外观设计", "实用新型", "地理标志", "集成电路布图设计", "商业秘密", "植物新品种", "申请表", "南宁市",
    ])
    func leavesSimplifiedVocabularyAlone(word: String) {
        #expect(self.normalizer.normalize(word) == word)
        #expect(self.normalizer.simplified(word) == word)
    }

    @Test func simplifiedOnlyTouchesHanCharacters() {
        #expect(self.normalizer.simplified("ＡＢＣ 專利，  X") == "ＡＢＣ 专利，  X")
        #expect(self.normalizer.simplified("") == "")
    }

    @Test func isIdempotent() {
        let inputs = [
            "", " ", "ＡＢＣ", "我的專利被侵權了，請問維權援助怎麼申請？", "ZL 2013 1 0268509.X", "Größe İstanbul ǅ",
            "\u{F900}\u{F901}\u{FA0E}", "a\u{0001} \u{0002}b", "  \t\n ", "😀 \u{200D} 😀", "……——～",
            "e\u{0301}", "ﾃｽﾄ ｶﾀｶﾅ｡", "Ⅻ ⅻ ①②", "ＫＥＬＶＩＮ \u{212A}", "鬱鬱蔥蔥 乾隆 著",
            "\u{1E900}\u{10400}", "〔2020〕22号", "第１２３４５６７８號",
        ]
        for input in inputs {
            let once = self.normalizer.normalize(input)
            #expect(self.normalizer.normalize(once) == once, "not idempotent: \(input)")
            #expect(self.normalizer.simplified(self.normalizer.simplified(input)) == self.normalizer.simplified(input))
        }
    }

    @Test func tableOutputsAreFixedPoints() {
        let table = TraditionalSimplifiedTable.table
        var mapped = 0
        for value in table where value != 0 {
            mapped += 1
            if let index = TraditionalSimplifiedTable.index(of: value) {
                #expect(table[index] == 0, "output U+\(String(value, radix: 16)) is mapped again")
            }
        }
        #expect(mapped == TraditionalSimplifiedTable.mappingCount)
    }

    @Test func tableMatchesICUOnCommonCharacters() {
        let pairs: [(Character, Character)] = [("體", "体"), ("專", "专"), ("權", "权"), ("麼", "么"), ("於", "于")]
        for (traditional, simplified) in pairs {
            #expect(self.normalizer.simplified(String(traditional)) == String(simplified))
        }
    }
}
