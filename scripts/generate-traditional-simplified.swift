// Generates Sources/WeiquanCore/Text/TraditionalSimplifiedTable.swift, the traditional → simplified
// lookup table that TextNormalizer uses.
//
// Run from the repository root (Linux or macOS, any Swift 6 toolchain with Foundation):
//
//     swift scripts/generate-traditional-simplified.swift > Sources/WeiquanCore/Text/TraditionalSimplifiedTable.swift
//
// What it does:
// 1. Asks ICU's `Hant-Hans` transform (Foundation's `StringTransform("Hant-Hans")`) for every BMP CJK
//    character in U+3400–U+4DBF, U+4E00–U+9FFF and U+F900–U+FAFF and keeps the mappings that turn one
//    scalar into one different scalar.
// 2. Drops the mappings whose source is itself a standard, common simplified character, so that
//    simplified text is never changed:
//    - systematically: every source character that is in GB 2312 level 1 (the 3,755 most common characters
//      of the simplified national character set, EUC-CN lead bytes 0xB0–0xD7), checked with iconv;
//    - by hand: `keptUnchanged` below (GB 2312 level-2 or later-standard characters with a simplified use of
//      their own). Every entry carries the reason.
// 3. Drops mappings whose source is in GB 2312 while the target is not (ICU going the wrong way).
// 4. Resolves chains (a → b, b → c gives a → c) so that the table is idempotent, and stops with an error
//    on a cycle.
//
// The output is a compact string literal of scalar pairs (traditional, simplified), parsed once at first
// use. ICU versions differ between toolchains: commit the regenerated file only after running the tests.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GB 2312 level-2 (and other) characters that ICU would simplify but that are standard simplified
/// characters with a use of their own. They are left unchanged.
let keptUnchanged: [Character: String] = [
    "吒": "哪吒 (standard simplified; ICU maps it to 咤)",
    "姊": "姊妹 (standard simplified; ICU maps it to 姐)",
    "跤": "摔跤 (standard simplified; ICU maps it to 交)",
    "阪": "大阪 (standard simplified; ICU maps it to 坂)",
    "夥": "夥 'many' (restored as a standard simplified character in 2013; ICU maps it to 伙)",
    "瞭": "瞭望 (restored as a standard simplified character in 2013; ICU maps it to 了, so traditional 瞭解 stays)",
    "徵": "宫商角徵羽 (restored as a standard simplified character in 2013; ICU maps it to 征, so traditional 特徵 stays)",
    "苎": "苎麻 (苎 is the simplified form; ICU maps it to the traditional 苧)",
]

/// Characters that a rule above would keep but that must be simplified anyway. Empty today; listed in the
/// generated header when used.
let forcedMappings: [Character: Character] = [:]

/// Code point ranges the table covers; must match `TraditionalSimplifiedTable.lookup`.
let ranges: [ClosedRange<UInt32>] = [0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF]

/// EUC-CN (GB 2312) bytes of a scalar, or nil when GB 2312 does not have it.
func gb2312Bytes(_ scalar: Unicode.Scalar) -> [UInt8]? {
    let descriptor = iconv_open("GB2312", "UTF-32LE")
    guard descriptor != iconv_t(bitPattern: -1) else {
        fatalError("iconv has no GB2312 converter on this machine")
    }
    defer { iconv_close(descriptor) }
    var value = scalar.value.littleEndian
    var output = [UInt8](repeating: 0, count: 8)
    let written: Int? = withUnsafeMutableBytes(of: &value) { input in
        output.withUnsafeMutableBytes { buffer in
            guard let inBase = input.baseAddress, let outBase = buffer.baseAddress else { return nil }
            var inPointer: UnsafeMutablePointer<CChar>? = inBase.assumingMemoryBound(to: CChar.self)
            var inLeft = 4
            var outPointer: UnsafeMutablePointer<CChar>? = outBase.assumingMemoryBound(to: CChar.self)
            var outLeft = 8
            let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
            return result == -1 ? nil : 8 - outLeft
        }
    }
    guard let count = written, count > 0 else { return nil }
    return Array(output[0..<count])
}

func isGB2312Level1(_ scalar: Unicode.Scalar) -> Bool {
    guard let bytes = gb2312Bytes(scalar), bytes.count == 2 else { return false }
    return bytes[0] >= 0xB0 && bytes[0] <= 0xD7
}

