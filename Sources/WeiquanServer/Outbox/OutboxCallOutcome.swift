/// How one customer-service API call (with its retry after a token error) ended.
package enum OutboxCallOutcome: Sendable, Equatable {
    case delivered
    /// A transient error, or a token refused twice: worth another attempt after a pause.
    case retry(code: Int)
    /// The window or the permission is missing (``WeChatAPIError/isOutsideWindow``).
    case hold(code: Int)
    /// Refused for good.
    case fail(code: Int)

    /// Sorts a failed call's error: anything but a ``WeChatAPIError`` counts as a transport error.
    package init(classifying error: any Error) {
        guard let error = error as? WeChatAPIError else {
            self = .retry(code: WeChatAPIError.transport)
            return
        }
        if error.isOutsideWindow {
            self = .hold(code: error.code)
        } else if error.isTransient {
            self = .retry(code: error.code)
        } else {
            self = .fail(code: error.code)
        }
    }
}
