/// The applicant withdraws a case of theirs (撤回申请): which one, a confirmation, then the effect the service
/// carries out with the core's `withdraw` transition.
extension ConversationMachine {
    /// The statuses an applicant may still withdraw from.
    static let withdrawable: Set<CaseStatus> = [.submitted, .accepted, .inProgress, .transferred, .receiptReturned]

    func offerWithdrawal(
        _ understanding: Understanding?, state: inout ConversationState, context: ConversationContext,
        turn: inout Turn
    ) {
        var cases = context.cases
        if let wanted = understanding?.entities.caseID {
            cases = cases.filter { $0.id == wanted }
            guard let found = cases.first else {
                turn.say(self.replies.render("progress.not_yours", ["case_id": wanted.rawValue]))
                return
            }
            guard Self.withdrawable.contains(found.status) else {
                turn.say(
                    self.replies.render(
                        "withdraw.not_possible",
                        [
                            "case_id": found.id.rawValue,
                            "status": self.replies.render("case.status.\(found.status.rawValue)"),
                        ]))
                return
            }
        }
        let open = cases.filter { Self.withdrawable.contains($0.status) }
        switch open.count {
        case 0:
            turn.say(self.replies.render("withdraw.none"))
        case 1:
            let id = open[0].id
            turn.say(self.replies.render("withdraw.confirm", ["case_id": id.rawValue]))
            state.choices = [.confirmWithdrawal(id), .mainMenu]
        default:
            let lines = open.prefix(5).map {
                "\($0.id.rawValue)｜\(self.replies.render("case.kind.\($0.kind.rawValue)"))"
            }
            turn.say(self.replies.render("withdraw.which", ["cases": lines.joined(separator: "\n")]))
        }
    }
}
