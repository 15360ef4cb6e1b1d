/// How the public reaches the centre; filled into FAQ answers and replies as `{placeholders}`.
public struct ContactInfo: Codable, Sendable, Equatable {
    public var centreName: String
    public var hotline: String
    public var phone: String
    public var address: String
    public var email: String
    public var officeHours: String
    public var website: String

    public init(
        centreName: String, hotline: String = "12330", phone: String = "", address: String = "", email: String = "",
        officeHours: String = "", website: String = ""
    ) {
        self.centreName = centreName
        self.hotline = hotline
        self.phone = phone
        self.address = address
        self.email = email
        self.officeHours = officeHours
        self.website = website
    }

    enum CodingKeys: String, CodingKey {
        case centreName = "centre_name"
        case hotline, phone, address, email, website
        case officeHours = "office_hours"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.centreName = try container.decode(String.self, forKey: .centreName)
        self.hotline = try container.decodeIfPresent(String.self, forKey: .hotline) ?? "12330"
        self.phone = try container.decodeIfPresent(String.self, forKey: .phone) ?? ""
        self.address = try container.decodeIfPresent(String.self, forKey: .address) ?? ""
        self.email = try container.decodeIfPresent(String.self, forKey: .email) ?? ""
        self.officeHours = try container.decodeIfPresent(String.self, forKey: .officeHours) ?? ""
        self.website = try container.decodeIfPresent(String.self, forKey: .website) ?? ""
    }

    /// The values for `{placeholder}`s in answers and replies, keyed by placeholder name.
    public var placeholders: [String: String] {
        [
            "centre_name": self.centreName, "hotline": self.hotline, "phone": self.phone, "address": self.address,
            "email": self.email, "office_hours": self.officeHours, "website": self.website,
        ]
    }

    /// The placeholder names every answer may use.
    public static let placeholderNames: Set<String> = [
        "centre_name", "hotline", "phone", "address", "email", "office_hours", "website",
    ]
}
