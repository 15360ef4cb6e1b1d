import Testing
import WeiquanTestSupport

@testable import WeiquanCore

/// The redactor's detectors one by one, the check characters they validate, and the guarantees the volunteer
/// queue relies on: determinism, the text kept as given outside what is masked, IP numbers left alone.
@Suite struct RedactorTests {
    let redactor = Redactor(labels: [:])

    func redacted(_ text: String, known: [String] = []) -> String {
        self.redactor.redact(text, known: known).text
    }

    // MARK: - Check characters

    @Test(arguments: ["11010519491231002X", "440524188001010014", "513231200012121657", "51323120001212169X"])
    func residentIDTestVectorsAreValid(id: String) {
        #expect(ResidentIDNumber.verdict(Array(id.utf8)) == .valid)
        #expect(ResidentIDNumber.verdict(Array(id.lowercased().utf8)) == .valid)
    }

    @Test func residentIDCheckCharacterIsValidated() {
        #expect(ResidentIDNumber.checkCharacter(for: Array("11010519491231002".utf8)) == UInt8(ascii: "X"))
        #expect(ResidentIDNumber.verdict(Array("110105194912310021".utf8)) == .wrongCheck)
        // Not an ID at all: no such month, no such province, letters inside, wrong length.
        #expect(ResidentIDNumber.verdict(Array("110105194913310021".utf8)) == .invalid)
        #expect(ResidentIDNumber.verdict(Array("990105194912310021".utf8)) == .invalid)
        #expect(ResidentIDNumber.verdict(Array("1101051949123100AX".utf8)) == .invalid)
        #expect(ResidentIDNumber.verdict(Array("11010519491231002".utf8)) == .invalid)
        // Old 15-digit numbers: a real birth date (19xx) and province, no check character.
        #expect(ResidentIDNumber.verdict(Array("440305640118879".utf8)) == .valid)
        #expect(ResidentIDNumber.verdict(Array("440305640230879".utf8)) == .invalid)
        #expect(ResidentIDNumber.verdict(Array("000305640118879".utf8)) == .invalid)
    }

    @Test func luhn() {
        #expect(BankCardNumber.passesLuhn(Array("4111111111111111".utf8)))
        #expect(BankCardNumber.passesLuhn(Array("6222028666617600".utf8)))
        #expect(BankCardNumber.passesLuhn(Array("6222023137215901098".utf8)))
        #expect(!BankCardNumber.passesLuhn(Array("6222028666617601".utf8)))
        #expect(!BankCardNumber.passesLuhn(Array("6222028666617".utf8)))
        #expect(!BankCardNumber.passesLuhn(Array("".utf8)))
        #expect(!BankCardNumber.isPlausible(Array("0000000000000000".utf8)))
        #expect(!BankCardNumber.isPlausible(Array("4111111111".utf8)))
        #expect(BankCardNumber.isPlausible(Array("4111111111111111".utf8)))
    }

    @Test func creditCodeCheckCharacter() {
        #expect(CreditCode.isValid(Array("91350100M000100Y43".utf8)))
        #expect(CreditCode.isValid(Array("91420300793273075J".utf8)))
        #expect(CreditCode.isValid(Array("91350100m000100y43".utf8)))
        #expect(!CreditCode.isValid(Array("91350100M000100Y44".utf8)))
        #expect(!CreditCode.isValid(Array("91420300793273075K".utf8)))
        // I, O, S, V and Z are not in the alphabet.
        #expect(!CreditCode.isValid(Array("91350100I000100Y43".utf8)))
        #expect(!CreditCode.isValid(Array("91350100M000100Y4".utf8)))
    }

    // MARK: - Detectors

    @Test(arguments: [
        ("电话13800138000", "电话【电话】"),
        ("138-0013-8000 找我", "【电话】 找我"),
        ("+86 138 0013 8000", "【电话】"),
        ("0086-13512345678", "【电话】"),
        ("(+86)17712345678", "【电话】"),
        ("手机：１３８００１３８０００", "手机：【电话】"),
        ("一三八零零一三八零零零", "【电话】"),
        ("幺三九 一二三四 五六七八", "【电话】"),
        ("1 3 8 0 0 1 3 8 0 0 0", "【电话】"),
        ("13800138000、13900139000", "【电话】、【电话】"),
        ("13800138000 13900139000", "【电话】 【电话】"),
        ("手機0912-345-678", "手機【电话】"),
        ("+852 9123 4567", "【电话】"),
        ("手机：1391234567", "手机：【电话】"),
    ])
    func mobiles(text: String, expected: String) {
        #expect(self.redacted(text) == expected)
    }

