import Foundation
import Testing
import WeiquanCore
import WeiquanFiles

@Suite struct ConfigurationDocumentTests {
    struct Server: Decodable, Equatable {
        struct Section: Decodable, Equatable {
            var port: Int
            var host: String
            var bench_routes: Bool
        }

        var server: Section
    }

    struct WeChat: Decodable {
        struct Section: Decodable {
            var token: String
            var mode: String
        }

        var wechat: Section
    }

    func write(_ json: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weiquan-config-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        return url
    }

    @Test func defaultsAloneDecode() throws {
        let document = try ConfigurationDocument.load(file: nil, environment: [:])
        #expect(try document.decode(Server.self).server == .init(port: 8080, host: "127.0.0.1", bench_routes: false))
        #expect(try document.decode(CentreConfiguration.self).directory.units.count == 16)
        #expect(document.overriddenBy.isEmpty)
    }

    @Test func environmentOverridesEveryKindOfKey() throws {
        let document = try ConfigurationDocument.load(
            file: nil,
            environment: [
                "WEIQUAN_WECHAT_TOKEN": "realtoken", "WEIQUAN_SERVER_PORT": "9090",
                "WEIQUAN_SERVER_BENCH_ROUTES": "true",
                "WEIQUAN_CONVERSATION_RETRY_BUDGET": "5", "WEIQUAN_CENTRE_HOTLINE": "0771-1234567", "UNRELATED": "x",
            ]
        )
        #expect(try document.decode(WeChat.self).wechat.token == "realtoken")
        #expect(try document.decode(Server.self).server == .init(port: 9090, host: "127.0.0.1", bench_routes: true))
        let centre = try document.decode(CentreConfiguration.self)
        #expect(centre.conversation.retryBudget == 5)
        #expect(centre.contact.hotline == "0771-1234567")
        #expect(document.overriddenBy.count == 5)
    }

    @Test func aFileOverlaysTheDefaultsAndTheEnvironmentOverlaysTheFile() throws {
        let file = try self.write(#"{"wechat": {"token": "fromfile", "mode": "safe"}, "server": {"port": 7000}}"#)
        defer { try? FileManager.default.removeItem(at: file) }
        let document = try ConfigurationDocument.load(file: file, environment: ["WEIQUAN_SERVER_PORT": "7001"])
        let wechat = try document.decode(WeChat.self).wechat
        #expect(wechat.token == "fromfile" && wechat.mode == "safe")
        #expect(try document.decode(Server.self).server.port == 7001)
        // Untouched sections keep their defaults.
        #expect(try document.decode(CentreConfiguration.self).directory.regions.count == 14)
    }

    @Test(arguments: [
        ("WEIQUAN_SERVER_PORT", "eighty", "expected a number"),
        ("WEIQUAN_SERVER_BENCH_ROUTES", "maybe", "expected true or false"),
    ])
    func badEnvironmentValuesAreNamed(name: String, value: String, message: String) {
        #expect {
            _ = try ConfigurationDocument.load(file: nil, environment: [name: value])
        } throws: { error in
            "\(error)".contains(name) && "\(error)".contains(message)
        }
    }

    @Test func aBrokenFileIsNamed() throws {
        let file = try self.write("{ not json")
        defer { try? FileManager.default.removeItem(at: file) }
        #expect {
            _ = try ConfigurationDocument.load(file: file, environment: [:])
        } throws: { error in
            "\(error)".contains(file.path) && "\(error)".contains("not a JSON object")
        }
        let missing = URL(fileURLWithPath: "/nonexistent/weiquan.json")
        #expect(throws: DataLoadError.self) { _ = try ConfigurationDocument.load(file: missing, environment: [:]) }
    }
}
