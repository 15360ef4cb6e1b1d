extension WeChatMessage {
    /// `Content` of a text message.
    public var content: String? { self.fields["Content"] }
    /// `MediaId` of an image, voice, video, short video or file message.
    public var mediaID: String? { self.fields["MediaId"] }
    /// `PicUrl` of an image message.
    public var picURL: String? { self.fields["PicUrl"] }
    /// `Format` of a voice message (`amr`, `speex`, …).
    public var format: String? { self.fields["Format"] }
    /// `Recognition`: the recognised text of a voice message, when speech recognition is on.
    public var recognition: String? { self.fields["Recognition"] }
    /// `ThumbMediaId` of a video or short video message.
    public var thumbMediaID: String? { self.fields["ThumbMediaId"] }
    /// `Location_X` (latitude) of a location message.
    public var locationX: Double? { Self.double(self.fields["Location_X"]) }
    /// `Location_Y` (longitude) of a location message.
    public var locationY: Double? { Self.double(self.fields["Location_Y"]) }
    /// `Scale` (map zoom) of a location message.
    public var scale: Int? { self.fields["Scale"].flatMap { Int($0.trimmingASCIIWhitespace) } }
    /// `Label` (place name or address) of a location message.
    public var label: String? { self.fields["Label"] }
    /// `Title` of a link or file message.
    public var title: String? { self.fields["Title"] }
    /// `Description` of a link or file message. (The message type is not `CustomStringConvertible`.)
    public var description: String? { self.fields["Description"] }
    /// `Url` of a link message.
    public var url: String? { self.fields["Url"] }
    /// `Event` of an event, lower-cased and trimmed.
    public var event: String? { self.fields["Event"].map { $0.trimmingASCIIWhitespace.lowercased() } }
    /// `EventKey` of an event (menu key, `qrscene_…` scene, URL for `VIEW`), raw.
    public var eventKey: String? { self.fields["EventKey"] }
    /// `Ticket` of a QR-code `subscribe` or `SCAN` event.
    public var ticket: String? { self.fields["Ticket"] }
    /// `Latitude` of a `LOCATION` event.
    public var latitude: Double? { Self.double(self.fields["Latitude"]) }
    /// `Longitude` of a `LOCATION` event.
    public var longitude: Double? { Self.double(self.fields["Longitude"]) }
    /// `Precision` of a `LOCATION` event.
    public var precision: Double? { Self.double(self.fields["Precision"]) }
    /// `Encrypt`: the base64 ciphertext of a safe- or compatible-mode body.
    public var encrypt: String? { self.fields["Encrypt"] }
    /// `Status` of a `TEMPLATESENDJOBFINISH` or `MASSSENDJOBFINISH` event.
    public var status: String? { self.fields["Status"] }

    /// The scene of a parametric QR code: the `EventKey` of a `SCAN` event, or of a `subscribe` event without its
    /// `qrscene_` prefix; nil for other messages and for a plain follow.
    public var qrScene: String? {
        guard let key = self.eventKey, !key.isEmpty else { return nil }
        switch self.event {
        case "scan":
            return key
        case "subscribe":
            guard key.hasPrefix("qrscene_") else { return nil }
            return String(key.dropFirst("qrscene_".count))
        default:
            return nil
        }
    }

    private static func double(_ text: String?) -> Double? {
        text.flatMap { Double($0.trimmingASCIIWhitespace) }
    }
}