    @Test(arguments: [
        ("0755-86001234", "【电话】"),
        ("(0755)86001234", "【电话】"),
        ("（０２０）８７６５４３２１。", "【电话】。"),
        ("010-62751234", "【电话】"),
        ("021 6432 1234", "【电话】"),
        ("0571-88881234转8001 张经理", "【电话】 张经理"),
        ("0755-86001234-801", "【电话】"),
        ("座机：83451234", "座机：【电话】"),
        ("+86 10 6275 1234", "【电话】"),
        ("07715678123", "【电话】"),
    ])
    func landlines(text: String, expected: String) {
        #expect(self.redacted(text) == expected)
        #expect(self.redactor.redact(text).found == [.landline: 1] || text.hasPrefix("+86"))
    }

    @Test(arguments: [
        ("身份证11010519491231002X", "身份证【身份证号】"),
        ("身份证11010519491231002x。", "身份证【身份证号】。"),
        ("440524 18800101 0014", "【身份证号】"),
        ("4405 2418 8001 0100 14", "【身份证号】"),
        ("４４０５２４１８８００１０１００１４", "【身份证号】"),
        ("老证440305640118879", "老证【身份证号】"),
    ])
    func residentIDs(text: String, expected: String) {
        #expect(self.redacted(text) == expected)
        #expect(self.redactor.redact(text).found == [.residentID: 1])
    }

    /// An ID-shaped number (province, birth date) with a wrong check character is most likely a typo of a
    /// real ID: masked all the same, and counted as an ID.
    @Test func anIDWithAWrongCheckCharacterIsStillMasked() {
        let redaction = self.redactor.redact("身份证110105194912310021")
        #expect(redaction.text == "身份证【身份证号】")
        #expect(redaction.found == [.residentID: 1])
    }

    @Test(arguments: [
        ("邮箱zhangsan@163.com。", "邮箱【邮箱】。"),
        ("ZhangSan.Li@Company.com.cn", "【邮箱】"),
        ("abc_123＠qq．com", "【邮箱】"),
        ("abc @ qq.com", "【邮箱】"),
        ("12345678@qq.com", "【邮箱】"),
        ("wang-li+ip@foxmail.com，", "【邮箱】，"),
        ("li_si(at)163.com", "【邮箱】"),
        ("li_si[at]163.com", "【邮箱】"),
        ("邮箱lisi#qq.com", "邮箱【邮箱】"),
    ])
    func emails(text: String, expected: String) {
        #expect(self.redacted(text) == expected)
        #expect(self.redactor.redact(text).found == [.email: 1])
    }

    @Test(arguments: [
        ("卡号6222028666617600", "卡号【银行卡号】"),
        ("6222 0231 3721 5901 098", "【银行卡号】"),
        ("6225-8885-2538-8850", "【银行卡号】"),
        ("转到４３６７４２７５１１６３７２６０", "转到【银行卡号】"),
        ("账号：6222021234567890", "账号：【银行卡号】"),
    ])
    func bankCards(text: String, expected: String) {
        #expect(self.redacted(text) == expected)
        #expect(self.redactor.redact(text).found == [.bankCard: 1])
    }

    @Test func aLongNumberFailingLuhnWithoutALabelStays() {
        #expect(self.redacted("编号6222028666617601") == "编号6222028666617601")
    }

    @Test(arguments: [
        ("代码91350100M000100Y43。", "代码【信用代码】。"),
        ("91420300793273075J", "【信用代码】"),
        ("统一社会信用代码：91350100m000100y43", "统一社会信用代码：【信用代码】"),
        ("统一社会信用代码：91440300ABCDEFGH12", "统一社会信用代码：【信用代码】"),
    ])
    func creditCodes(text: String, expected: String) {
        #expect(self.redacted(text) == expected)
        #expect(self.redactor.redact(text).found == [.creditCode: 1])
    }

    @Test func aCreditCodeWithAWrongCheckAndNoLabelStays() {
        #expect(self.redacted("型号91350100M000100Y44") == "型号91350100M000100Y44")
    }

