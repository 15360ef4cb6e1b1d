import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The encodings registry exports come in.
public enum RegistryTextEncoding: String, Sendable, Codable {
    case utf8 = "UTF-8"
    /// GBK, read as its superset GB 18030 (what Chinese Windows tools write as "ANSI").
    case gbk = "GBK"
}

/// Turns an export's bytes into UTF-8: UTF-8 as it is (a byte-order mark dropped), anything else read as GB 18030.
///
/// A file that is neither is refused with the byte offset where it stops making sense, never half-read.
package enum TextDecoding {
    /// The file's text as UTF-8 bytes and the encoding it was written in.
    package static func utf8(_ bytes: [UInt8]) throws(RegistryImportError) -> (
        bytes: [UInt8], encoding: RegistryTextEncoding
    ) {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        if Self.isUTF8(bytes, from: start) {
            return (start == 0 ? bytes : Array(bytes[start...]), .utf8)
        }
        return (try Self.convert(bytes, from: "GB18030"), .gbk)
    }

    /// Whether `bytes` from `start` is well-formed UTF-8.
    static func isUTF8(_ bytes: [UInt8], from start: Int) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var index = start
            let end = buffer.count
            while index < end {
                let byte = buffer[index]
                if byte < 0x80 {
                    index += 1
                    continue
                }
                let length: Int
                if byte & 0xE0 == 0xC0, byte >= 0xC2 {
                    length = 2
                } else if byte & 0xF0 == 0xE0 {
                    length = 3
                } else if byte & 0xF8 == 0xF0, byte <= 0xF4 {
                    length = 4
                } else {
                    return false
                }
                guard index + length <= end else { return false }
                for offset in 1..<length where buffer[index + offset] & 0xC0 != 0x80 { return false }
                index += length
            }
            return true
        }
    }

    /// Converts with iconv(3); a byte sequence the encoding does not have is an error naming its offset.
    private static func convert(_ bytes: [UInt8], from encoding: String) throws(RegistryImportError) -> [UInt8] {
        let converter = iconv_open("UTF-8", encoding)
        guard converter != iconv_t(bitPattern: -1) else {
            throw RegistryImportError("this system cannot read \(encoding) (iconv has no converter for it)")
        }
        defer { iconv_close(converter) }
        var output = [UInt8](repeating: 0, count: bytes.count * 3 / 2 + 16)
        var input = bytes
        var failedAt: Int?
        var written = 0
        input.withUnsafeMutableBufferPointer { inputBuffer in
            var inPointer = inputBuffer.baseAddress.map {
                UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self)
            }
            var inLeft = inputBuffer.count
            while inLeft > 0 {
                let produced: Int = output.withUnsafeMutableBufferPointer { outputBuffer in
                    var outPointer = outputBuffer.baseAddress.map {
                        UnsafeMutableRawPointer($0 + written).assumingMemoryBound(to: CChar.self)
                    }
                    var outLeft = outputBuffer.count - written
                    let before = outLeft
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    if result == -1, errno != E2BIG {
                        failedAt = inputBuffer.count - inLeft
                        inLeft = 0
                    }
                    return before - outLeft
                }
                written += produced
                if inLeft > 0 { output.append(contentsOf: repeatElement(0, count: inLeft * 2 + 16)) }
            }
        }
        if let failedAt {
            throw RegistryImportError(
                "the file is neither UTF-8 nor GBK: unreadable bytes at byte \(failedAt) (save it as UTF-8 or GBK)")
        }
        output.removeSubrange(written...)
        return output
    }
}
