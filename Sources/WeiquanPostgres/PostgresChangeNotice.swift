import WeiquanStore

/// The NOTIFY payload a store write sends on ``channel`` in its transaction (so it goes out on commit, and
/// only then): the writing instance's id on the first line, then one `collection` TAB `id` line per document.
///
/// PostgreSQL limits a payload to 8,000 bytes: a write that names more sends ``overflowMarker`` instead of
/// the keys, and listeners reload everything (`.resync`).
public struct PostgresChangeNotice: Sendable, Equatable {
    /// The channel every instance listens on.
    public static let channel = "weiquan_changes"
    /// What stands for "too many keys to name".
    public static let overflowMarker = "*"
    /// Payloads stay below PostgreSQL's limit with room to spare.
    public static let payloadLimit = 7_000

    public var instanceID: String
    /// The documents written; nil when there were too many to name.
    public var keys: [DocumentKey]?

    public init(instanceID: String, keys: [DocumentKey]?) {
        self.instanceID = instanceID
        self.keys = keys
    }

    /// The payload to send.
    public var payload: String {
        var text = self.instanceID
        guard let keys = self.keys else { return text + "\n" + Self.overflowMarker }
        for key in keys {
            text += "\n" + key.collection + "\t" + key.id
            if text.utf8.count > Self.payloadLimit { return self.instanceID + "\n" + Self.overflowMarker }
        }
        return text
    }

    /// Reads a payload; nil when it is not one of ours.
    public init?(payload: String) {
        var lines = payload.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, !first.isEmpty else { return nil }
        self.instanceID = String(first)
        lines.removeFirst()
        if lines == [Substring(Self.overflowMarker)] {
            self.keys = nil
            return
        }
        var keys: [DocumentKey] = []
        for line in lines {
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            keys.append(DocumentKey(collection: String(parts[0]), id: String(parts[1])))
        }
        self.keys = keys
    }
}
