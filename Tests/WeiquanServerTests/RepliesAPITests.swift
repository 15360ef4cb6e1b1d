import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// The desk's ready-made replies: `intents/desk-replies.json` as shipped, what a broken file says when it does not
/// load, and `GET /api/v1/replies` for staff only.
@Suite struct RepliesAPITests {
    static let contact = ContactInfo(centreName: "测试维权援助中心", hotline: "12330", officeHours: "工作日 9:00-17:00")

    @Test func theShippedRepliesLoadWithTheContactDetailsFilledIn() throws {
        let replies = TestServer.data.deskReplies
        #expect((8...12).contains(replies.count))
        #expect(Set(replies.map(\.title)).count == replies.count)
        for reply in replies {
            #expect(!reply.title.isEmpty && reply.title.count <= DeskReply.maxTitleLength)
            #expect(!reply.text.isEmpty && reply.text.count <= DeskService.maxMessageLength)
            #expect(ReplyBook.placeholders(in: reply.text).isEmpty, "\(reply.title): a placeholder left unfilled")
        }
        let centre = TestServer.data.configuration.contact.centreName
        #expect(replies.first?.text.contains(centre) == true)
    }

    @Test func servedToStaffInTheFilesOrderAndRefusedToVolunteers() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let staff = try await DeskAPITests.call(client, .get, "/api/v1/replies")
            #expect(staff.status == .ok)
            let listed = try #require(staff.json["replies"] as? [[String: String]])
            #expect(listed.map { $0["title"] } == TestServer.data.deskReplies.map(\.title))
            #expect(listed.map { $0["text"] } == TestServer.data.deskReplies.map(\.text))
            #expect(listed.allSatisfy { Set($0.keys) == ["title", "text"] })
            let volunteer = try await DeskAPITests.call(client, .get, "/api/v1/replies", token: "token-vol-1")
            DeskAPITests.expectError(volunteer, .forbidden, "forbidden_role")
        }
    }

    @Test(arguments: [
        (#"{"replies": [{"title": "问候", "text": "您好"}"#, "invalid JSON"),
        (#"{"replies": [{"title": "问候"}]}"#, "missing key 'text'"),
        (#"{"replies": [{"title": " ", "text": "您好"}]}"#, "replies[0]: the title is empty"),
        (#"{"replies": [{"title": "问候", "text": "您好"}, {"title": "问候", "text": "再见"}]}"#, "'问候' is repeated"),
        (#"{"replies": [{"title": "问候", "text": "请拨打 {hotlin}"}]}"#, "unknown placeholder {hotlin}"),
        (#"{"replies": [{"title": "问候", "text": "  "}]}"#, "replies[0] '问候': the text is empty"),
    ])
    func aBrokenFileDoesNotLoadAndSaysWhereAndWhy(_ json: String, _ expected: String) throws {
        let directory = try Self.intentsCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(json.utf8).write(to: directory.appendingPathComponent("desk-replies.json"))
        let error = try #require(throws: DataLoadError.self) { try BotData.load(intentsDirectory: directory) }
        #expect(error.path.hasSuffix("desk-replies.json"))
        #expect(error.message.contains(expected), "\(error)")
    }

    @Test func aTextLongerThanTheDeskMaySendDoesNotLoad() throws {
        let long = String(repeating: "长", count: DeskReply.maxLength + 1)
        let json = #"{"replies": [{"title": "太长", "text": "\#(long)"}]}"#
        #expect(throws: (any Error).self) { try DeskReply.decode(json: Data(json.utf8), contact: Self.contact) }
    }

    @Test func noFileMeansNoReadyMadeReplies() throws {
        let directory = try Self.intentsCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("desk-replies.json"))
        #expect(try BotData.load(intentsDirectory: directory).deskReplies.isEmpty)
    }

    @Test func placeholdersAreFilledAndLinesNamingAnEmptyDetailLeftOut() throws {
        let json = #"{"_comment": "x", "replies": [{"title": "电话", "text": "请拨打 {hotline}。\n网站：{website}"}]}"#
        let replies = try DeskReply.decode(json: Data(json.utf8), contact: Self.contact)
        #expect(replies == [DeskReply(title: "电话", text: "请拨打 12330。")])
    }

    /// A copy of the shipped `intents/` directory in a temporary directory.
    static func intentsCopy() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intents-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: RepositoryPaths.root.appendingPathComponent("intents"), to: directory)
        return directory
    }
}
