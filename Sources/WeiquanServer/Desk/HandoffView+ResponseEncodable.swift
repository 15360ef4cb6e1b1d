import Hummingbird

/// A handoff is the answer of most desk routes, written with the context's encoder.
extension HandoffView: ResponseEncodable {}
