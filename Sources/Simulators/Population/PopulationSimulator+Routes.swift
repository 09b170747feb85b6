// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Logging

extension PopulationSimulator {
    struct TokenRequest: Decodable {
        let client_id: String
        let client_secret: String
    }

    struct TokenAnswer: Encodable {
        let access_token: String
        let expires_in: Int
    }

    /// The body of every non-200 answer. The contract fixes only the statuses; a message helps
    /// whoever reads the connector's log.
    struct ErrorAnswer: Encodable {
        let error: String
        let message: String
    }

    struct PeoplePage: Encodable {
        let total: Int
        let offset: Int
        let people: [Citizen]
    }

    struct ClockRequest: Decodable {
        let advanceSeconds: Double
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(CloseConnections())
        router.post("token") { request, _ in await self.token(request) }
        router.get("citizens/:number") { request, context in
            await self.lookUp(request, number: context.parameters.get("number") ?? "")
        }
        router.get("sim/log") { _, _ in Self.json(await self.state.lookups()) }
        router.get("sim/faults") { _, _ in Self.json(await self.state.status()) }
        router.post("sim/faults") { request, _ in
            guard let patch = await Self.decode(PopulationFaults.Patch.self, from: request) else {
                return Self.error(.badRequest, "bad_request", "expected a JSON object of fault controls")
            }
            if let problem = await self.state.apply(patch) { return Self.error(.badRequest, "bad_request", problem) }
            let faults = await self.state.status()
            self.logger.info("faults changed", metadata: ["faults": "\(faults)"])
            return Self.json(faults)
        }
        router.post("sim/clock") { request, _ in
            guard let body = await Self.decode(ClockRequest.self, from: request), body.advanceSeconds >= 0 else {
                return Self.error(.badRequest, "bad_request", #"expected {"advanceSeconds": <seconds, 0 or more>}"#)
            }
            await self.state.advanceClock(by: body.advanceSeconds)
            return Self.json(["now": ISO8601DateFormatter().string(from: await self.state.now())])
        }
        router.get("sim/people") { request, _ in
            let offset = max(0, request.uri.queryParameters.get("offset", as: Int.self) ?? 0)
            let limit = min(1000, max(0, request.uri.queryParameters.get("limit", as: Int.self) ?? 20))
            let page = self.citizens.dropFirst(offset).prefix(limit)
            return Self.json(PeoplePage(total: self.citizens.count, offset: offset, people: Array(page)))
        }
        return router
    }

    // MARK: Contract endpoints

    func token(_ request: Request) async -> Response {
        if let refusal = await admit() { return refusal }
        guard let body = await Self.decode(TokenRequest.self, from: request) else {
            return Self.error(.badRequest, "bad_request", #"expected {"client_id": "...", "client_secret": "..."}"#)
        }
        guard body.client_id == configuration.clientId, body.client_secret == configuration.clientSecret else {
            logger.notice("token refused", metadata: ["client": "\(body.client_id)"])
            return Self.error(.unauthorized, "invalid_client", "unknown client or wrong secret")
        }
        let (token, expiresIn) = await state.issueToken(client: body.client_id)
        return Self.json(TokenAnswer(access_token: token, expires_in: expiresIn))
    }

    func lookUp(_ request: Request, number: String) async -> Response {
        if let refusal = await admit() { return refusal }
        let bearer = Self.header("authorization", in: request).flatMap { value -> String? in
            guard value.lowercased().hasPrefix("bearer ") else { return nil }
            return String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        guard let bearer, let client = await state.client(forToken: bearer) else {
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = #"Bearer error="invalid_token""#
            return Self.error(.unauthorized, "invalid_token", "missing, unknown or expired access token", headers: headers)
        }
        let purpose = Self.header("x-purpose", in: request)
        let official = Self.header("x-official", in: request)
        let dossier = Self.header("x-dossier", in: request)
        let now = await state.now()

        let response: Response
        if purpose == nil || official == nil {
            let missing = [purpose == nil ? "X-Purpose" : nil, official == nil ? "X-Official" : nil].compactMap { $0 }
            response = Self.error(.forbidden, "missing_purpose", "every look-up must state \(missing.joined(separator: " and "))")
        } else if let problem = PersonalID.validate(number, currentYear: VietnamTime.date(of: now).year) {
            response = Self.error(.badRequest, "invalid_number", problem.message)
        } else if let citizen = citizen(number) {
            response = Self.json(citizen)
        } else {
            response = Self.error(.notFound, "not_found", "no person with this number")
        }
        let status = Int(response.status.code)
        await state.record(
            LookupLogEntry(at: now, client: client, official: official, purpose: purpose, dossier: dossier, idNumber: number, status: status))
        logger.info(
            "look-up",
            metadata: [
                "number": "\(PersonalID.masked(number))", "client": "\(client)", "official": "\(official ?? "-")",
                "purpose": "\(purpose ?? "-")", "dossier": "\(dossier ?? "-")", "status": "\(status)",
            ])
        return response
    }

    /// Applies latency, outage, rate limit and fail rate; nil means answer normally.
    private func admit() async -> Response? {
        let admission = await state.admit()
        let latency = await state.faults.latencyMs
        if latency > 0 {
            // Cancelled when the server shuts down; answering early then is fine.
            try? await Task.sleep(for: .milliseconds(latency))
        }
        switch admission {
        case .proceed:
            return nil
        case .refuse(let status, let retryAfter, let message):
            var headers = HTTPFields()
            if let retryAfter { headers[.retryAfter] = String(retryAfter) }
            let code = status == 429 ? "rate_limited" : status == 503 ? "unavailable" : "internal_error"
            return Self.error(.init(code: status), code, message, headers: headers)
        }
    }

    // MARK: Helpers (static and private, so nothing here can clash with the other simulators in this module)

    /// A header's value, trimmed, with percent-escapes decoded (clients escape non-ASCII text such
    /// as a Vietnamese purpose); nil when absent or blank.
    private static func header(_ name: String, in request: Request) -> String? {
        guard let raw = request.headers.first(where: { $0.name.canonicalName == name })?.value else { return nil }
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { return nil }
        return value.removingPercentEncoding ?? value
    }

    private static func decode<T: Decodable>(_ type: T.Type, from request: Request) async -> T? {
        guard let buffer = try? await request.body.collect(upTo: 64 * 1024) else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }

    private static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = HTTPFields()) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        do {
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
        } catch {
            return Response(status: .internalServerError)
        }
    }

    private static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = HTTPFields()) -> Response {
        json(ErrorAnswer(error: code, message: message), status: status, headers: headers)
    }
}
