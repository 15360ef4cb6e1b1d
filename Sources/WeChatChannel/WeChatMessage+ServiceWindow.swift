extension WeChatMessage {
    /// True when WeChat lets the account write to the applicant again through the customer-service API after
    /// this message: any message the applicant sends, following, scanning a QR code, and the menu clicks that
    /// push an event (`CLICK`, `scancode_push`, `scancode_waitmsg`). Not `VIEW` (a link), `LOCATION` reports,
    /// unfollowing, or the platform's own notifications (`TEMPLATESENDJOBFINISH` and the like).
    ///
    /// The service releases what the outbox held for a closed 48-hour window when such a message arrives,
    /// also when it has nothing to say to it.
    public var reopensServiceWindow: Bool {
        switch self.kind {
        case .text, .image, .voice, .video, .shortVideo, .location, .link, .file:
            true
        case .event(let name):
            ["subscribe", "scan", "click", "scancode_push", "scancode_waitmsg"].contains(name)
        case .unknown:
            false
        }
    }
}
