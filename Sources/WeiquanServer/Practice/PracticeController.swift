import Hummingbird
import WeiquanCore

/// `POST /api/v1/try` `{"text": "…", "reset"?: true}`: "try the bot" (``PracticeService``) for staff and admins;
/// `GET /api/v1/try`: the practice conversation's last lines (`{"messages": [{"from", "text", "at"}], "owner"}`).
///
/// Answers `{"replies": […], "notes": […], "owner": "bot"}`: the bot's reply as the applicant would read it, and
/// what the service would have done (filed a case, queued for a person …), which the practice does not do.
struct PracticeController: Sendable {
    let practice: PracticeService
    let tokens: TokenRegistry

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        let api = DeskController.api(router, tokens: self.tokens)
        api.get("try") { _, context in
            let practice = try await self.practice.current(context.staff())
            return Transcript(messages: practice.transcript, owner: practice.conversation.owner.description)
        }
        api.post("try") { request, context in
            let body = try await request.decode(as: Body.self, context: context)
            let turn = try await self.practice.talk(context.staff(), text: body.text, reset: body.reset ?? false)
            return Answer(replies: turn.replies, notes: turn.notes, owner: turn.owner)
        }
    }

    struct Body: Decodable {
        var text: String?
        var reset: Bool?
    }

    struct Transcript: ResponseEncodable {
        var messages: [PracticeConversation.Line]
        var owner: String
    }

    struct Answer: ResponseEncodable {
        var replies: [String]
        var notes: [String]
        var owner: String
    }
}
