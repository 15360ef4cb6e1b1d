import ArgumentParser
import Foundation
import WeiquanCore
import WeiquanFiles
import WeiquanServer

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, revoke and list the bearer tokens of the staff desk API.",
        discussion: """
            Tokens live in <data directory>/tokens.json (only their SHA-256 is kept). They can be changed while
            the service runs: it picks up the change on the next request.
            """,
        subcommands: [CreateToken.self, RevokeToken.self, ListTokens.self]
    )
}

/// Where the tokens are; shared by the `token` subcommands.
struct TokenOptions: ParsableArguments {
    @OptionGroup var data: DataOptions

    @Option(
        name: .customLong("data"),
        help:
            "The data directory (default: server.data_directory of the configuration: $WEIQUAN_SERVER_DATA_DIRECTORY, else 'data')."
    )
    var dataDirectory: String?

    /// The tokens file of the data directory the service uses with the same configuration.
    func file(configuration: ConfigurationDocument) throws -> TokenFile {
        let directory = try self.dataDirectory ?? configuration.decode(ServerSettings.self).server.dataDirectory
        return TokenFile(directory: URL(fileURLWithPath: directory))
    }
}

struct CreateToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a token and print it (once: only its hash is stored).",
        discussion: "Only the token goes to standard output, so TOKEN=$(weiquan token create …) works."
    )

    @OptionGroup var options: TokenOptions

    @Option(help: "The token's name, unique among active tokens (letters, digits, '-', '_', '.').")
    var name: String

    @Option(help: "What the token may do.")
    var role: DeskRole

    @Option(help: "The unit id the token is bound to (default: all units).")
    var unit: String?

    func run() async throws {
        let document = try self.options.data.configuration()
        let directory = try document.decode(CentreConfiguration.self).directory
        let file = try self.options.file(configuration: document)
        let secret = TokenRegistry.makeSecret()
        let token = try TokenAdministration.create(
            name: self.name, role: self.role, unit: self.unit.map(UnitID.init), directory: directory, in: file,
            now: Date(), secret: secret
        )
        print(secret)
        printError(
            "created token '\(token.name)' (\(token.role.rawValue), \(token.unit.map { "unit \($0)" } ?? "all units")) "
                + "in \(file.url.path)\n"
                + "store it now: it is not shown again; revoke with weiquan token revoke --name \(token.name)"
        )
    }
}

struct RevokeToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a token; a running service refuses it from its next request on."
    )

    @OptionGroup var options: TokenOptions

    @Option(help: "The name of the active token to revoke.")
    var name: String

    func run() async throws {
        let file = try self.options.file(configuration: self.options.data.configuration())
        let token = try TokenAdministration.revoke(name: self.name, in: file, now: Date())
        printError("revoked token '\(token.name)' in \(file.url.path)")
    }
}

struct ListTokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "One line per token: name, role, unit (- for all), created, revoked time or 'active'."
    )

    @OptionGroup var options: TokenOptions

    func run() async throws {
        let file = try self.options.file(configuration: self.options.data.configuration())
        let tokens = try TokenAdministration.list(in: file)
        for token in tokens {
            let fields = [
                token.name, token.role.rawValue, token.unit?.rawValue ?? "-", CaseFormatting.timestamp(token.createdAt),
                token.revokedAt.map(CaseFormatting.timestamp) ?? "active",
            ]
            print(fields.joined(separator: "\t"))
        }
        printError("\(tokens.count) token(s) in \(file.url.path)")
    }
}

extension DeskRole: ExpressibleByArgument {}
