// SPDX-License-Identifier: Apache-2.0
import Foundation
import Hummingbird
import NIOCore
import Services
import Signing

/// Public verification of signed PDFs and the trust anchors behind it.
enum SignatureRoutes {
    static func register(_ on: On, app: MotCua) {
        on(.post, "/api/v1/verify") { req, ctx in
            guard req.headers[.contentType]?.lowercased().hasPrefix("application/pdf") == true else {
                throw Problem.invalid("Content-Type", "send the PDF itself as the body with Content-Type: application/pdf")
            }
            let body: ByteBuffer
            do {
                body = try await req.body.collect(upTo: app.config.maxUploadBytes)
            } catch {
                throw Problem.from(.tooLarge("the PDF is larger than the limit of \(app.config.maxUploadBytes >> 20) MB"))
            }
            let bytes = Data(body.readableBytesView)
            guard bytes.starts(with: Array("%PDF-".utf8)) else { throw Problem.from(.unsupportedMedia("the body is not a PDF (it must start with %PDF-)")) }
            return try JSON.response(try app.signatures.verify(bytes))
        }
        on(.get, "/api/v1/pki/trust-anchors") { _, _ in
            let pems = try app.signatures.trustAnchorsPEM()
            var headers = HTTPFields()
            headers[.contentType] = "application/x-pem-file"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: pems)))
        }
    }
}