func hex(_ scalar: Unicode.Scalar) -> String {
    "U+" + String(scalar.value, radix: 16, uppercase: true)
}

let hantHans = StringTransform("Hant-Hans")
var mapping: [UInt32: UInt32] = [:]
var multiScalar = 0
var droppedLevel1: [String] = []
var droppedByHand: [String] = []
var droppedWrongWay: [String] = []

for range in ranges {
    for value in range {
        guard let scalar = Unicode.Scalar(value) else { continue }
        let source = String(Character(scalar))
        guard let converted = source.applyingTransform(hantHans, reverse: false) else { continue }
        let outScalars = Array(converted.unicodeScalars)
        // Compare scalars, not Strings: compatibility ideographs are canonically equal to their unified forms.
        if outScalars == [scalar] { continue }
        guard outScalars.count == 1, let target = outScalars.first else {
            multiScalar += 1
            continue
        }
        let character = Character(scalar)
        if keptUnchanged[character] != nil {
            droppedByHand.append("\(character)→\(Character(target))")
            continue
        }
        if isGB2312Level1(scalar) && forcedMappings[character] == nil {
            droppedLevel1.append("\(character)→\(Character(target))")
            continue
        }
        if gb2312Bytes(scalar) != nil && gb2312Bytes(target) == nil && forcedMappings[character] == nil {
            droppedWrongWay.append("\(character)→\(Character(target))")
            continue
        }
        mapping[value] = target.value
    }
}
for (source, target) in forcedMappings {
    if let s = source.unicodeScalars.first, let t = target.unicodeScalars.first {
        mapping[s.value] = t.value
    }
}

// Resolve chains so that every output is a fixed point.
var resolved: [UInt32: UInt32] = [:]
for (source, firstTarget) in mapping {
    var target = firstTarget
    var steps = 0
    while let next = mapping[target] {
        target = next
        steps += 1
        if steps > 8 || target == source {
            fatalError("cycle in Hant-Hans mappings at \(hex(Unicode.Scalar(source) ?? " "))")
        }
    }
    resolved[source] = target
}

func literal(_ value: UInt32) -> String {
    guard let scalar = Unicode.Scalar(value) else { fatalError("bad scalar \(value)") }
    let text = String(Character(scalar))
    // Escape anything that is not NFC-stable (the compatibility ideographs) so no tool can fold it.
    if Array(text.precomposedStringWithCanonicalMapping.unicodeScalars) != [scalar] {
        return "\\u{" + String(value, radix: 16, uppercase: true) + "}"
    }
    return text
}

let sortedKeys = resolved.keys.sorted()
var lines: [String] = []
var line = ""
var pairsOnLine = 0
for key in sortedKeys {
    guard let target = resolved[key] else { continue }
    line += literal(key) + literal(target)
    pairsOnLine += 1
    if pairsOnLine == 32 {
        lines.append(line)
        line = ""
        pairsOnLine = 0
    }
}
if !line.isEmpty { lines.append(line) }

var output = """
    // GENERATED FILE: do not edit. Regenerate with
    //     swift scripts/generate-traditional-simplified.swift > Sources/WeiquanCore/Text/TraditionalSimplifiedTable.swift
    //
    // Source: ICU `Hant-Hans` transform via Foundation, BMP CJK ranges U+3400–U+4DBF, U+4E00–U+9FFF,
    // U+F900–U+FAFF; single-scalar → single-scalar mappings only; chains resolved.
    // Mappings: \(resolved.count) (ICU multi-scalar results skipped: \(multiScalar)).
    // Left unchanged, source in GB 2312 level 1 (common simplified characters): \(droppedLevel1.joined(separator: " "))
    // Left unchanged by hand (see keptUnchanged in the script): \(droppedByHand.joined(separator: " "))
    // Left unchanged, ICU maps a GB 2312 character outside GB 2312: \(droppedWrongWay.joined(separator: " "))

    /// Traditional → simplified mappings for ``TextNormalizer``, generated from ICU's `Hant-Hans` transform.
    enum TraditionalSimplifiedTable {
        /// Number of mappings in ``pairs``.
        static let mappingCount = \(resolved.count)

        /// Scalar pairs: a traditional character followed by its simplified form. Line breaks are ignored.
        static let pairs = \"\"\"

    """
for text in lines {
    output += "        " + text + "\n"
}
output += "        \"\"\"\n}\n"
print(output, terminator: "")
