import Foundation

/// The parts of the WeChat official-account API the service calls.
///
/// A protocol so that tests can point the service at a fake server (or a stub); the live client is
/// ``HTTPWeChatAPI``. Every failure is thrown as a ``WeChatAPIError``, whose code tells callers whether to
/// refresh the token, retry later, hold the message or give up.
public protocol WeChatAPI: Sendable {
    /// Fetches a new access token:
    /// `GET {base}/cgi-bin/token?grant_type=client_credential&appid=…&secret=…`
    /// → `{"access_token":"…","expires_in":7200}` or `{"errcode":…,"errmsg":"…"}`.
    ///
    /// Each fetch invalidates the previous token (after a grace period of about five minutes), so only one
    /// component may call this: ``AccessTokenManager``.
    func accessToken(appID: String, secret: String) async throws -> AccessToken

    /// Sends one customer-service text message:
    /// `POST {base}/cgi-bin/message/custom/send?access_token=…` with
    /// `{"touser":"OPENID","msgtype":"text","text":{"content":"…"}}` → `{"errcode":0,"errmsg":"ok"}`.
    ///
    /// Not idempotent: WeChat has no idempotency key, so a retry after a lost answer may deliver twice.
    func sendText(_ content: String, to openID: String, accessToken: String) async throws
}

/// An access token as the token endpoint issued it.
///
/// It carries the lifetime WeChat announced (`expires_in`) rather than an absolute expiry, so that the one
/// who asked (``AccessTokenManager``) turns it into a deadline on its own clock.
public struct AccessToken: Sendable, Equatable {
    /// The token (WeChat reserves up to 512 characters for it). Never log it.
    public var value: String
    /// How long the token is valid from the moment it was issued (`expires_in`, usually 7200 s).
    public var expiresIn: Duration

    public init(value: String, expiresIn: Duration) {
        self.value = value
        self.expiresIn = expiresIn
    }
}
