import Foundation
import Hummingbird
import WeiquanCore

/// The console's pages of the staff desk: the live queue (`/console/queue`) and one handoff (`/console/handoffs/{id}`).
///
/// Both read through ``DeskService`` with the caller's identity, so a page shows exactly what `GET /api/v1/handoffs`
/// would (volunteers get the 403 page, a unit-bound token its own unit). Every action on them (claim, write, note,
/// transfer, release, close, takeover) is a `data-api` form of `/api/v1`; `desk.js` keeps the pages live with
/// `GET /api/v1/events` and fills the composer from `GET /api/v1/replies`.
struct ConsoleDeskPages: Sendable {
    let services: ConsoleFeature.Services
    let renderer: ConsoleRenderer

    /// The templates and scripts of these pages, by file name (embedded in the binary).
    static let files: [String: [UInt8]] = [
        "desk.js": PackageResources.desk_js,
        "handoff.mustache": PackageResources.handoff_mustache,
        "queue.mustache": PackageResources.queue_mustache,
    ]

    func addRoutes(to console: RouterGroup<ConsoleRequestContext>) {
        console.get("queue") { _, context in
            try self.queue(context)
        }
        console.get("handoffs/:id") { _, context in
            try await self.handoff(context)
        }
    }

    var desk: DeskService { self.services.desk }

    /// What a path segment may hold as it is (an OpenID is letters, digits, `-` and `_`).
    static let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.~"))

    /// The waiting and active handoffs the caller may see, first in line first.
    func queue(_ context: ConsoleRequestContext) throws -> Response {
        let who = try context.staff()
        let handoffs = try self.desk.list(who, statuses: [.waiting, .active])
        let scope = who.role == .admin ? nil : who.unit
        return try self.renderer.page(
            "queue", title: "排队", context: context,
            values: [
                "handoffs": handoffs.map(Self.row), "none": handoffs.isEmpty,
                "scope": scope.map { self.desk.machine.unitName($0) } ?? "全部单位",
            ],
            scripts: ["desk.js"])
    }

    /// One handoff: its transcript, the summary and what the caller may do with it.
    func handoff(_ context: ConsoleRequestContext) async throws -> Response {
        let who = try context.staff()
        let id = HandoffID(context.parameters.get("id") ?? "")
        let view = try await self.desk.detail(who, id)
        return try self.renderer.page(
            "handoff", title: "人工服务 \(view.id)", context: context, values: self.values(view, for: who),
            scripts: ["desk.js"])
    }

    // MARK: - Values

    static let statusNames: [HandoffRecord.Status: String] = [
        .waiting: "等待接入", .active: "处理中", .callback: "待回电", .question: "留言", .ended: "已结束",
    ]

    static let statusBadges: [HandoffRecord.Status: String] = [
        .waiting: "badge-warn", .active: "badge-ok", .callback: "badge-muted", .question: "badge-muted",
        .ended: "badge-muted",
    ]

    static let reasonNames: [HandoffRequest.Reason: String] = [
        .requested: "申请人要求转人工", .notUnderstood: "机器人多次未能理解", .retriesExhausted: "表单多次填写未通过",
        .staffTakeover: "工作人员接管",
    ]

    static let outcomeNames: [HandoffRecord.Outcome: String] = [
        .released: "已交还机器人", .closed: "已结束", .leftQueue: "申请人退出排队", .idleReleased: "长时间无回应，已交还机器人",
        .unsubscribed: "申请人取消关注", .deskClosed: "人工服务时段结束",
    ]

    /// What a transcript's event line (`claimed`, `transferred to desk-2`, an outcome) says, in Chinese.
    static func eventText(_ text: String) -> String {
        switch text {
        case "claimed": return "接入了对话"
        case "taken over": return "接管了对话"
        default:
            if let outcome = HandoffRecord.Outcome(rawValue: text) {
                return outcome == .closed ? "结束了服务" : Self.outcomeNames[outcome] ?? text
            }
            let transferred = "transferred to "
            return text.hasPrefix(transferred) ? "转给 " + text.dropFirst(transferred.count) : text
        }
    }

    /// A queue row (the same fields `desk.js` fills from `GET /api/v1/handoffs`).
    static func row(_ view: HandoffView) -> [String: Any] {
        var row: [String: Any] = [
            "id": view.id.rawValue, "unit": view.unitName, "status": Self.statusNames[view.status] ?? "",
            "badge": Self.statusBadges[view.status] ?? "badge-muted", "wait": Self.waited(view.waitSeconds),
            "summary": Self.summary(view), "urgent": !view.urgent.isEmpty,
            "position": view.position.map { "第 \($0) 位" } ?? "—",
        ]
        if let assignee = view.assignee { row["assignee"] = "（\(assignee)）" }
        return row
    }

