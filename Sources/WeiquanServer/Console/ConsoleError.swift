import Hummingbird

/// Why a console page or sign-in was refused; shown to the person as a page (``ConsoleRenderer``) with ``status``.
struct ConsoleError: Error, HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    /// Stable, machine-readable.
    var code: String
    /// For people, in Chinese: what went wrong and what to do.
    var message: String
    var status: HTTPResponse.Status
    /// Seconds a client should wait before trying again (429).
    var retryAfter: Int?

    var description: String { "\(self.code): \(self.message)" }

    /// Errors thrown by a page's handler are rendered by ``ConsoleErrorMiddleware``; this plain-text answer is only
    /// what a client gets when the error escapes it.
    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(
            status: self.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: self.message)))
    }

    static let badToken = ConsoleError(
        code: "unknown_token", message: "令牌不正确或已被吊销，请核对后重试，或联系管理员。", status: .unauthorized)
    static let badLink = ConsoleError(
        code: "unknown_link", message: "登录链接无效、已使用或已过期。请向管理员索取新的链接。", status: .unauthorized)
    static let staleForm = ConsoleError(
        code: "stale_form", message: "登录页面已过期，请刷新页面后再试。", status: .forbidden)
    static let csrf = ConsoleError(
        code: "csrf", message: "请求缺少有效的安全校验，请刷新页面后再试。", status: .forbidden)

    static func tooManyAttempts(retryAfter seconds: Int) -> ConsoleError {
        ConsoleError(
            code: "too_many_attempts",
            message: "登录失败次数过多，请 \(max(1, (seconds + 59) / 60)) 分钟后再试。", status: .tooManyRequests,
            retryAfter: seconds)
    }

    static func notFound(_ what: String) -> ConsoleError {
        ConsoleError(code: "not_found", message: "\(what)不存在。", status: .notFound)
    }

    static let signInNeeded = ConsoleError(
        code: "unauthorized", message: "请先登录。", status: .unauthorized)
    static let forbiddenRole = ConsoleError(
        code: "forbidden_role", message: "您的账号无权查看此页面。", status: .forbidden)
}
