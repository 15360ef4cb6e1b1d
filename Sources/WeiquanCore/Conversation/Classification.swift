import Foundation

/// The one-line JSON `weiquan classify` prints for a message: `{"intent": …, "confidence": …, "entities": {…}}`.
public struct Classification: Encodable, Sendable, Equatable {
    public var intent: IntentID
    public var confidence: Double
    public var entities: ExtractedEntities

    public init(_ understanding: Understanding) {
        self.intent = understanding.match.intent
        // Three decimals are plenty for a person and keep the output stable across platforms.
        self.confidence = (understanding.match.confidence * 1000).rounded() / 1000
        self.entities = understanding.entities
    }

    /// The JSON object on one line, keys in the documented order.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let entities = (try? encoder.encode(self.entities)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        let intent =
            (try? encoder.encode(self.intent.rawValue)).flatMap { String(data: $0, encoding: .utf8) } ?? "\"unknown\""
        return "{\"intent\":\(intent),\"confidence\":\(self.confidence),\"entities\":\(entities)}"
    }
}
