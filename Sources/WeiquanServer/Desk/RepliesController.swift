import Hummingbird
import WeiquanFiles

/// `GET /api/v1/replies`: the ready-made replies staff may send (`intents/desk-replies.json`, contact placeholders
/// filled from the configuration), in the file's order. Staff and admins only; volunteers get 403 `forbidden_role`.
struct RepliesController: Sendable {
    let replies: [DeskReply]
    let tokens: TokenRegistry

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        DeskController.api(router, tokens: self.tokens).get("replies") { _, context in
            try DeskService.requireStaff(context.staff())
            return Listing(replies: self.replies)
        }
    }

    struct Listing: ResponseEncodable {
        var replies: [DeskReply]
    }
}