    @Test(arguments: [
        ("QQ：12345678", "QQ：【QQ号】", RedactionKind.qq),
        ("qq 987654321", "qq 【QQ号】", .qq),
        ("扣扣55667788", "扣扣【QQ号】", .qq),
        ("ＱＱ号码是２３４５６７８９", "ＱＱ号码是【QQ号】", .qq),
        ("微信号 wxid_abc123xyz", "微信号 【微信号】", .wechat),
        ("对方wxid_q1w2e3r4t5卖假货", "对方【微信号】卖假货", .wechat),
        ("微信：abc_123", "微信：【微信号】", .wechat),
        ("vx: zhangsan_88", "vx: 【微信号】", .wechat),
        ("加V：abc12345", "加V：【微信号】", .wechat),
        ("微信号：88886666", "微信号：【微信号】", .wechat),
    ])
    func qqAndWeChat(text: String, expected: String, kind: RedactionKind) {
        #expect(self.redacted(text) == expected)
        #expect(self.redactor.redact(text).found == [kind: 1])
    }

    @Test(arguments: ["微信 app 上看到的", "微信公众号", "QQ空间", "在微信上卖"])
    func labelsWithoutAnIDStay(text: String) {
        #expect(self.redacted(text) == text)
    }

    @Test(arguments: [
        ("广东省深圳市南山区科技园路8号", "广东省深圳市南山区【地址】"),
        ("我家住幸福路8号，", "我家住【地址】，"),
        ("住在阳光小区3栋2单元501，", "住在【地址】，"),
        ("台北市中山區民生東路三段8號", "台北市中山區【地址】"),
        ("郸城县汲冢镇王楼村三组", "郸城县【地址】"),
        ("杭州市西湖区文三路478号华星时代广场A座1501室", "杭州市西湖区【地址】"),
        ("上海市徐汇区漕溪北路 88 号 1 栋", "上海市徐汇区【地址】"),
        ("龙岗区坂田街道华为基地B区3栋", "龙岗区【地址】"),
        ("重庆市渝中区八一路177号3-2-501", "重庆市渝中区【地址】"),
    ])
    func addresses(text: String, expected: String) {
        #expect(self.redacted(text) == expected)
        #expect(self.redactor.redact(text).found == [.address: 1])
    }

    @Test(arguments: [
        "在中山路上看到有人卖假货", "我知道3号展馆有侵权展品", "地铁2号线附近", "义乌国际商贸城一区东门", "对方有3栋厂房",
    ])
    func placesWithoutAHouseNumberStay(text: String) {
        #expect(self.redacted(text) == text)
    }

    @Test(arguments: [
        ("姓名：张三，", "姓名：【姓名】，"),
        ("我叫李小明，想咨询", "我叫【姓名】，想咨询"),
        ("联系人：王五 电话", "联系人：【姓名】 电话"),
        ("姓名：张三电话13800138000", "姓名：【姓名】电话【电话】"),
        ("联系人：阿卜杜拉·买买提", "联系人：【姓名】"),
        ("我是王建国，电话", "我是【姓名】，电话"),
        ("户名张伟", "户名【姓名】"),
        ("本人李明，身份证", "本人【姓名】，身份证"),
        ("我是张三的代理人，张三的电话", "我是【姓名】的代理人，【姓名】的电话"),
    ])
    func names(text: String, expected: String) {
        #expect(self.redacted(text) == expected)
    }

    @Test(arguments: [
        "申请人主体资格有什么要求", "我是商家，被投诉了", "我是王老师的学生", "张先生你好", "名字叫什么都行", "收件人：刘女士",
        "本人想咨询一下", "C#.net 的代码",
    ])
    func wordsThatLookLikeNameLabelsStay(text: String) {
        #expect(self.redacted(text) == text)
    }

    // MARK: - Known values

    @Test func knownValuesAreMaskedWhateverTheWidthCaseOrScript() {
        let known = ["张伟", "ABC贸易有限公司", "Apple Lee", "138-0013-8000"]
        #expect(self.redacted("張偉说ａｂｃ贸易有限公司和APPLE LEE都在卖", known: known) == "【个人信息】说【个人信息】和【个人信息】都在卖")
        #expect(self.redacted("打138 0013 8000", known: known) == "打【电话】")
        #expect(self.redactor.redact("张伟张伟", known: known).found == [.known: 1])
    }

    @Test func shortKnownValuesAreIgnored() {
        #expect(self.redacted("王先生的王牌产品", known: ["王", " ", ""]) == "王先生的王牌产品")
        #expect(KnownValueDetector(["王", " 李 "]).isEmpty)
    }

    @Test func knownValuesDoNotMaskIPNumbers() {
        #expect(self.redacted("商标第16435657号", known: ["16435657"]) == "商标第16435657号")
    }

