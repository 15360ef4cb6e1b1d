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
            With the embedded store, tokens live in <data directory>/tokens.json; with PostgreSQL (--store or
            $WEIQUAN_STORE_URL), in the store's tokens collection. Only their SHA-256 is kept. They can be
            changed while the service runs: every instance honours the change from its next request on.
            """,
        subcommands: [CreateToken.self, RevokeToken.self, ListTokens.self, LinkToken.self]
    )
}

/// Where the tokens are; shared by the `token` subcommands.
struct TokenOptions: ParsableArguments {
    @OptionGroup var data: DataOptions

    @OptionGroup var store: StoreOptions

    /// The store the service uses with the same configuration and environment.
    func location(configuration: ConfigurationDocument) throws -> StoreLocation {
        try self.store.location(defaultDirectory: configuration.decode(ServerSettings.self).server.dataDirectory)
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

    @Option(
        name: .customLong("specialty"),
        help: "A volunteer's field, an IP type (patent, trademark, copyright …); repeat for several (default: all).")
    var specialties: [String] = []

    @Option(
        name: .customLong("region"),
        help: "A unit id whose questions a volunteer sees (with the units below it); repeat for several (default: all)."
    )
    var regions: [String] = []

    @Flag(help: "Also print a one-time link that signs the token's holder in to the console (see `token link`).")
    var link = false

    func run() async throws {
        let document = try self.options.data.configuration()
        let directory = try document.decode(CentreConfiguration.self).directory
        let (name, role, unit) = (self.name, self.role, self.unit.map(UnitID.init))
        let (specialties, regions) = (self.specialties, self.regions.map(UnitID.init))
        let secret = TokenRegistry.makeSecret()
        let (token, location) = try await self.options.location(configuration: document).withTokenStorage { storage in
            let token = try await TokenAdministration.create(
                name: name, role: role, unit: unit, specialties: specialties, regions: regions, directory: directory,
                in: storage, now: Date(), secret: secret
            )
            return (token, storage.location)
        }
        print(secret)
        var profile = ""
        if !token.specialties.isEmpty { profile += ", specialties " + token.specialties.joined(separator: " ") }
        if !token.regions.isEmpty { profile += ", regions " + token.regions.map(\.rawValue).joined(separator: " ") }
        printError(
            "created token '\(token.name)' (\(token.role.rawValue), \(token.unit.map { "unit \($0)" } ?? "all units")"
                + "\(profile)) in \(location)\n"
                + "store it now: it is not shown again; revoke with weiquan token revoke --name \(token.name)"
        )
        if self.link {
            try await LinkToken.printLink(name: name, options: self.options, configuration: document)
        }
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
        let name = self.name
        let location = try self.options.location(configuration: self.options.data.configuration())
        let (token, place) = try await location.withTokenStorage { storage in
            (try await TokenAdministration.revoke(name: name, in: storage, now: Date()), storage.location)
        }
        printError("revoked token '\(token.name)' in \(place)")
    }
}

struct ListTokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract:
            "One line per token: name, role, unit (- for all), created, revoked time or 'active'; for volunteers, "
            + "their specialties and regions (- for all)."
    )

    @OptionGroup var options: TokenOptions

    func run() async throws {
        let location = try self.options.location(configuration: self.options.data.configuration())
        let (tokens, place) = try await location.withTokenStorage { storage in
            (try await TokenAdministration.list(in: storage), storage.location)
        }
        for token in tokens {
            let fields = [
                token.name, token.role.rawValue, token.unit?.rawValue ?? "-", CaseFormatting.timestamp(token.createdAt),
                token.revokedAt.map(CaseFormatting.timestamp) ?? "active",
            ]
            let profile =
                token.role == .volunteer
                ? [
                    token.specialties.isEmpty ? "-" : token.specialties.joined(separator: ","),
                    token.regions.isEmpty ? "-" : token.regions.map(\.rawValue).joined(separator: ","),
                ] : []
            print((fields + profile).joined(separator: "\t"))
        }
        printError("\(tokens.count) token(s) in \(place)")
    }
}

struct LinkToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Print a one-time link that signs an active token's holder in to the browser console.",
        discussion: """
            The link works once, within console.link_minutes of the configuration (15 by default), and replaces an
            earlier link of the same token not used yet. Its code follows '#', so it never reaches a server's logs.
            The address is console.public_url, or http://host:port of the server section.
            """
    )

    @OptionGroup var options: TokenOptions

    @Option(help: "The name of the active token.")
    var name: String

    func run() async throws {
        try await Self.printLink(
            name: self.name, options: self.options, configuration: self.options.data.configuration())
    }

    static func printLink(name: String, options: TokenOptions, configuration document: ConfigurationDocument)
        async throws
    {
        let settings = try document.decode(ServerSettings.self)
        let code = TokenRegistry.makeSecret()
        let expiresAt = Date().addingTimeInterval(TimeInterval(settings.console.linkMinutes * 60))
        try await options.location(configuration: document).withTokenStorage { storage in
            _ = try await TokenAdministration.addSignInLink(name: name, code: code, expiresAt: expiresAt, in: storage)
        }
        var base = settings.console.publicURL
        if base.isEmpty { base = "http://\(settings.server.host):\(settings.server.port)" }
        while base.hasSuffix("/") { base.removeLast() }
        print("\(base)/console/sign-in/link#\(code)")
        printError(
            "one-time sign-in link for '\(name)', valid until \(CaseFormatting.timestamp(expiresAt)); it works once")
    }
}

extension DeskRole: ExpressibleByArgument {}