    /// The applicant's question, or their last messages, shortened: what a row says of the matter.
    static func summary(_ view: HandoffView) -> String {
        let text = view.question ?? view.summary.lastMessages.map(\.text).joined(separator: " / ")
        guard !text.isEmpty else { return "（暂无留言）" }
        return text.count > 120 ? String(text.prefix(119)) + "…" : text
    }

    /// "3 分钟", "1 小时 5 分钟", "不到 1 分钟" (as `desk.js` writes it).
    static func waited(_ seconds: Int) -> String {
        let minutes = seconds / 60
        if minutes < 1 { return "不到 1 分钟" }
        if minutes < 60 { return "\(minutes) 分钟" }
        return "\(minutes / 60) 小时" + (minutes % 60 == 0 ? "" : " \(minutes % 60) 分钟")
    }

    /// Times as the desk's office hours read them: `11月23日 10:05`.
    func timeFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "zh_CN")
        formatter.timeZone = TimeZone(identifier: self.desk.policy.officeHours.timeZone) ?? .current
        formatter.dateFormat = "M月d日 HH:mm"
        return formatter
    }

    /// Everything the handoff page shows.
    func values(_ view: HandoffView, for who: StaffIdentity) -> [String: Any] {
        let machine = self.desk.machine
        let time = self.timeFormatter()
        let isOpen = view.status != .ended
        let mine = view.assignee == who.name
        var values: [String: Any] = [
            "id": view.id.rawValue, "statusCode": view.status.rawValue, "status": Self.statusNames[view.status] ?? "",
            "badge": Self.statusBadges[view.status] ?? "badge-muted", "unit": view.unitName,
            "conversation": view.conversation.rawValue,
            "conversationPath": view.conversation.rawValue.addingPercentEncoding(withAllowedCharacters: Self.unreserved)
                ?? "",
            "reason": Self.reasonNames[view.reason] ?? view.reason.rawValue,
            "requested": time.string(from: view.requestedAt),
            "wait": Self.waited(view.waitSeconds), "assigneeName": view.assignee ?? "", "isOpen": isOpen,
            "canClaim": view.status == .waiting,
            "canWrite": (view.status == .active && mine) || view.status == .callback || view.status == .question,
            "ownsConversation": view.status == .waiting || view.status == .active,
        ]
        if let position = view.position { values["position"] = position }
        if !view.urgent.isEmpty { values["urgent"] = view.urgent.joined(separator: "、") }
        if let assignee = view.assignee { values["assignee"] = assignee }
        if let outcome = view.outcome { values["outcome"] = Self.outcomeNames[outcome] ?? outcome.rawValue }
        if !view.summary.intents.isEmpty {
            values["intents"] = view.summary.intents.map { machine.catalogue.intent(IntentID($0))?.title ?? $0 }
                .joined(separator: "、")
        }
        if let kind = view.summary.formKind.flatMap(FormKind.init(rawValue:)) {
            values["form"] = kind == .aidRequest ? "维权援助申请" : "举报投诉"
            values["fields"] = kind.fields.compactMap { field -> [String: String]? in
                guard let value = view.summary.fields[field.id] else { return nil }
                let label =
                    machine.replies.has("label.\(field.id)") ? machine.replies.render("label.\(field.id)") : field.id
                return ["name": label, "value": value]
            }
            if let current = view.summary.currentField {
                values["currentField"] =
                    machine.replies.has("label.\(current)") ? machine.replies.render("label.\(current)") : current
            }
        }
        if !view.summary.evidence.isEmpty { values["evidence"] = "\(view.summary.evidence.count) 份" }
        if let phone = view.callbackPhone { values["callback"] = phone }
        if let question = view.question { values["question"] = question }
        let last = view.summary.lastMessages.map(\.text)
        values["lastMessages"] = last
        values["hasLastMessages"] = !last.isEmpty
        values["messages"] = (view.messages ?? []).map { message -> [String: String] in
            let (kind, who): (String, String) =
                switch message.from {
                case .applicant: ("msg-in", "申请人")
                case .bot: ("msg-bot", "机器人")
                case .staff: ("msg-out", "工作人员")
                case .note: ("msg-note", "内部备注")
                case .event: ("msg-note", "记录")
                }
            let author = message.author.map { " " + $0 } ?? ""
            let text = message.from == .event ? Self.eventText(message.text) : message.text
            return ["kind": kind, "who": who + author, "at": time.string(from: message.at), "text": text]
        }
        // The other units a handoff can be put in the queue of.
        values["units"] = self.desk.directory.units.filter { $0.id != view.unit }.map { unit in
            ["id": unit.id.rawValue, "name": unit.name]
        }
        return values
    }
}
