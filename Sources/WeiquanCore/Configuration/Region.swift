/// A city or prefecture the network serves, with the other names people write for it.
public struct Region: Codable, Sendable, Equatable {
    /// Canonical name, as stored on cases (for example `南宁市`).
    public var name: String
    /// Other written forms (for example `南宁`, `邕`); matched after normalisation.
    public var aliases: [String]

    public init(name: String, aliases: [String] = []) {
        self.name = name
        self.aliases = aliases
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decode(String.self, forKey: .name)
        self.aliases = try container.decodeIfPresent([String].self, forKey: .aliases) ?? []
    }

    /// Every written form: the canonical name first, then the aliases.
    public var allNames: [String] { [self.name] + self.aliases }
}
