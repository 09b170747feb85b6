// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation
import Hummingbird
import NIOCore
import Services
import Signing
import Storage

/// Pages anyone may open without an account: the result page behind the QR code, verification
/// of a signed PDF (tracking a dossier: `TrackingPages`). Citizens must never be asked for
/// paper to prove a signed document: these pages are how anyone checks one.
enum PublicPages {
    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/ket-qua/{id}") { req, ctx in
            let ui = UI(req, ctx)
            let t = ui.t
            let id = try ctx.path("id")
            guard let (r, code) = try? await app.results.publicStatus(id: id) else {
                return Page.response(
                    title: t("result.notFound"), body: "<h1>\(Page.esc(t("result.notFound")))</h1><p>\(Page.esc(t("result.notFoundText", ["id": id])))</p>",
                    status: .notFound, ui: ui)
            }
            return Page.response(title: r.title, body: resultSection(r, code: code, heading: true, t: t), ui: ui)
        }
        router.get("/xac-minh") { req, ctx in
            let ui = UI(req, ctx)
            return Page.response(title: ui.t("verify.heading"), body: verifyForm(nil, ui: ui), ui: ui)
        }
        router.post("/xac-minh") { req, ctx in
            let ui = UI(req, ctx)
            let bytes = try await uploadedPDF(req, app: app)
            guard let bytes else {
                return Page.response(title: ui.t("verify.heading"), body: verifyForm(ui.t("verify.choosePDF"), ui: ui), status: .badRequest, ui: ui)
            }
            let report = try app.signatures.verify(bytes)
            let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            let registered = try await app.results.registered(sha256: sha)
            return Page.response(title: ui.t("verify.report"), body: reportHTML(report, sha256: sha, registered: registered, t: ui.t) + verifyForm(nil, ui: ui, again: true), ui: ui)
        }
    }

    /// The PDF in a browser form (multipart, file part "file:pdf", read like every page upload)
    /// or sent raw as application/pdf.
    static func uploadedPDF(_ req: Request, app: MotCua) async throws -> Data? {
        let bytes: Data
        if (req.headers[.contentType] ?? "").lowercased().hasPrefix("multipart/form-data") {
            let form = try await PageUpload.read(req, app: app)
            defer { form.discard() }
            guard let file = form.files.first, let data = FileManager.default.contents(atPath: file.staged.url.path) else { return nil }
            bytes = data
        } else {
            let limit = app.config.maxUploadBytes
            do { bytes = Data(try await req.body.collect(upTo: limit).readableBytesView) } catch {
                throw Problem.from(.tooLarge("the PDF is larger than the limit of \(limit >> 20) MB"))
            }
        }
        return bytes.starts(with: Array("%PDF-".utf8)) ? bytes : nil
    }

    static func verifyForm(_ error: String?, ui: UI, again: Bool = false) -> String {
        let t = ui.t
        return """
            \(again ? "<h2>\(Page.esc(t("verify.another")))</h2>" : "<h1>\(Page.esc(t("verify.heading")))</h1>")
            <p>\(Page.esc(t("verify.intro")))</p>
            \(error.map { "<p class=\"bad\" role=\"alert\">\(Page.esc($0))</p>" } ?? "")
            <form method="post" action="/xac-minh" enctype="multipart/form-data">\(ui.csrfInput)
            <label for="file">\(Page.esc(t("verify.file")))</label><input id="file" name="file:pdf" type="file" accept="application/pdf" required>
            <button type="submit">\(Page.esc(t("verify.button")))</button></form>
            <p>\(Page.esc(t("verify.anchors"))) <a href="/api/v1/pki/trust-anchors">\(Page.esc(t("verify.download")))</a></p>
            """
    }

    static func resultSection(_ r: StoredResult, code: String, heading: Bool, t: Texts) -> String {
        let (label, css) = switch r.status {
        case .valid: (t("result.status.valid"), "ok")
        case .revoked: (t("result.status.revoked"), "bad")
        case .superseded: (t("result.status.superseded"), "warn")
        }
        var html = heading ? "<h1>\(Page.esc(r.title))</h1>" : "<h2>\(Page.esc(r.title))</h2>"
        html += """
            <p>\(Page.esc(t("result.state"))): <span class="\(css)">\(Page.esc(label))</span></p>
            <dl>
            <dt>\(Page.esc(t("result.issuer")))</dt><dd>\(Page.esc(r.issuer))</dd>
            \(code.isEmpty ? "" : "<dt>\(Page.esc(t("list.code")))</dt><dd>\(Page.esc(code))</dd>")
            <dt>\(Page.esc(t("result.issuedAt")))</dt><dd>\(Page.esc(SharedFormat.iso(r.issuedAt)))</dd>
            <dt>\(Page.esc(t("result.signers")))</dt><dd>\(r.signers.isEmpty ? Page.esc(t("result.unsigned")) : r.signers.map(Page.esc).joined(separator: ", "))</dd>
            <dt>\(Page.esc(t("result.sha")))</dt><dd><code>\(r.sha256)</code></dd>
            """
        if let at = r.statusChangedAt, r.status != .valid {
            html += "<dt>\(Page.esc(t("result.changedAt")))</dt><dd>\(Page.esc(SharedFormat.iso(at)))</dd>"
        }
        if let why = r.statusReason, r.status != .valid { html += "<dt>\(Page.esc(t("dossier.reason")))</dt><dd>\(Page.esc(why))</dd>" }
        if let next = r.supersededBy { html += "<dt>\(Page.esc(t("result.replacement")))</dt><dd><a href=\"/ket-qua/\(Page.esc(next))\">\(Page.esc(next))</a></dd>" }
        html += "</dl>"
        if heading {
            html += "<p>\(Page.esc(t("result.checkFile"))) <a href=\"/xac-minh\">\(Page.esc(t("verify.heading")))</a></p>"
        }
        return html
    }

    /// The verifier's report. The reasons inside come from the signature validator, in Vietnamese.
    static func reportHTML(_ report: VerificationReport, sha256: String, registered: [StoredResult], t: Texts) -> String {
        var html = "<h1>\(Page.esc(t("verify.report")))</h1>"
        if report.signatures.isEmpty {
            html += "<p class=\"bad\">\(Page.esc(t("verify.noSignature")))</p>"
        } else if report.valid {
            html += "<p class=\"ok\">\(Page.esc(t("verify.valid", ["n": String(report.signatures.count)])))</p>"
        } else {
            html += "<p class=\"bad\">\(Page.esc(t("verify.invalid")))</p><ul>" + report.reasons.map { "<li>\(Page.esc($0))</li>" }.joined() + "</ul>"
        }
        html += "<p>\(Page.esc(t("verify.fileSha"))): <code>\(sha256)</code></p>"
        for r in registered {
            html += "<section><p>\(Page.esc(t("verify.registered")))</p>\(resultSection(r, code: "", heading: false, t: t))<p><a href=\"/ket-qua/\(r.id)\">\(Page.esc(t("verify.resultPage")))</a></p></section>"
        }
        for (i, s) in report.signatures.enumerated() {
            func yes(_ b: Bool, _ good: String, _ bad: String) -> String { b ? "<span class=\"ok\">\(Page.esc(t(good)))</span>" : "<span class=\"bad\">\(Page.esc(t(bad)))</span>" }
            let timestamp = s.timestamp.map { ts in
                "\(Page.esc(ts.time ?? "?")) – \(Page.esc(ts.authority ?? "?")) – "
                    + (ts.imprintMatches && ts.signatureValid ? Page.esc(t(ts.trusted ? "verify.tsTrusted" : "verify.tsUntrusted")) : "<span class=\"bad\">\(Page.esc(t("verify.tsInvalid")))</span>")
            } ?? Page.esc(t("verify.tsNone"))
            let modified = s.modifiedAfter
                ? (s.laterChangesAllowed == true ? Page.esc(t("verify.modifiedAllowed")) : "<span class=\"bad\">\(Page.esc(t("verify.modified")))</span>") : Page.esc(t("proc.no"))
            html += """
                <section><h2>\(Page.esc(t("verify.signature", ["n": String(i + 1)])))\(s.signerName.map { ": \(Page.esc($0))" } ?? "")</h2><dl>
                <dt>\(Page.esc(t("verify.signer")))</dt><dd>\(Page.esc(s.signerCertificateSubject ?? "—"))</dd>
                <dt>\(Page.esc(t("verify.issuedBy")))</dt><dd>\(Page.esc(s.issuer ?? "—"))</dd>
                <dt>\(Page.esc(t("verify.chain")))</dt><dd>\(s.chain.map(Page.esc).joined(separator: " → "))</dd>
                <dt>\(Page.esc(t("verify.trusted")))</dt><dd>\(yes(s.trusted, "verify.trustedYes", "verify.trustedNo"))</dd>
                <dt>\(Page.esc(t("verify.signingTime")))</dt><dd>\(Page.esc(s.signingTime ?? "—"))</dd>
                <dt>\(Page.esc(t("verify.content")))</dt><dd>\(yes(s.intact, "verify.intact", "verify.changed"))</dd>
                <dt>\(Page.esc(t("verify.revocation")))</dt><dd>\(Page.esc(s.revocation))</dd>
                <dt>\(Page.esc(t("verify.timestamp")))</dt><dd>\(timestamp)</dd>
                <dt>\(Page.esc(t("verify.afterSigning")))</dt><dd>\(modified)</dd>
                </dl>\(s.reasons.isEmpty ? "" : "<ul>" + s.reasons.map { "<li>\(Page.esc($0))</li>" }.joined() + "</ul>")</section>
                """
        }
        return html
    }
}
