import WeiquanCore

/// The `server` and `wechat` sections of the configuration.
public struct ServerSettings: Decodable, Sendable, Equatable {
    /// Where and how the HTTP server listens and stores.
    public struct Server: Decodable, Sendable, Equatable {
        public var host: String
        public var port: Int
        /// The store's directory (`./data` by default).
        public var dataDirectory: String
        /// Larger request bodies are refused with 413.
        public var bodyLimitBytes: Int
        /// How long a handled message's reply is kept to answer WeChat's retries.
        public var dedupeWindowSeconds: Int
        /// How many recently active conversations a lone instance keeps decoded in memory.
        public var conversationCache: Int
        /// Serves `/bench/echo`, the bare route benchmarks compare against.
        public var benchRoutes: Bool
        public var logLevel: String
        /// How often the service looks for a new registry import (`weiquan registry import`) to answer from.
        public var registryRefreshSeconds: Int

        enum CodingKeys: String, CodingKey {
            case host, port
            case dataDirectory = "data_directory"
            case bodyLimitBytes = "body_limit_bytes"
            case dedupeWindowSeconds = "dedupe_window_seconds"
            case conversationCache = "conversation_cache"
            case benchRoutes = "bench_routes"
            case logLevel = "log_level"
            case registryRefreshSeconds = "registry_refresh_seconds"
        }
    }

    /// The official account's credentials and protocol settings.
    public struct WeChat: Decodable, Sendable, Equatable {
        /// The message encryption modes of the official-account console (明文, 兼容, 安全).
        public enum Mode: String, Decodable, Sendable {
            case plain, compat, safe
        }

        public var token: String
        public var appID: String
        public var appSecret: String
        public var aesKey: String
        public var mode: Mode
        public var apiBase: String
        /// How long a webhook request waits for its answer before replying `success` and leaving the
        /// answer to the outbox (WeChat gives up after 5 seconds).
        public var replyBudgetMilliseconds: Int
        /// Requests whose timestamp is further off than this are logged.
        public var clockSkewWarningSeconds: Int
        /// Custom-menu CLICK keys and the intents they start.
        public var menu: [String: IntentID]
        /// The custom menu's layout: top-level buttons and the CLICK keys under each.
        public var menuButtons: [MenuButton]

        /// A top-level button of the custom menu.
        public struct MenuButton: Decodable, Sendable, Equatable {
            public var name: String
            public var keys: [String]

            public init(name: String, keys: [String]) {
                self.name = name
                self.keys = keys
            }
        }

        /// The token of the embedded demo configuration; the service warns while it is in use.
        public static let demoToken = "weiquandemo"

        public var usesDemoToken: Bool { self.token == Self.demoToken }

        enum CodingKeys: String, CodingKey {
            case token, mode, menu
            case menuButtons = "menu_buttons"
            case appID = "appid"
            case appSecret = "appsecret"
            case aesKey = "aes_key"
            case apiBase = "api_base"
            case replyBudgetMilliseconds = "reply_budget_ms"
            case clockSkewWarningSeconds = "clock_skew_warning_seconds"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.token = try container.decode(String.self, forKey: .token)
            self.appID = try container.decode(String.self, forKey: .appID)
            self.appSecret = try container.decode(String.self, forKey: .appSecret)
            self.aesKey = try container.decode(String.self, forKey: .aesKey)
            self.mode = try container.decode(Mode.self, forKey: .mode)
            self.apiBase = try container.decode(String.self, forKey: .apiBase)
            self.replyBudgetMilliseconds = try container.decode(Int.self, forKey: .replyBudgetMilliseconds)
            self.clockSkewWarningSeconds = try container.decode(Int.self, forKey: .clockSkewWarningSeconds)
            let menu = try container.decode([String: String].self, forKey: .menu)
            self.menu = menu.filter { !$0.key.hasPrefix("_") }.mapValues { IntentID($0) }
            self.menuButtons = try container.decode([MenuButton].self, forKey: .menuButtons)
        }
    }

    public var server: Server
    public var wechat: WeChat
    /// How the media applicants send as evidence are fetched and kept.
    public var evidence: EvidenceSettings
    /// The browser console's sessions and look (defaults when the section is left out).
    public var console: ConsoleSettings

    enum CodingKeys: String, CodingKey {
        case server, wechat, evidence, console
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.server = try container.decode(Server.self, forKey: .server)
        self.wechat = try container.decode(WeChat.self, forKey: .wechat)
        self.evidence = try container.decode(EvidenceSettings.self, forKey: .evidence)
        self.console = try container.decodeIfPresent(ConsoleSettings.self, forKey: .console) ?? ConsoleSettings()
    }
}
