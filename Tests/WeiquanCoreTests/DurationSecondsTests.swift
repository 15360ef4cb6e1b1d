import Foundation
import Testing
import WeiquanCore

@Suite struct DurationSecondsTests {
    @Test func wholeAndFractionalSecondsConvert() {
        #expect(Duration.seconds(300).inSeconds == 300)
        #expect(Duration.milliseconds(250).inSeconds == 0.25)
        #expect(Duration.zero.inSeconds == 0)
        #expect(Duration.seconds(-7).inSeconds == -7)
        #expect(abs(Duration.nanoseconds(1_500_000_001).inSeconds - 1.500_000_001) < 1e-12)
        #expect(Duration.seconds(7 * 86_400).inSeconds == 604_800)
    }
}