    // MARK: - What must stay

    @Test(arguments: [
        "ZL201310268509.X", "201310268509.X", "CN 201310268509.X", "ZL 2014 3 0238126.3", "200420091540.7",
        "02139508.X",
        "2014302381263", "第16435657号", "商标注册号16435657", "申请号：16435657", "WQ202611210001", "WQ-20261121-0007",
        "2023年5月1日", "2023-05-01", "20230501", "2023.05.01", "￥13,800.00", "赔偿50000元", "第五十七条", "第57条第（二）项",
        "（2017）沪73民初278号", "热线12330", "400-812-3456", "二〇二三年", "订单号：3456789012345678901",
        "https://item.taobao.com/item.htm?id=612345678901&skuId=4567890123456", "US9123456B2", "CN103456789A",
    ])
    func ipNumbersDatesAndAmountsStay(text: String) {
        #expect(self.redacted(text) == text)
        #expect(self.redactor.redact(text).isEmpty)
    }

    @Test func theTextIsKeptAsGivenOutsideTheMask() {
        let text = "您好！我們的商標第1328994號被侵權，聯繫電話：１３８００１３８０００。\r\n謝謝　🙏"
        #expect(self.redacted(text) == "您好！我們的商標第1328994號被侵權，聯繫電話：【电话】。\r\n謝謝　🙏")
        let zeroWidth = "电话138\u{200B}0013\u{200B}8000！"
        #expect(self.redacted(zeroWidth) == "电话【电话】！")
    }

    @Test func labelsComeFromTheReplyBook() {
        let book = ReplyBook(templates: ["redaction.label.mobile": "[手机]", "redaction.label.email": "<email>"])
        let redactor = Redactor(replies: book)
        #expect(redactor.label(for: .mobile) == "[手机]")
        #expect(redactor.label(for: .landline) == RedactionKind.landline.defaultLabel)
        #expect(redactor.redact("13800138000 a@b.cn").text == "[手机] <email>")
    }

    @Test func theShippedWordingHasEveryLabel() {
        let replies = TestBot.replies
        for kind in RedactionKind.allCases {
            #expect(replies.has(kind.replyKey), "replies.json lacks \(kind.replyKey)")
        }
        #expect(ConversationMachine.requiredReplyKeys().isSuperset(of: RedactionKind.allCases.map(\.replyKey)))
        #expect(Redactor(replies: replies).label(for: .residentID) == "【身份证号】")
    }

    // MARK: - Guarantees

    @Test func countsEachPieceOnce() {
        let text = "电话13800138000，13900139000，身份证11010519491231002X，邮箱a@b.cn，幸福路8号"
        #expect(
            self.redactor.redact(text).found == [.mobile: 2, .residentID: 1, .email: 1, .address: 1])
        #expect(self.redactor.redact("没有个人信息").found == [:])
        #expect(self.redactor.redact("").text == "")
    }

    @Test func isDeterministicAndIdempotent() throws {
        let lines = try RedactionCorpusTests.lines()
        for line in lines {
            let first = self.redactor.redact(line.message, known: line.known)
            let second = self.redactor.redact(line.message, known: line.known)
            #expect(first == second)
            #expect(Redactor(labels: [:]).redact(line.message, known: line.known) == first)
            #expect(self.redactor.redact(first.text, known: line.known).text == first.text)
        }
    }

    /// Random text never crashes the redactor and always comes back as text with no personal digits between
    /// masks: what is not masked is copied byte for byte.
    @Test func randomTextKeepsEverythingNotMasked() {
        var generator = SeededGenerator(seed: 12)
        let alphabet = Array("0123456789０１２３-— +()（）xX@.。：:号路村栋室一三八零幺电话身份证微信QQ商标第WQzl \n\u{200B}é🙏")
        for _ in 0..<500 {
            let text = generator.string(over: alphabet, length: generator.next(below: 60))
            let matches = self.redactor.matches(in: text)
            let bytes = Array(text.utf8)
            var rebuilt: [UInt8] = []
            var copied = 0
            for match in matches {
                #expect(match.range.lowerBound >= copied && match.range.upperBound <= bytes.count)
                rebuilt += bytes[copied..<match.range.lowerBound] + Array(self.redactor.label(for: match.kind).utf8)
                copied = match.range.upperBound
            }
            rebuilt += bytes[copied...]
            #expect(String(decoding: rebuilt, as: UTF8.self) == self.redacted(text))
        }
    }
}
