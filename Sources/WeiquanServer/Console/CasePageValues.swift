import Foundation
import WeiquanCore

/// What the case pages show (`cases.mustache`, `case.mustache`, `erasures.mustache`), as the values their
/// templates read: strings a person reads (labels of statuses, kinds, answers and actions in Chinese, times in the
/// centre's time zone), flags for the sections, and the transitions the case's status allows. Every applicant's
/// text stays a plain string here: the templates escape it (`{{x}}`).
///
/// Pure: it reads the records the pages fetched through ``CaseService`` and ``PrivacyService`` as the API does, and
/// the centre's configuration; the benchmark renders a list of 1,000 cases with it.
package struct CasePageValues: Sendable {
    let machine: ConversationMachine
    let deadlines: CaseDeadlines
    let now: Date
    let time: ConsoleClockText

    /// How many cases a list page shows.
    static let pageSize = 50
    /// A case due within this long is flagged as due soon.
    static let dueSoon: TimeInterval = 24 * 3_600
    /// The statuses of a case not finished (the list's 未结 filter).
    static let openStatuses = "submitted,accepted,in_progress,transferred,receipt_returned"

    package init(machine: ConversationMachine, now: Date) {
        self.machine = machine
        self.deadlines = CaseDeadlines(machine.configuration)
        self.now = now
        let zone = machine.configuration.desk.officeHours.timeZone
        self.time = ConsoleClockText(TimeZone(identifier: zone) ?? TimeZone(secondsFromGMT: 8 * 3_600) ?? .gmt)
    }

    var replies: ReplyBook { self.machine.replies }
    var directory: OrgDirectory { self.machine.configuration.directory }

    // MARK: - The list

    /// The list page: the filters as the query has them, the rows, the counts and the pager's links.
    ///
    /// - Parameters:
    ///   - query: The page's query without empty values (`status`, `kind`, `unit`, `overdue`, `q`, `offset`).
    ///   - units: The units the caller may narrow the list to.
    package func list(
        _ cases: [CaseRecord], total: Int, overdueCount: Int, query: [(String, String)], offset: Int, units: [OrgUnit]
    ) -> [String: Any] {
        let value = { (name: String) in query.last { $0.0 == name }?.1 ?? "" }
        var statuses: [(String, String)] = [("", "全部状态"), (Self.openStatuses, "未结")]
        statuses += CaseStatus.allCases.map { ($0.rawValue, self.statusText($0)) }
        let kinds =
            [("", "全部类型")] + CaseKind.allCases.map { ($0.rawValue, self.replies.render("case.kind.\($0.rawValue)")) }
        let unitOptions = [("", "全部单位")] + units.map { ($0.id.rawValue, $0.name) }
        let overdue = [("", "全部"), ("true", "已逾期"), ("false", "未逾期")]
        var values: [String: Any] = [
            "statuses": Self.options(statuses, selected: value("status")),
            "kinds": Self.options(kinds, selected: value("kind")),
            "units": Self.options(unitOptions, selected: value("unit")),
            "deadlines": Self.options(overdue, selected: value("overdue")),
            "q": value("q"),
            "rows": cases.map(self.row),
            "hasRows": !cases.isEmpty,
            "total": total,
            "overdueCount": overdueCount,
            "hasOverdue": overdueCount > 0,
            "from": offset + 1,
            "to": offset + cases.count,
        ]
        let kept = query.filter { $0.0 != "offset" }
        if offset > 0 {
            values["previous"] = Self.link("/console/cases", kept, offset: max(0, offset - Self.pageSize))
        }
        if offset + cases.count < total, !cases.isEmpty {
            values["next"] = Self.link("/console/cases", kept, offset: offset + cases.count)
        }
        return values
    }

    /// One row of the list.
    func row(_ record: CaseRecord) -> [String: Any] {
        let deadline = self.deadlines.current(for: record)
        var row: [String: Any] = [
            "id": record.id.rawValue,
            "kind": self.replies.render("case.kind.\(record.kind.rawValue)"),
            "name": record.fields["name"] ?? record.fields["contact"] ?? "—",
            "facts": Self.excerpt(record.fields["facts"] ?? record.fields["subject"] ?? "", length: 40),
            "unitName": self.machine.unitName(record.unit ?? "centre"),
            "status": self.statusText(record.status),
            "statusClass": Self.badge(record.status),
            "created": self.time.minutes(record.createdAt),
        ]
        if let assignee = record.assignee { row["assignee"] = assignee }
        row["hasDue"] = deadline != nil
        if let deadline {
            row["due"] = self.time.minutes(deadline.dueAt)
            row["overdue"] = deadline.isOverdue(at: self.now)
            row["dueSoon"] =
                !deadline.isOverdue(at: self.now) && deadline.dueAt.timeIntervalSince(self.now) <= Self.dueSoon
        }
        return row
    }

    // MARK: - One case

    /// One case: the answers, the state, the timeline, the evidence and the transitions its status allows.
    ///
    /// - Parameter editable: Whether the case may still change (not archived): assignment and the legal deadline.
    package func detail(_ record: CaseRecord, related: [CaseID]) -> [String: Any] {
        let deadline = self.deadlines.current(for: record)
        let policy = self.machine.configuration.cases
        var values: [String: Any] = [
            "id": record.id.rawValue,
            "kind": self.replies.render("case.kind.\(record.kind.rawValue)"),
            "unitName": self.machine.unitName(record.unit ?? "centre"),
            "status": self.statusText(record.status),
            "statusClass": Self.badge(record.status),
            "created": self.time.minutes(record.createdAt),
            "facts": self.facts(record),
            "timeline": record.timeline.map(self.event),
            "evidence": self.evidence(record),
            "hasAttachments": !record.attachments.isEmpty,
            "related": related.map(\.rawValue),
            "hasRelated": !related.isEmpty,
            "editable": record.status != .archived,
            // Staff may write to the applicant through a takeover of their conversation (the handoff page follows).
            "conversationPath": record.applicant.rawValue.addingPercentEncoding(
                withAllowedCharacters: ConsoleDeskPages.unreserved) ?? "",
            "hasExperts": !policy.experts.isEmpty,
            "expertChoices": policy.experts.map { expert -> [String: Any] in
                [
                    "name": expert.name, "fields": expert.fields.joined(separator: "、"),
                    "chosen": record.experts.contains(expert.name),
                ]
            },
        ]
        if let status = CaseRightStatus(of: record, machine: self.machine, now: self.now) {
            values["rightStatus"] = [
                "number": status.number, "statusText": status.statusText, "wording": status.officialWording,
                "dataDate": status.dataDate, "inForce": !status.bucket.isNotInForce,
                "holder": status.holder ?? "", "overlays": status.overlayTexts,
                "hasOverlays": !status.overlayTexts.isEmpty,
                "appealEnds": status.appealEnds ?? "", "restorationEnds": status.restorationEnds ?? "",
            ]
        }
        let transitions = self.transitions(record)
        values["transitions"] = transitions
        values["hasTransitions"] = !transitions.isEmpty
        if let assignee = record.assignee { values["assignee"] = assignee }
        if !record.experts.isEmpty { values["experts"] = record.experts.joined(separator: "、") }
        if let deadline {
            values["due"] = self.time.minutes(deadline.dueAt)
            values["dueKind"] = Self.dueKinds[deadline.kind] ?? deadline.kind.rawValue
            values["overdue"] = deadline.isOverdue(at: self.now)
            values["dueSoon"] =
                !deadline.isOverdue(at: self.now) && deadline.dueAt.timeIntervalSince(self.now) <= Self.dueSoon
        }
        if let day = record.legalDeadline { values["legalDeadline"] = day }
        if let reason = record.notAcceptedReason { values["notAcceptedReason"] = reason }
        if let outcome = record.outcome { values["outcome"] = Self.text(outcome) }
        if let transfer = record.transfer {
            var text = "\(transfer.authority)，\(transfer.date)，\(transfer.letterNumber)"
            if let receipt = transfer.receiptDate { text += "；回执 \(receipt)" }
            values["transfer"] = text
        }
        if let rating = record.rating {
            values["rating"] = "\(rating.score) 分" + (rating.comment.map { "：\($0)" } ?? "")
        }
        return values
    }

    /// The answers in the form's order, each with its label and the options' names; answers the form no longer
    /// asks for after them, by id.
    func facts(_ record: CaseRecord) -> [[String: String]] {
        let form: FormKind = record.kind == .complaint ? .complaint : .aidRequest
        var shown: [[String: String]] = []
        var seen: Set<String> = ["consent"]
        for field in form.fields where !seen.contains(field.id) {
            seen.insert(field.id)
            guard let value = record.fields[field.id] else { continue }
            shown.append(["label": self.label(field.id), "value": self.display(field, value)])
        }
        for key in record.fields.keys.sorted() where !seen.contains(key) {
            shown.append(["label": self.label(key), "value": record.fields[key] ?? ""])
        }
        return shown
    }

    func label(_ field: String) -> String {
        let key = "label.\(field)"
        return self.replies.has(key) ? self.replies.render(key) : field
    }

    /// An answer as a person reads it: options by their names (several joined by `、`), text as written.
    func display(_ field: FormField, _ value: String) -> String {
        switch field.kind {
        case .choice, .ipType, .consent:
            return self.option(field.id, value)
        case .multipleChoice:
            return value.split(separator: ",").map { self.option(field.id, String($0)) }.joined(separator: "、")
        case .region, .text, .mobile, .ipNumber:
            return value
        }
    }

    func option(_ field: String, _ value: String) -> String {
        let key = "option.\(field).\(value)"
        return self.replies.has(key) ? self.replies.render(key) : value
    }

    /// One entry of the timeline.
    func event(_ event: CaseEvent) -> [String: Any] {
        var values: [String: Any] = [
            "at": self.time.minutes(event.at),
            "actor": event.actor == "applicant" ? "申请人" : event.actor == "bot" ? "机器人" : event.actor,
            "action": Self.actions[event.action] ?? event.action.rawValue,
            "changed": event.from != event.to,
            "from": self.statusText(event.from),
            "to": self.statusText(event.to),
            "isNote": event.action == .noted,
        ]
        if let detail = event.detail { values["detail"] = detail }
        return values
    }

    /// Each attachment: a kept picture shown inline, other kept media as a download, media not kept (yet) with
    /// what became of it, and references that are not media (links, file titles) as text.
    func evidence(_ record: CaseRecord) -> [[String: Any]] {
        let media = Dictionary(record.mediaAttachments.map { ($0.number, $0.mediaID) }) { first, _ in first }
        return record.attachments.indices.map { index -> [String: Any] in
            let number = index + 1
            var item: [String: Any] = ["number": number]
            guard media[number] != nil else {
                item["reference"] = record.attachments[index]
                return item
            }
            let href = "/api/v1/cases/\(record.id.rawValue)/evidence/\(number)"
            guard let kept = record.evidence.first(where: { $0.number == number }), kept.status == .fetched else {
                let failed = record.evidence.first { $0.number == number && $0.status == .failed }
                item["waiting"] = true
                item["state"] = failed.map { Self.failures[$0.reason ?? .rejected] ?? "未能保存" } ?? "待获取"
                return item
            }
            item["href"] = href
            let type = kept.contentType ?? "application/octet-stream"
            if type.hasPrefix("image/") {
                item["image"] = true
            } else {
                item["download"] = true
                item["contentType"] = type
                if let size = kept.size { item["size"] = Self.size(size) }
            }
            return item
        }
    }

    /// The changes the case's status and kind allow (the table of ``CaseRecord`` `+Transitions`; a test checks the
    /// two agree), as the forms of the case page.
    package func transitions(_ record: CaseRecord) -> [[String: Any]] {
        let status = record.status
        let complaint = record.kind == .complaint
        var actions: [String] = []
        switch status {
        case .submitted: actions = complaint ? ["transfer", "start"] : ["accept", "not_accept"]
        case .accepted: actions = complaint ? [] : ["start", "conclude"]
        case .inProgress: actions = complaint ? ["transfer", "close"] : ["conclude"]
        case .transferred: actions = complaint ? ["receipt_returned"] : []
        case .receiptReturned: actions = complaint ? ["close"] : []
        case .notAccepted, .concluded, .closed, .withdrawn: actions = ["archive"]
        case .archived: actions = []
        }
        if [.submitted, .accepted, .inProgress].contains(status) { actions.append("refer") }
        if !status.isFinished { actions.append("withdraw") }
        let policy = self.machine.configuration.cases
        let referUnits = self.directory.units.filter { $0.id != record.unit }.map { unit -> [String: String] in
            ["value": unit.id.rawValue, "label": unit.name]
        }
        return actions.map { action -> [String: Any] in
            var form: [String: Any] = [
                "caseID": record.id.rawValue, "action": action, "label": Self.actionLabels[action] ?? action,
            ]
            switch action {
            case "not_accept":
                form["needsReason"] = true
                form["reasons"] = policy.notAcceptedReasons
                form["danger"] = true
            case "conclude", "close":
                form["needsOutcome"] = true
                form["nested"] = true
                form["outcomeRequired"] = action == "conclude"
                form["outcomes"] = CaseOutcome.Kind.allCases.map { kind -> [String: String] in
                    ["value": kind.rawValue, "label": Self.outcomes[kind] ?? kind.rawValue]
                }
            case "transfer": form["needsTransfer"] = true
            case "receipt_returned": form["needsDate"] = true
            case "refer":
                form["needsUnit"] = true
                form["referUnits"] = referUnits
            case "withdraw":
                form["danger"] = true
                form["confirm"] = "确定撤回该案件？申请人会收到通知。"
            case "archive": form["confirm"] = "归档后案件不能再更改，确定归档？"
            default: break
            }
            return form
        }
    }

    // MARK: - Erasure requests

    /// The erasure requests page: the tabs by status and the requests, each pending one with the applicant's cases.
    package func erasures(
        _ requests: [ErasureRequest], status: ErasureRequest.Status?, cases: (ApplicantID) -> [CaseSummary]
    ) -> [String: Any] {
        let names: [ErasureRequest.Status: String] = [.pending: "待处理", .done: "已删除", .declined: "已拒绝"]
        var tabs: [[String: Any]] = [["label": "全部", "query": "", "selected": status == nil]]
        tabs += ErasureRequest.Status.allCases.map { tab -> [String: Any] in
            ["label": names[tab] ?? tab.rawValue, "query": "?status=\(tab.rawValue)", "selected": status == tab]
        }
        let rows = requests.map { request -> [String: Any] in
            var row: [String: Any] = [
                "id": request.id,
                "applicant": request.applicant.rawValue,
                "requested": self.time.minutes(request.requestedAt),
                "status": names[request.status] ?? request.status.rawValue,
                "statusClass": request.status == .pending
                    ? "badge-warn" : request.status == .done ? "badge-ok" : "badge-muted",
                "pending": request.status == .pending,
                "casesAnonymised": request.casesAnonymised,
                "handoffsAnonymised": request.handoffsAnonymised,
                "decidedBy": request.decidedBy ?? "",
                "decided": request.decidedAt.map(self.time.minutes) ?? "",
            ]
            if let reason = request.reason { row["reason"] = reason }
            if request.status == .pending {
                let owned = cases(request.applicant)
                row["cases"] = owned.map { ["id": $0.id.rawValue, "status": self.statusText($0.status)] }
                row["hasCases"] = !owned.isEmpty
            }
            return row
        }
        return [
            "tabs": tabs, "rows": rows, "hasRows": !rows.isEmpty,
            // Not `current`: the layout's menu reads that.
            "tabName": status.flatMap { names[$0] } ?? "",
        ]
    }

    // MARK: - Words

    func statusText(_ status: CaseStatus) -> String {
        self.replies.render("case.status.\(status.rawValue)")
    }

    /// The badge's class for a status: waiting for a decision, finished well, finished otherwise, under way.
    static func badge(_ status: CaseStatus) -> String {
        switch status {
        case .submitted: "badge-warn"
        case .concluded, .closed: "badge-ok"
        case .notAccepted, .withdrawn, .archived: "badge-muted"
        case .accepted, .inProgress, .transferred, .receiptReturned: ""
        }
    }

    static let actionLabels = [
        "accept": "受理", "not_accept": "不予受理", "start": "开始办理", "conclude": "结案", "transfer": "转交主管部门",
        "receipt_returned": "登记回执", "close": "办结", "archive": "归档", "withdraw": "撤回", "refer": "转其他单位办理",
    ]

    static let actions: [CaseEvent.Action: String] = [
        .filed: "提交", .accepted: "受理", .notAccepted: "不予受理", .started: "开始办理", .concluded: "结案",
        .transferred: "转交主管部门", .receiptReturned: "回执", .closed: "办结", .archived: "归档", .withdrawn: "撤回",
        .referred: "转单位", .assigned: "分配", .noted: "备注", .legalDeadlineRecorded: "登记法定期限",
    ]

    static let outcomes: [CaseOutcome.Kind: String] = [
        .opinionIssued: "出具咨询意见书", .mediated: "调解成功", .guidanceGiven: "给予维权指导", .referredToCourt: "引导诉讼",
        .referredToArbitration: "引导仲裁", .referredToEnforcement: "移交行政执法", .noResponse: "申请人未回应", .other: "其他",
    ]

    static let dueKinds: [CaseDeadline.Kind: String] = [
        .acceptance: "受理审查期限", .review: "投诉处理期限", .conclusion: "结案期限", .legal: "法定期限",
    ]

    static let failures: [CaseEvidence.FailureReason: String] = [
        .expired: "已过期，未能获取", .tooLarge: "文件过大，未保存", .contentType: "文件类型不允许，未保存",
        .unreachable: "无法连接微信，未能获取", .rejected: "微信拒绝，未能获取",
    ]

    static func text(_ outcome: CaseOutcome) -> String {
        var text = Self.outcomes[outcome.kind] ?? outcome.kind.rawValue
        if let number = outcome.number, !number.isEmpty { text += "（\(number)）" }
        if let remark = outcome.text, !remark.isEmpty { text += "：\(remark)" }
        return text
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1_048_576
            ? String(format: "%.1f MB", Double(bytes) / 1_048_576)
            : bytes >= 1_024 ? "\(bytes / 1_024) KB" : "\(bytes) 字节"
    }

    /// The first `length` characters of `text` on one line, with `…` when cut.
    static func excerpt(_ text: String, length: Int) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count > length ? String(line.prefix(length)) + "…" : line
    }

    static func options(_ options: [(String, String)], selected: String) -> [[String: Any]] {
        options.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == selected] }
    }

    /// `path` with the query `parameters` and `offset` (0: left out), percent-encoded.
    static func link(_ path: String, _ parameters: [(String, String)], offset: Int) -> String {
        var items = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        if offset > 0 { items.append(URLQueryItem(name: "offset", value: String(offset))) }
        guard !items.isEmpty else { return path }
        var components = URLComponents()
        components.path = path
        components.queryItems = items
        // `+` would be read back as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string ?? path
    }
}

/// Times as the pages show them, `yyyy-MM-dd HH:mm` in the centre's time zone: worked out from the offset and the
/// civil calendar, without a `DateFormatter` (a list of 1,000 cases shows 2,000 of them).
package struct ConsoleClockText: Sendable {
    let timeZone: TimeZone

    init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    func minutes(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + self.timeZone.secondsFromGMT(for: date)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let minute = (seconds - days * 86_400) / 60
        let (year, month, day) = CivilDay.date(days)
        return "\(year)-\(Self.two(month))-\(Self.two(day)) \(Self.two(minute / 60)):\(Self.two(minute % 60))"
    }

    static func two(_ number: Int) -> String {
        number < 10 ? "0\(number)" : String(number)
    }
}
