import Foundation
import Testing
import WeiquanCore

@Suite struct ClassificationTests {
    func classify(_ text: String) -> String {
        Classification(TestBot.machine.understander.understand(text, currentYear: 2026)).json()
    }

    @Test func printsTheThreeKeysInOrder() throws {
        let json = self.classify("我的專利ZL２０１３１０２６８５０９。Ｘ被侵權了，我在柳州，電話13800138000")
        #expect(json.hasPrefix("{\"intent\":\"aid_request\",\"confidence\":"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["intent", "confidence", "entities"])
        let confidence = try #require(object["confidence"] as? Double)
        #expect(confidence > 0.5 && confidence <= 1)
        let entities = try #require(object["entities"] as? [String: String])
        #expect(
            entities == [
                "patent_number": "201310268509.X", "ip_type": "patent", "region": "柳州市", "phone": "13800138000",
            ]
        )
        #expect(!json.contains("\n"))
    }

    @Test func wrongCheckDigitIsReportedAsInvalid() throws {
        let json = self.classify("专利号201310268509.1还有效吗")
        #expect(json.contains("\"patent_number_invalid\":\"201310268509.1\""))
        #expect(!json.contains("\"patent_number\":"))
    }

    @Test func chatterIsUnknownWithZeroConfidence() {
        #expect(self.classify("今天中午吃什么好呢") == "{\"intent\":\"unknown\",\"confidence\":0.0,\"entities\":{}}")
    }

    @Test func caseIdsAndMadridNumbersAreCanonical() {
        #expect(self.classify("wq-20261121-0007 进度怎么样").contains("\"case_id\":\"WQ202611210007\""))
        #expect(self.classify("商标G1234567的状态").contains("\"trademark_number\":\"G1234567\""))
    }
}
