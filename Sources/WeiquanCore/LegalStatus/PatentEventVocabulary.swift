/// The event wordings of legal-status.md §2, normalised (``PatentEventClassifier/normalizedWording(_:)``), in the
/// order they are tried: the most specific first, so `发明专利申请公布后驳回` is a rejection before `发明专利申请公布`
/// is a publication, and `驳回理由通知` a pending notice before `驳回` a rejection.
enum PatentEventVocabulary {
    struct Rule {
        /// How the wording must contain the pattern.
        enum Mode {
            /// The whole wording is the pattern: for short, general words (`驳回`, `授权`, `撤回`).
            case exact
            /// The wording contains every part: for long, distinctive phrases.
            case contains([String])
        }

        let pattern: String
        let mode: Mode
        let effect: PatentEventMeaning.Effect
        var notes: Set<PatentEventMeaning.Note> = []
        /// Read from the wording even when the event has a code (the traps).
        var overridesCode = false
        /// One title for registration, change and cancellation: the free text decides.
        var decidedByInfo: PatentStatus.Overlay?

        /// Whether `text` contains `part`, compared on UTF-8 bytes: for text already normalized this is what
        /// `String.contains` says, at a fraction of its cost (an import classifies millions of events).
        static func contains(_ text: String, _ part: String) -> Bool {
            var text = text, part = part
            return text.withUTF8 { haystack in
                part.withUTF8 { needle in
                    guard !needle.isEmpty else { return true }
                    guard haystack.count >= needle.count else { return false }
                    let first = needle[0]
                    for start in 0...(haystack.count - needle.count) where haystack[start] == first {
                        var offset = 1
                        while offset < needle.count, haystack[start + offset] == needle[offset] { offset += 1 }
                        if offset == needle.count { return true }
                    }
                    return false
                }
            }
        }

        func matches(_ wording: String) -> Bool {
            switch self.mode {
            case .exact: wording == self.pattern
            case .contains(let parts): parts.allSatisfy { Self.contains(wording, $0) }
            }
        }
    }

    private static func exact(
        _ pattern: String, _ effect: PatentEventMeaning.Effect, _ notes: Set<PatentEventMeaning.Note> = []
    ) -> Rule {
        Rule(pattern: pattern, mode: .exact, effect: effect, notes: notes)
    }

    private static func contains(
        _ pattern: String, _ effect: PatentEventMeaning.Effect, _ notes: Set<PatentEventMeaning.Note> = [],
        overridesCode: Bool = false
    ) -> Rule {
        Rule(pattern: pattern, mode: .contains([pattern]), effect: effect, notes: notes, overridesCode: overridesCode)
    }

    private static func all(_ parts: [String], _ effect: PatentEventMeaning.Effect) -> Rule {
        Rule(pattern: parts.joined(separator: "+"), mode: .contains(parts), effect: effect)
    }

    private static func combined(_ parts: [String], _ overlay: PatentStatus.Overlay) -> Rule {
        Rule(
            pattern: parts.joined(separator: "+"), mode: .contains(parts), effect: .unknown, decidedByInfo: overlay)
    }

    static let rules: [Rule] = [
        // Traps: notices and partial invalidation, whatever the code says.
        contains("驳回理由通知", .status(.pending), overridesCode: true),
        contains("审查意见通知", .status(.pending), overridesCode: true),
        contains("部分无效", .status(.inForce), [.partialInvalidation], overridesCode: true),
        // Registrations: cancellation and release before registration.
        combined(["质押", "生效", "注销"], .pledged),
        all(["质押", "注销"], .release(.pledged)),
        all(["质押", "解除"], .release(.pledged)),
        all(["质押", "变更"], .informational),
        all(["质押", "生效"], .overlay(.pledged)),
        combined(["许可", "生效", "注销"], .licensed),
        all(["许可", "注销"], .release(.licensed)),
        all(["许可", "解除"], .release(.licensed)),
        all(["许可", "变更"], .informational),
        all(["许可", "生效"], .overlay(.licensed)),
        all(["保全", "解除"], .release(.preserved)),
        contains("保全", .overlay(.preserved)),
        contains("权转移", .overlay(.transferred)),
        // Ends, the specific before the general.
        contains("避免重复授权", .status(.surrendered)),
        contains("避免重复授予", .status(.surrendered)),
        contains("视为放弃取得专利权", .status(.withdrawn)),
        contains("发明专利申请公布后视为撤回", .status(.withdrawn), [.deemedWithdrawal]),
        contains("发明专利申请公布后驳回", .status(.rejected)),
        contains("全部无效", .status(.invalidated)),
        contains("专利权撤销", .status(.invalidated)),
        contains("主动放弃", .status(.surrendered)),
        contains("未缴年费", .status(.lapsedFees)),
        exact("未缴年费终止", .status(.lapsedFees)),
        contains("等年费滞纳金", .status(.inForce), [.feeGraceRunning]),
        contains("等年登印费", .status(.pending), [.grantImminent]),
        contains("等待颁证公告", .status(.pending), [.grantImminent]),
        contains("有效期届满", .status(.expired)),
        contains("届满终止", .status(.expired)),
        contains("期限届满", .status(.expired)),
        exact("届满", .status(.expired)),
        contains("专利权恢复", .restoration),
        contains("权利恢复", .restoration),
        exact("恢复", .restoration),
        contains("视为撤回", .status(.withdrawn), [.deemedWithdrawal]),
        contains("逾期视撤", .status(.withdrawn), [.deemedWithdrawal]),
        contains("撤回专利申请", .status(.withdrawn)),
        contains("专利申请撤回", .status(.withdrawn)),
        exact("撤回", .status(.withdrawn)),
        exact("视撤", .status(.withdrawn), [.deemedWithdrawal]),
        exact("驳回", .status(.rejected)),
        exact("驳回决定", .status(.rejected)),
        exact("专利申请驳回", .status(.rejected)),
        exact("授权", .status(.inForce)),
        exact("授权公告", .status(.inForce)),
        contains("专利权授予", .status(.inForce)),
        contains("授予专利权", .status(.inForce)),
        contains("专利权维持", .status(.inForce)),
        exact("公开", .status(.pending)),
        exact("公布", .status(.pending)),
        contains("发明专利申请公布", .status(.pending)),
        contains("发明专利申请公开", .status(.pending)),
        contains("实质审查请求生效", .status(.pending)),
        contains("实质审查生效", .status(.pending)),
        exact("实审生效", .status(.pending)),
        // Informational.
        contains("专利权期限补偿", .informational, [.termCompensation]),
        contains("著录事项变更", .informational),
        contains("变更", .informational),
        contains("更正", .informational),
        contains("公告送达", .informational),
    ]

    /// For a combined registration title: 注销 or 解除 in the free text releases, 变更 changes nothing, 生效
    /// registers; nil when the text says none of these.
    static func registration(_ overlay: PatentStatus.Overlay, info: String) -> PatentEventMeaning.Effect? {
        if info.contains("注销") || info.contains("解除") { return .release(overlay) }
        if info.contains("变更") { return .informational }
        if info.contains("生效") { return .overlay(overlay) }
        return nil
    }
}
