// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import Simulators

/// `motcua sim oidc`: an OpenID Connect provider standing in for the province's single sign-on
/// portal (`--realm officials`) or the national e-ID, VNeID (`--realm citizens`).
struct SimOIDC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oidc",
        abstract: "Serve a simulated OpenID Connect provider: officials' single sign-on or the citizens' e-ID (VNeID).",
        discussion: """
            Authorization code flow with PKCE; ES256 ID tokens with acr (the assurance level) and the realm's claims: \
            preferred_username for officials, citizen_id and name for citizens. Everyone's password is "demo": the demo \
            officials (admin, officer, specialist, leader at level 2; officer.l1 at level 1) or the population \
            simulator's well-known people by ID number (001190012345 …; 079203001234 at level 1). GET /sim/log lists \
            the codes redeemed.
            """)

    @Option(help: "officials or citizens.")
    var realm: String = "officials"

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 8093

    @Option(help: "The client_id MotCua presents.")
    var clientId: String = "motcua"

    @Option(help: "The client_secret MotCua presents.")
    var clientSecret: String = "motcua-secret"

    @Option(help: "MotCua's public URL: its redirect URI is <url>/dang-nhap/oidc.")
    var motcuaUrl: String = "http://127.0.0.1:8080"

    func validate() throws {
        guard OIDCProvider.Realm(rawValue: realm) != nil else { throw ValidationError("--realm must be officials or citizens") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let realm = OIDCProvider.Realm(rawValue: realm)!
        let redirect = (motcuaUrl.hasSuffix("/") ? String(motcuaUrl.dropLast()) : motcuaUrl) + "/dang-nhap/oidc"
        let provider = OIDCProvider(
            configuration: .init(
                port: port, title: realm.title, people: realm.people, clients: [.init(id: clientId, secret: clientSecret, redirectURIs: [redirect])]))
        let prefix = realm == .officials ? "MOTCUA_SSO_" : "MOTCUA_EID_"
        let (id, secret) = (clientId, clientSecret)
        try await provider.run { url in
            print(
                """
                OpenID Connect provider (\(realm.rawValue)): \(url), redirect URI \(redirect)
                MotCua reads:
                  export \(prefix)ISSUER=\(url)
                  export \(prefix)CLIENT_ID=\(id)
                  export \(prefix)CLIENT_SECRET=\(secret)
                """)
            fflush(nil)
        }
    }
}
