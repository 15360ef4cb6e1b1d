import Logging

/// The one place that fetches the account's access token.
///
/// WeChat invalidates the previous token whenever a new one is fetched (after about five minutes of grace),
/// so several fetchers racing each other cause sporadic 40001 errors (WeRoBot#288, wechatpy PR #685,
/// WxJava#369). Here:
/// - concurrent callers share one fetch: a thousand `token()` calls during a refresh make one request;
/// - the token is refreshed ahead of its expiry (`refreshMargin`, five minutes by default, at most half
///   the token's lifetime), inside the window where old and new tokens both work;
/// - `invalidate(_:)` forces a refresh only if the token it names is still the current one, so several
///   sends that failed with the same stale token cause one refresh, not one each;
/// - if a refresh ahead of expiry fails while the current token is still valid, the current token is
///   returned (and the next call tries again); once it has expired, the error is thrown.
///
/// One instance per process and account, used only by the ``Outbox``'s delivery. With several instances of the
/// service on one store, delivery runs only on the instance that holds ``Outbox/role`` (`coordination.lead`), so one
/// instance at a time fetches tokens: a non-leader's manager is never asked and fetches nothing. When the role passes,
/// the new holder fetches its own token (which invalidates the old holder's after WeChat's grace period); should the
/// role come back, the stale token is refused with 40001 and replaced through ``invalidate(_:)``. Anything else that
/// needs a token must take it from the role's holder, never from a manager of its own.
public actor AccessTokenManager {
    /// The token held, with its deadlines as times on ``stopwatch``.
    private struct Current {
        var value: String
        /// From here on a call refreshes first.
        var refreshAt: Duration
        /// From here on the token is not used at all.
        var expiresAt: Duration
    }

    private let api: any WeChatAPI
    private let appID: String
    private let secret: String
    /// Token lifetimes are timed on the injected clock, never on the wall clock (which may jump).
    private let stopwatch: Stopwatch
    private let refreshMargin: Duration
    private let metrics: Metrics
    private let logger: Logger
    private var current: Current?
    /// The fetch under way, shared by every caller, and when it began (the token's life counts from there).
    private var refresh: (task: Task<AccessToken, any Error>, startedAt: Duration)?

    /// - Parameters:
    ///   - api: Where tokens come from.
    ///   - appID: The account's AppID.
    ///   - secret: The account's AppSecret; never logged.
    ///   - clock: What token lifetimes are timed on (tests move a manual clock).
    ///   - refreshMargin: How long before expiry the token is refreshed.
    ///   - metrics: Counts refreshes (`weiquan_token_refreshes_total`) and failed ones
    ///     (`weiquan_token_refresh_failures_total`).
    public init(
        api: any WeChatAPI, appID: String, secret: String, clock: any Clock<Duration> = ContinuousClock(),
        refreshMargin: Duration = .seconds(300), metrics: Metrics = Metrics(),
        logger: Logger = Logger(label: "weiquan.wechat.token")
    ) {
        self.api = api
        self.appID = appID
        self.secret = secret
        self.stopwatch = Stopwatch(clock)
        self.refreshMargin = refreshMargin
        self.metrics = metrics
        self.logger = logger
    }

    /// A valid access token: the current one, or a fresh one if it is due for refresh.
    ///
    /// Throws the token endpoint's ``WeChatAPIError`` (e.g. 40125 wrong secret, 40164 server IP not on
    /// the account's allow-list, or a transport error) when there is no valid token to fall back on.
    public func token() async throws -> String {
        let now = self.stopwatch.elapsed
        if let current = self.current, now < current.refreshAt {
            return current.value
        }
        let task: Task<AccessToken, any Error>
        let startedAt: Duration
        if let running = self.refresh {
            (task, startedAt) = running
        } else {
            let (api, appID, secret) = (self.api, self.appID, self.secret)
            task = Task { try await api.accessToken(appID: appID, secret: secret) }
            startedAt = now
            self.refresh = (task, now)
            self.metrics.increment(.tokenRefreshes)
        }
        do {
            let fresh = try await task.value
            if self.refresh?.task == task {
                // The first caller back installs it; the others find it installed.
                self.refresh = nil
                self.install(fresh, requestedAt: startedAt)
            }
            return fresh.value
        } catch {
            if self.refresh?.task == task {
                self.refresh = nil
                self.metrics.increment(.tokenRefreshFailures)
                self.logger.error("could not fetch the WeChat access token", metadata: ["error": "\(error)"])
            }
            if let current = self.current, self.stopwatch.elapsed < current.expiresAt {
                return current.value
            }
            throw error
        }
    }

    /// Says that a call was refused with `token` as expired or invalid (40001, 40014, 42001): the next
    /// `token()` fetches a new one, unless `token` is no longer the current token (someone else already
    /// refreshed, or is refreshing).
    public func invalidate(_ token: String) {
        guard let current = self.current, current.value == token else { return }
        self.logger.info("the WeChat access token was refused; fetching a new one on next use")
        self.current = nil
    }

    /// Whether a token is held (for tests and health checks).
    public var hasToken: Bool { self.current != nil }

    private func install(_ token: AccessToken, requestedAt: Duration) {
        // The lifetime counts from when WeChat issued the token, which is no earlier than the request.
        let lifetime = token.expiresIn
        let margin = min(self.refreshMargin, lifetime / 2)
        self.current = Current(
            value: token.value, refreshAt: requestedAt + lifetime - margin, expiresAt: requestedAt + lifetime)
    }
}
