// SPDX-License-Identifier: Apache-2.0
import Foundation
import Hummingbird
import NIOCore

/// The frame of MotCua's public pages: Vietnamese, readable on a phone, no scripts.
enum Page {
    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A whole page. With `t`, the frame follows its language and offers the other one.
    static func response(title: String, body: String, status: HTTPResponse.Status = .ok, wide: Bool = false, ui: UI) -> Response {
        ui.html(document(title: title, body: body, wide: wide, t: ui.t), status: status)
    }

    static func response(title: String, body: String, status: HTTPResponse.Status = .ok, wide: Bool = false, t: Texts = Texts(lang: .vi)) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        if let c = t.setCookie { headers[.setCookie] = c }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document(title: title, body: body, wide: wide, t: t))))
    }

    static func document(title: String, body: String, wide: Bool, t: Texts) -> String {
        let html = """
            <!doctype html>
            <html lang="\(t.lang.rawValue)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(esc(title)) – MotCua</title><link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
            <style>body{font-family:system-ui,sans-serif;max-width:\(wide ? "72rem" : "48rem");margin:1.5rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
            table{border-collapse:collapse;width:100%;font-size:.95rem}th,td{border-bottom:1px solid #ddd;padding:.3rem .4rem;text-align:left;vertical-align:top}
            td.num{text-align:right;white-space:nowrap}tr.group th{background:#f2f4f7}.muted{color:#555}.big{font-size:2.2rem;font-weight:700;margin:.2rem 0}
            .uncertain{font-size:.75rem;background:#fff3cd;border:1px solid #e0c46c;border-radius:3px;padding:0 .25rem;white-space:nowrap}
            .filters{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:end}.filters label{margin:0}select{font-size:1rem;padding:.3rem;max-width:100%}
            @media (max-width:40rem){table{font-size:.85rem}.big{font-size:1.8rem}}
            h1{font-size:1.4rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
            .ok{color:#0a6b2d;font-weight:700}.bad{color:#b00020;font-weight:700}.warn{color:#8a5a00;font-weight:700}
            section{border:1px solid #ccc;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}code{overflow-wrap:anywhere}
            label{display:block;font-weight:600;margin:.5rem 0 .25rem}input,button{font-size:1rem;padding:.4rem}button{margin-top:.75rem}
            a{color:#0b4fa0}:focus{outline:3px solid #0b4fa0;outline-offset:2px}</style></head><body>
            <header><a href="/">\(esc(t("frame.home")))</a> · <a href="/xac-minh">\(esc(t("frame.verify")))</a> · <a href="\(esc(t.switchHref))" lang="\(t.lang == .vi ? "en" : "vi")">\(esc(t("frame.otherLanguage")))</a></header>
            <main>
            \(body)
            </main></body></html>
            """
        return html
    }
}
