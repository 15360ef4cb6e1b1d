import Foundation
import Hummingbird
import WeiquanCore

/// The console's pages of the volunteers' queue and staff's review of their answers.
///
/// | Page | Who | Shows |
/// |---|---|---|
/// | `/console/questions?ip_type=&status=&urgent_first=&page=` | all | a volunteer: the questions they hold (lease, renew), then the queued ones of their scope with the claim form; staff: the questions they may see |
/// | `/console/questions/history?page=` | all | a volunteer: their figures and answered questions, newest first, with the reviews and ratings; staff: every volunteer's figures |
/// | `/console/questions/{id}` | all | one question as the API shows it to the caller, with the forms of what they may do now (staff's read is audited, as the API's) |
/// | `/console/review?page=` | staff, admins | the answers awaiting review, urgent first, with approve and return |
///
/// Every read goes through ``QuestionService`` as `/api/v1/questions` does, with the same filters parsed by
/// ``QuestionsController/filter(_:)``: a page shows its caller exactly what the API would (a volunteer: redacted,
/// never the OpenID or the words as written; a question they may not see is a 404), and refuses what the API
/// refuses (a volunteer on the review page: 403 `forbidden_role`). Every change is a form calling the API
/// (`data-api`), which checks the role again.
struct ConsoleQuestionPages: Sendable {
    let services: ConsoleFeature.Services
    let renderer: ConsoleRenderer

    /// The templates of these pages, by file name (embedded in the binary).
    static let files: [String: [UInt8]] = [
        "question-history.mustache": PackageResources.question_history_mustache,
        "question.mustache": PackageResources.question_mustache,
        "questions.css": PackageResources.questions_css,
        "questions.mustache": PackageResources.questions_mustache,
        "review.mustache": PackageResources.review_mustache,
    ]

    /// The style sheet of these pages besides `console.css`.
    static let styles = ["questions.css"]

    /// Rows per page.
    static let pageSize = 50

    var questions: QuestionService { self.services.questions }

    /// The labels, times and limits the templates show, in the centre's words and time zone.
    var values: ConsoleQuestionValues {
        let machine = self.services.conversation.machine
        return ConsoleQuestionValues(
            typeNames: Dictionary(
                uniqueKeysWithValues: IPType.allCases.map {
                    ($0.rawValue, machine.replies.render("option.ip_type.\($0.rawValue)"))
                }),
            timeZone: TimeZone(identifier: machine.configuration.desk.officeHours.timeZone)
                ?? TimeZone(identifier: "Asia/Shanghai") ?? .gmt,
            unitNames: Dictionary(
                machine.configuration.directory.units.map { ($0.id.rawValue, $0.name) },
                uniquingKeysWith: { first, _ in first }))
    }

    func addRoutes(to console: RouterGroup<ConsoleRequestContext>) {
        console.get("questions") { request, context in
            try await self.list(request, context: context)
        }
        console.get("questions/history") { request, context in
            try await self.history(request, context: context)
        }
        console.get("questions/:id") { _, context in
            try await self.question(context: context)
        }
        console.get("review") { request, context in
            try await self.review(request, context: context)
        }
    }

    // MARK: - Pages

    /// A volunteer's queue (what they hold, then what they may claim), or staff's list of questions.
    func list(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let who = try context.staff()
        let query = Self.filled(request.uri.queryParameters)
        var filter = try QuestionsController.filter(query)
        let page = try Self.page(query)
        let (values, now) = (self.values, self.questions.now)
        let volunteer = who.role == .volunteer
        var shown: [String: Any] = [
            "isVolunteer": volunteer, "isStaff": !volunteer, "urgentFirst": filter.urgentFirst,
            "typeOptions": values.typeOptions(selected: filter.ipType),
        ]
        if volunteer {
            // Their queue is what they may claim; what they hold is listed above it, all of it.
            filter.statuses = [.queued]
            filter.mine = false
            let held = try await self.questions.list(
                who, filter: .init(statuses: QuestionStatus.holding, mine: true), limit: 500)
            shown["mine"] = held.questions.map { values.row($0, now: now) }
            shown["hasMine"] = !held.questions.isEmpty
        } else {
            let chosen = filter.statuses.flatMap { $0.count == 1 ? $0.first : nil }
            shown["statusOptions"] = QuestionStatus.allCases.map { status -> [String: Any] in
                [
                    "value": status.rawValue, "label": ConsoleQuestionValues.status(status).label,
                    "selected": status == chosen,
                ]
            }
        }
        let found = try await self.questions.list(
            who, filter: filter, limit: Self.pageSize, offset: page * Self.pageSize)
        shown["questions"] = found.questions.map { values.row($0, now: now) }
        shown["hasQuestions"] = !found.questions.isEmpty
        shown["total"] = found.total
        if let pager = Self.pager(path: "/console/questions", query: query, page: page, total: found.total) {
            shown["pager"] = pager
        }
        return try self.renderer.page(
            "questions", title: volunteer ? "待答问题" : "志愿者答疑", context: context, values: shown,
            styles: Self.styles)
    }

