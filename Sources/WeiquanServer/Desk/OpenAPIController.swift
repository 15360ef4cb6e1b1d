import Hummingbird
import NIOCore

/// `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of the staff desk API, compiled into the binary.
///
/// Served without a token, so that clients and contract tests can read it before they hold one; it says
/// nothing the code in the repository does not. The document lives in `Resources/openapi.json`, and
/// `scripts/api-contract-test.sh` checks a running server against it.
struct OpenAPIController: Sendable {
    /// Where the document is served.
    static let path = "/api/v1/openapi.json"

    /// The document's bytes, as embedded at build time.
    static var document: ByteBuffer { ByteBuffer(bytes: PackageResources.openapi_json) }

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        router.get(RouterPath(Self.path)) { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: Self.document)
            )
        }
    }
}
