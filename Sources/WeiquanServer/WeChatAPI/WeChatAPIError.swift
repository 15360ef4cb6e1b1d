/// A failed WeChat API call: WeChat's own `errcode`, or a negative local code for what went wrong before
/// WeChat could answer.
///
/// Local codes (all below -1, so they never collide with WeChat's -1 "system busy"):
/// - ``timeout`` (-1001): no complete answer within the request's timeout;
/// - ``transport`` (-1002): no connection, connection reset, TLS failure, …;
/// - ``badResponse`` (-1003): an answer that is not the JSON the endpoint documents;
/// - ``tooLarge`` (-1004): media larger than the caller's limit;
/// - `-status` for an HTTP status other than 200 (e.g. -502 for a 502 from a proxy).
///
/// The message never contains the app secret or the access token.
public struct WeChatAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// WeChat's `errcode`, or a negative local code (see the type's documentation).
    public var code: Int
    /// WeChat's `errmsg`, or what went wrong locally.
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    /// No complete answer within the timeout.
    public static let timeout = -1001
    /// The request did not get through (connection refused or reset, DNS, TLS, …).
    public static let transport = -1002
    /// The answer was not the documented JSON.
    public static let badResponse = -1003
    /// Media larger than the caller's limit (nothing past the limit was read).
    public static let tooLarge = -1004

    /// An HTTP status other than 200, as a local code.
    public static func httpStatus(_ status: Int, message: String) -> WeChatAPIError {
        WeChatAPIError(code: -status, message: message)
    }

    /// The HTTP status this error stands for, if it stands for one.
    public var httpStatus: Int? {
        (-599 ... -100).contains(self.code) ? -self.code : nil
    }

    /// The access token is invalid, not the latest, or expired: 40001, 40014, 42001.
    /// Refresh the token and try once more.
    public var isTokenExpired: Bool {
        [40001, 40014, 42001].contains(self.code)
    }

    /// The message cannot go out through the customer-service API now, but can in a passive reply the next
    /// time the applicant writes (a passive reply needs neither the window nor the permission):
    /// - 45015: outside the 48-hour window since the applicant's last message ("回复时间超过限制");
    /// - 45047: the window's quota is used up ("客服接口下行条数超过上限": 5 messages per user message);
    /// - 48001: the account has no permission for the customer-service API (e.g. an unverified account).
    public var isOutsideWindow: Bool {
        [45015, 45047, 48001].contains(self.code)
    }

    /// Worth retrying after a pause: -1 "system busy", timeouts, transport errors, malformed answers
    /// (typically a proxy's error page), HTTP 408, 429 and 5xx.
    public var isTransient: Bool {
        switch self.code {
        case -1, Self.timeout, Self.transport, Self.badResponse: true
        case -408, -429: true
        case -599 ... -500: true
        default: false
        }
    }

    public var description: String {
        if let status = self.httpStatus {
            return "WeChat API HTTP status \(status): \(self.message)"
        }
        switch self.code {
        case Self.timeout: return "WeChat API timeout: \(self.message)"
        case Self.transport: return "WeChat API unreachable: \(self.message)"
        case Self.badResponse: return "WeChat API malformed answer: \(self.message)"
        default: return "WeChat API error \(self.code): \(self.message)"
        }
    }
}
