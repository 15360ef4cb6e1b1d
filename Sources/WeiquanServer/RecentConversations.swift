import Foundation
import WeiquanCore

/// The conversations a lone instance keeps decoded in memory: at most `capacity`, the recently active ones.
///
/// Two generations: conversations go into the young one; when it is half the capacity full it becomes the
/// old one and the previous old one is dropped. A conversation found in the old generation moves back to the
/// young one, so an applicant in the middle of a form stays in memory while thousands who wrote once and left
/// do not. A conversation not written for a while (``forget(idleBefore:)``, at each sweep of the retry answers) is
/// dropped too, so that a burst's conversations do not stay decoded, and their memory pinned, once it is over.
/// Whatever is dropped is read from the store again when its applicant writes (the store has every
/// conversation; this only saves decoding it).
package struct RecentConversations: Sendable {
    /// The most conversations kept; 0 keeps none.
    package let capacity: Int
    private var young: [ApplicantID: Conversation] = [:]
    private var old: [ApplicantID: Conversation] = [:]

    package init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// How many conversations are held now.
    package var count: Int { self.young.count + self.old.count }

    /// The applicant's conversation if held, kept among the recent ones.
    package mutating func conversation(of applicant: ApplicantID) -> Conversation? {
        if let young = self.young[applicant] { return young }
        guard let old = self.old.removeValue(forKey: applicant) else { return nil }
        self.insert(old)
        return old
    }

    /// Holds `conversation` as its applicant's latest.
    package mutating func remember(_ conversation: Conversation) {
        guard self.capacity > 0 else { return }
        self.old.removeValue(forKey: conversation.applicant)
        self.insert(conversation)
    }

    /// Drops the applicant's conversation (erased).
    package mutating func forget(_ applicant: ApplicantID) {
        self.young.removeValue(forKey: applicant)
        self.old.removeValue(forKey: applicant)
    }

    /// Drops the conversations last written before `cutoff`. A table that loses any is made anew at the size of
    /// what it keeps, so that the room a burst made is given back too.
    package mutating func forget(idleBefore cutoff: Date) {
        self.young = Self.written(since: cutoff, in: self.young)
        self.old = Self.written(since: cutoff, in: self.old)
    }

    private static func written(
        since cutoff: Date, in conversations: [ApplicantID: Conversation]
    ) -> [ApplicantID: Conversation] {
        guard conversations.values.contains(where: { $0.updatedAt < cutoff }) else { return conversations }
        var kept: [ApplicantID: Conversation] = [:]
        for (applicant, conversation) in conversations where conversation.updatedAt >= cutoff {
            kept[applicant] = conversation
        }
        return kept
    }

    private mutating func insert(_ conversation: Conversation) {
        if self.young[conversation.applicant] == nil, self.young.count >= max(1, self.capacity / 2) {
            self.old = self.young
            self.young = [:]
        }
        self.young[conversation.applicant] = conversation
    }
}
