/// What a numbered option in the bot's last message stands for.
///
/// Whenever the bot lists numbered options it records them in ``ConversationState/choices``, so that
/// answering with the number works in every menu.
public enum Choice: Codable, Sendable, Equatable {
    /// Start the flow or answer of this intent.
    case intent(IntentID)
    /// Show the list of frequently asked questions.
    case faqMenu
    /// Show the main menu.
    case mainMenu
    /// An option of the current form field (an option id, a region name, an IP type).
    case option(String)
    /// Leave the current optional field empty.
    case skipField
    /// Ask for a person.
    case talkToHuman
    /// Go on answering the current question.
    case continueForm
    /// File the form as summarised.
    case submit
    /// Show the fields that can be corrected.
    case editMenu
    /// Correct this field.
    case editField(String)
    /// Confirm leaving the form and discarding its answers.
    case confirmCancel
    /// Use a patent number completed with its computed check character.
    case acceptNumber(String)
    /// Type the number again.
    case reenterNumber
    /// Nobody can take the conversation now: leave a question for staff.
    case leaveQuestion
    /// Nobody can take the conversation now: ask to be called back.
    case requestCallback
    /// Stay in the queue.
    case keepWaiting
    /// Leave the queue and go back to the bot.
    case leaveQueue
    /// Confirms withdrawing this case of the applicant's (撤回申请).
    case confirmWithdrawal(CaseID)
    /// Confirms asking for the applicant's personal data to be deleted (删除我的信息).
    case confirmErasure
    /// Leave this (not understood) message as a question for the volunteers.
    case leaveQuestionAbout(String)
    /// Submit this question to the volunteers, as shown.
    case submitQuestion(String)
    /// Write the question again.
    case rewriteQuestion
    /// The knowledge base's answer (this entry) helped: nothing is queued.
    case knowledgeHelped(String)
    /// The knowledge base's answer did not help: go on with this question.
    case knowledgeDidNotHelp(String)
    /// Take up the offer of a person made beside a form's question (the right given is not in force): the
    /// applicant asked, so it is no way out of a failed answer; the form is kept for staff.
    case askStaff
    /// Be reminded as this reminder says (offered after a legal-status answer).
    case remindMe(Reminder)
    /// Cancel the reminders about this number.
    case cancelReminder(String)
}