    /// A volunteer's figures and the questions they answered, newest first; staff: every volunteer's figures.
    func history(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let who = try context.staff()
        let values = self.values
        let figures = try await self.questions.stats(who)
        let volunteer = who.role == .volunteer
        var shown: [String: Any] = ["isVolunteer": volunteer, "isStaff": !volunteer]
        guard volunteer else {
            shown["volunteers"] = figures.map(values.figures)
            shown["hasVolunteers"] = !figures.isEmpty
            return try self.renderer.page(
                "question-history", title: "志愿者统计", context: context, values: shown, styles: Self.styles)
        }
        if let own = figures.first { shown["mine"] = values.figures(own) }
        // The API lists oldest first: the newest page is read from the end.
        let query = request.uri.queryParameters
        let page = try Self.page(query)
        let filter = QuestionService.Filter(statuses: [.answered, .delivered, .closed], mine: true)
        let total = try await self.questions.list(who, filter: filter, limit: 0).total
        let end = max(0, total - page * Self.pageSize)
        let start = max(0, end - Self.pageSize)
        let found = try await self.questions.list(who, filter: filter, limit: end - start, offset: start)
        let now = self.questions.now
        shown["questions"] = found.questions.reversed().map { values.row($0, now: now) }
        shown["hasQuestions"] = !found.questions.isEmpty
        shown["total"] = found.total
        if let pager = Self.pager(path: "/console/questions/history", query: query, page: page, total: found.total) {
            shown["pager"] = pager
        }
        return try self.renderer.page(
            "question-history", title: "我的答复", context: context, values: shown, styles: Self.styles)
    }

    /// One question with what the caller may do with it now.
    func question(context: ConsoleRequestContext) async throws -> Response {
        let who = try context.staff()
        guard let raw = context.parameters.get("id"), !raw.isEmpty, raw.utf8.count <= 100 else {
            throw ConsoleError.notFound("问题")
        }
        let question = try await self.questions.detail(who, QuestionID(raw))
        var shown = self.values.detail(question, for: who, now: self.questions.now)
        // In the menu, a question belongs to the volunteer's queue or to staff's review.
        shown["section"] = who.role == .volunteer ? "questions" : "review"
        return try self.renderer.page("question", title: "问题 \(question.id.rawValue)", context: context, values: shown)
    }

    /// Staff: the answers awaiting review, urgent ones first.
    func review(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let who = try context.staff()
        try DeskService.requireStaff(who)
        let query = request.uri.queryParameters
        let page = try Self.page(query)
        let filter = QuestionService.Filter(statuses: [.answered], urgentFirst: true)
        let found = try await self.questions.list(
            who, filter: filter, limit: Self.pageSize, offset: page * Self.pageSize)
        let (values, now) = (self.values, self.questions.now)
        var shown: [String: Any] = [
            "questions": found.questions.map { values.row($0, now: now) }, "total": found.total,
            "maxAnswer": values.maxAnswerLength, "maxNote": values.maxNoteLength,
        ]
        if let pager = Self.pager(path: "/console/review", query: query, page: page, total: found.total) {
            shown["pager"] = pager
        }
        return try self.renderer.page("review", title: "答复审核", context: context, values: shown)
    }

    // MARK: - Paging

    /// The parameters that have a value: the filter form sends its "全部" choices empty, which the API's parsing
    /// would read as a filter for the empty type or status.
    static func filled(_ query: Parameters) -> Parameters {
        Parameters(query.filter { !$0.value.isEmpty })
    }

    /// The page asked for (`page=`, from 0); anything but a whole number ≥ 0 is a 400, as the API's numbers are.
    static func page(_ query: Parameters) throws -> Int {
        min(try CasesController.number(query.get("page"), name: "page") ?? 0, 10_000)
    }

    /// Links to the pages before and after `page` keeping the other parameters; nil when everything fits one page.
    static func pager(path: String, query: Parameters, page: Int, total: Int) -> [String: Any]? {
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        guard pages > 1 else { return nil }
        let kept = query.filter { $0.key != "page" }.map { URLQueryItem(name: String($0.key), value: String($0.value)) }
        func link(_ number: Int) -> String {
            var components = URLComponents()
            components.path = path
            components.queryItems = kept + [URLQueryItem(name: "page", value: String(number))]
            return components.string ?? path
        }
        var pager: [String: Any] = ["page": page + 1, "pages": pages]
        if page > 0 { pager["previous"] = link(min(page, pages) - 1) }
        if page + 1 < pages { pager["next"] = link(page + 1) }
        return pager
    }
}
