import Foundation

/// The `console` section of the configuration: sign-in sessions of the browser console and where its look comes
/// from. Every field has a default, and the whole section may be left out.
public struct ConsoleSettings: Decodable, Sendable, Equatable {
    /// A session unused for this long ends (the next page asks to sign in again).
    public var idleMinutes: Int
    /// A session ends this long after sign-in however busy it is.
    public var sessionHours: Int
    /// How long a one-time sign-in link (`weiquan token create --link`) works.
    public var linkMinutes: Int
    /// Failed sign-ins allowed from one client within ``signInWindowMinutes``; more are refused (429).
    public var signInAttempts: Int
    public var signInWindowMinutes: Int
    /// Believe `X-Forwarded-For` and `X-Forwarded-Proto` (set it only behind a proxy that writes them): the client
    /// address counted for sign-in attempts, and whether cookies are marked `Secure`.
    public var trustForwarded: Bool
    /// Mark the session cookie `Secure` even without a proxy saying the request came over TLS.
    public var secureCookies: Bool
    /// A directory whose templates, styles, scripts and `logo.svg` replace the embedded ones of the same name
    /// (a centre's branding); nil (empty in the configuration): the embedded ones only.
    public var directory: String?
    /// The address staff reach the service at (`https://weiquan.example.org`), for the sign-in links the command
    /// line prints; empty: `http://host:port` of the `server` section.
    public var publicURL: String

    public init(
        idleMinutes: Int = 30, sessionHours: Int = 12, linkMinutes: Int = 15, signInAttempts: Int = 10,
        signInWindowMinutes: Int = 15, trustForwarded: Bool = false, secureCookies: Bool = false,
        directory: String? = nil, publicURL: String = ""
    ) {
        self.idleMinutes = idleMinutes
        self.sessionHours = sessionHours
        self.linkMinutes = linkMinutes
        self.signInAttempts = signInAttempts
        self.signInWindowMinutes = signInWindowMinutes
        self.trustForwarded = trustForwarded
        self.secureCookies = secureCookies
        self.directory = directory
        self.publicURL = publicURL
    }

    enum CodingKeys: String, CodingKey {
        case idleMinutes = "idle_minutes"
        case sessionHours = "session_hours"
        case linkMinutes = "link_minutes"
        case signInAttempts = "sign_in_attempts"
        case signInWindowMinutes = "sign_in_window_minutes"
        case trustForwarded = "trust_forwarded"
        case secureCookies = "secure_cookies"
        case directory
        case publicURL = "public_url"
    }

    public init(from decoder: any Decoder) throws {
        let defaults = ConsoleSettings()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        self.idleMinutes = try value(.idleMinutes, defaults.idleMinutes)
        self.sessionHours = try value(.sessionHours, defaults.sessionHours)
        self.linkMinutes = try value(.linkMinutes, defaults.linkMinutes)
        self.signInAttempts = try value(.signInAttempts, defaults.signInAttempts)
        self.signInWindowMinutes = try value(.signInWindowMinutes, defaults.signInWindowMinutes)
        self.trustForwarded = try value(.trustForwarded, defaults.trustForwarded)
        self.secureCookies = try value(.secureCookies, defaults.secureCookies)
        // Empty (the default, so that WEIQUAN_CONSOLE_DIRECTORY can set it) means none.
        self.directory = try container.decodeIfPresent(String.self, forKey: .directory).flatMap {
            $0.isEmpty ? nil : $0
        }
        self.publicURL = try value(.publicURL, defaults.publicURL)
        for (key, minimum) in [
            (CodingKeys.idleMinutes, self.idleMinutes), (.sessionHours, self.sessionHours),
            (.linkMinutes, self.linkMinutes), (.signInAttempts, self.signInAttempts),
            (.signInWindowMinutes, self.signInWindowMinutes),
        ] where minimum < 1 {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "console.\(key.rawValue) must be at least 1")
        }
    }
}
