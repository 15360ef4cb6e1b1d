import Crypto
import Foundation
import Hummingbird
import NIOCore
import WeiquanCore

/// `GET /kb`: the published entries of the knowledge base as one public HTML page (优秀问答), without a token, for a
/// menu of the official account to link.
///
/// - Rendered once per snapshot of the ``KnowledgeBase`` and served from memory; `ETag` (a hash of the page) and
///   `Cache-Control` let WeChat's browser and proxies keep it, and `If-None-Match` with the current tag is a 304.
/// - Every text is escaped; the page has no script at all, and its `Content-Security-Policy` allows none: the only
///   style is the inline block below, allowed by its hash; no images, frames, forms or other origins.
struct KnowledgePage: Sendable {
    /// A rendered page and its tag.
    struct Rendered: Sendable {
        var body: ByteBuffer
        var etag: String
    }

    static let path = "/kb"
    /// Five minutes: an edit shows within that, and a reader's reload costs a 304.
    static let cacheControl = "public, max-age=300"

    static let css = """
        body{margin:0 auto;max-width:46rem;padding:1rem;font:16px/1.7 -apple-system,"PingFang SC","Microsoft YaHei",\
        sans-serif;color:#222;background:#fff}h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.25rem;margin:1.5rem 0 0}\
        h3{font-size:1.1rem;margin:0 0 .5rem}nav p{margin:.5rem 0 0}nav ol{padding-left:1.4rem}\
        article{border-top:1px solid #ddd;padding:1rem 0}.q,.a{white-space:pre-line}.q{color:#555}\
        .meta,footer{color:#888;font-size:.85rem}a{color:#1a5fb4}
        """

    /// What the page's policy allows: nothing but its own style block.
    static let contentSecurityPolicy: String = {
        let hash = Data(SHA256.hash(data: Data(Self.css.utf8))).base64EncodedString()
        return "default-src 'none'; style-src 'sha256-\(hash)'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'"
    }()

    let knowledge: KnowledgeBase
    let contact: ContactInfo
    /// The centre's time zone, for the dates of the last changes.
    let timeZone: TimeZone
    /// The heading of each kind of right (the wording of `option.ip_type.*` in `intents/replies.json`).
    let typeNames: [IPType: String]

    /// The heading of the entries about no one kind of right.
    static let general = "综合"

    func addRoutes(to router: Router<some RequestContext>) {
        router.get(RouterPath(Self.path)) { request, _ -> Response in
            self.response(to: request)
        }
        router.head(RouterPath(Self.path)) { request, _ -> Response in
            var response = self.response(to: request)
            response.body = .init()
            return response
        }
    }

    /// The page, or a 304 when the client holds the current one.
    func response(to request: Request) -> Response {
        let page = self.knowledge.page { self.render($0) }
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: Self.cacheControl, .eTag: page.etag,
            .contentSecurityPolicy: Self.contentSecurityPolicy, .xContentTypeOptions: "nosniff",
        ]
        let held = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if held.contains(page.etag) || held.contains("*") {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: page.body))
    }

    /// The page of `snapshot`'s published entries: a section per kind of right (patents, trademarks, … then the
    /// entries about none), oldest entry first.
    func render(_ snapshot: KnowledgeBase.Snapshot) -> Rendered {
        let groups = Dictionary(grouping: snapshot.entries.values, by: \.ipType)
            .map { type, entries in
                (type: type, entries: entries.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) })
            }
            .sorted { Self.rank($0.type) < Self.rank($1.type) }
        let centre = Self.escape(self.contact.centreName)
        var html = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>优秀问答 · \(centre)</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <header><h1>优秀问答</h1><p>\(centre)整理的知识产权维权常见问题解答。</p></header>

            """
        if groups.isEmpty {
            html += "<main><p>暂无内容。</p></main>\n"
        } else {
            html += "<nav>\n"
            for group in groups {
                html += "<p>\(Self.escape(self.name(group.type)))</p><ol>\n"
                for entry in group.entries {
                    html += "<li><a href=\"#\(Self.escape(entry.id.rawValue))\">\(Self.escape(entry.title))</a></li>\n"
                }
                html += "</ol>\n"
            }
            html += "</nav>\n<main>\n"
            for group in groups {
                html += "<section>\n<h2>\(Self.escape(self.name(group.type)))</h2>\n"
                for entry in group.entries {
                    html += """
                        <article id="\(Self.escape(entry.id.rawValue))">
                        <h3>\(Self.escape(entry.title))</h3>
                        <p class="q"><b>问：</b>\(Self.escape(entry.question))</p>
                        <div class="a"><b>答：</b>\(Self.escape(entry.answer))</div>
                        <p class="meta">更新于 \(self.day(entry.updatedAt))</p>
                        </article>

                        """
                }
                html += "</section>\n"
            }
            html += "</main>\n"
        }
        html += """
            <footer><p>以上解答仅供参考。具体问题请在公众号留言，或拨打\(Self.escape(self.contact.hotline))。</p></footer>
            </body>
            </html>

            """
        let bytes = Data(html.utf8)
        let digest = SHA256.hash(data: bytes).prefix(16).map { String(format: "%02x", $0) }.joined()
        return Rendered(body: ByteBuffer(bytes: bytes), etag: "\"\(digest)\"")
    }

    /// The place of a kind of right on the page: the order of ``IPType``, then no kind.
    static func rank(_ type: IPType?) -> Int {
        type.flatMap { IPType.allCases.firstIndex(of: $0) } ?? IPType.allCases.count
    }

    /// The heading of a kind of right.
    func name(_ type: IPType?) -> String {
        type.flatMap { self.typeNames[$0] } ?? Self.general
    }

    /// `yyyy-MM-dd` in the centre's time zone.
    func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = self.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// `text` safe in HTML text and in a quoted attribute.
    static func escape(_ text: String) -> String { ConsoleHTML.escape(text) }
}
