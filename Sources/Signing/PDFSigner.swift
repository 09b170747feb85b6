// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation
import X509

/// Errors raised while signing a PDF.
public enum PDFSignerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not a PDF this signer can read (with what went wrong).
    case malformed(String)
    /// The file's last cross-reference section is an xref stream (PDF 1.5 compressed
    /// cross-reference), which this signer does not read yet.
    case xrefStreamUnsupported
    /// The file is encrypted; signing it would need its decryption key.
    case encrypted
    /// The CMS signature did not fit in the reserved `/Contents` placeholder.
    case signatureTooLarge(needed: Int, reserved: Int)

    public var description: String {
        switch self {
        case .malformed(let why): "PDF signing: malformed or unsupported PDF: \(why)"
        case .xrefStreamUnsupported:
            "PDF signing: the PDF uses a cross-reference stream (PDF 1.5+ compressed xref); only classic xref tables are supported"
        case .encrypted: "PDF signing: encrypted PDFs are not supported"
        case .signatureTooLarge(let needed, let reserved):
            "PDF signing: the CMS signature needs \(needed) bytes but only \(reserved) were reserved"
        }
    }
}

/// Signs PDFs with PAdES baseline B-B signatures (`/SubFilter /ETSI.CAdES.detached`).
///
/// The signature is added as an incremental update: the original bytes stay untouched, so
/// earlier signatures keep verifying and an officer's signature survives the leader's.
public enum PDFSigner {
    /// Bytes reserved for the DER CMS in `/Contents` (written as twice as many hex digits).
    /// 16 KB holds a signer certificate plus a few chain certificates with RSA-4096 keys, and an
    /// RFC 3161 timestamp token with its TSA certificates.
    public static let reservedSignatureSize = 16384

    /// Appends a signature to `pdf` and returns the signed file.
    ///
    /// - Parameters:
    ///   - pdf: a PDF with classic cross-reference tables (as written by the `PDF` module, or a
    ///     file already signed by this function).
    ///   - certificateChain: the signer certificate first, then its issuers; all go into the CMS
    ///     so validators can build the chain to their trust anchor.
    ///   - privateKey: the signer's RSA (2048+) or ECDSA P-256 key, or a custom (HSM) key.
    ///   - signerName: shown by viewers as `/Name`.
    ///   - reason: optional `/Reason`.
    ///   - location: optional `/Location`.
    ///   - date: the claimed signing time, written to `/M` (PAdES keeps it out of the CMS).
    /// - Throws: ``PDFSignerError`` for inputs it cannot sign, ``CMSError`` for key problems.
    public static func sign(
        pdf: Data, certificateChain: [Certificate], privateKey: Certificate.PrivateKey,
        signerName: String, reason: String?, location: String?, at date: Date
    ) throws -> Data {
        let prepared = try prepare(pdf: pdf, signerName: signerName, reason: reason, location: location, at: date)
        let cms = try CMSSignedData.sign(
            contentDigest: prepared.digest, certificateChain: certificateChain, privateKey: privateKey)
        return try prepared.embedding(cms)
    }

    /// Appends a PAdES B-T signature: as ``sign(pdf:certificateChain:privateKey:signerName:reason:location:at:)``,
    /// plus an RFC 3161 timestamp over the signature value from `timestampAuthority`, stored as the
    /// SignerInfo's unsigned attribute id-aa-signatureTimeStampToken. The timestamp proves the
    /// signature existed at the TSA's time, which `/M` (the signer's own claim) cannot.
    ///
    /// - Parameter timestampAuthority: the TSA to ask; it is called once, after signing.
    /// - Throws: as the synchronous variant, plus ``TimestampError`` when the TSA cannot be reached,
    ///   refuses, or answers with a token that does not match the request.
    public static func sign(
        pdf: Data, certificateChain: [Certificate], privateKey: Certificate.PrivateKey,
        signerName: String, reason: String?, location: String?, at date: Date,
        timestampAuthority: TimestampAuthority
    ) async throws -> Data {
        let prepared = try prepare(pdf: pdf, signerName: signerName, reason: reason, location: location, at: date)
        let cms = try CMSSignedData.prepare(
            contentDigest: prepared.digest, certificateChain: certificateChain, privateKey: privateKey)
        let token = try await timestampAuthority.timestampToken(for: SHA256.hash(data: cms.signatureValue))
        let attribute = try CMSSignedData.attribute(CMSSignedData.idSignatureTimeStampToken) { $0.serializeRawBytes(token) }
        return try prepared.embedding(cms.encoded(unsignedAttributes: [attribute]))
    }

    /// The signed file but for the CMS: the incremental update with its `/Contents` placeholder
    /// and the digest of the bytes `/ByteRange` covers.
    struct PreparedUpdate {
        let bytes: [UInt8]
        /// Offset of the `<` that opens the `/Contents` hex string.
        let contentsStart: Int
        let digest: SHA256.Digest

        /// The file with `cms` written into the placeholder.
        func embedding(_ cms: [UInt8]) throws -> Data {
            guard cms.count <= reservedSignatureSize else {
                throw PDFSignerError.signatureTooLarge(needed: cms.count, reserved: reservedSignatureSize)
            }
            var out = bytes
            let hex = Array(cms.map { String(format: "%02X", $0) }.joined().utf8)
            // The rest of the placeholder stays '0': trailing zero padding after the DER is ignored.
            out.replaceSubrange((contentsStart + 1)..<(contentsStart + 1 + hex.count), with: hex)
            return Data(out)
        }
    }

    static func prepare(pdf: Data, signerName: String, reason: String?, location: String?, at date: Date) throws -> PreparedUpdate {
        let original = [UInt8](pdf)
        let document = try IncrementalDocument(original)

        // Page 1 gets the (invisible) widget so viewers list the signature on that page.
        let (pageRef, page) = try document.firstPage()
        var updates: [(Int, Int, String)] = []  // (number, generation, serialized object)
        var nextNumber = document.size

        func newNumber() -> Int {
            defer { nextNumber += 1 }
            return nextNumber
        }
        let sigNumber = newNumber()
        let fieldNumber = newNumber()

        // AcroForm: reuse an indirect one in place; otherwise (absent or inline) make it indirect
        // and point the catalog at it, as Acrobat and pyHanko do.
        var catalog = document.catalog
        var acroForm: PDFObject
        let acroFormNumber: (Int, Int)
        switch catalog["AcroForm"] {
        case .reference(let n, let g)?:
            acroForm = try document.resolve(n, g)
            acroFormNumber = (n, g)
        case .dictionary(let d)?:
            acroForm = .dictionary(d)
            acroFormNumber = (newNumber(), 0)
            catalog = catalog.setting("AcroForm", .reference(acroFormNumber.0, 0))
            updates.append((document.rootRef.0, document.rootRef.1, catalog.serialized))
        default:
            acroForm = .dictionary([])
            acroFormNumber = (newNumber(), 0)
            catalog = catalog.setting("AcroForm", .reference(acroFormNumber.0, 0))
            updates.append((document.rootRef.0, document.rootRef.1, catalog.serialized))
        }

        // Existing fields stay, so earlier signatures remain listed and valid.
        let fieldRef = PDFObject.reference(fieldNumber, 0)
        let existingFields: [PDFObject]
        switch acroForm["Fields"] {
        case .reference(let n, let g)?:
            guard case .array(let items) = try document.resolve(n, g) else { throw PDFSignerError.malformed("/Fields is not an array") }
            existingFields = items
            updates.append((n, g, PDFObject.array(items + [fieldRef]).serialized))
        case .array(let items)?:
            existingFields = items
            acroForm = acroForm.setting("Fields", .array(items + [fieldRef]))
        default:
            existingFields = []
            acroForm = acroForm.setting("Fields", .array([fieldRef]))
        }
        // SigFlags 3 = SignaturesExist | AppendOnly: viewers must save further edits incrementally.
        acroForm = acroForm.setting("SigFlags", .number("3"))
        updates.append((acroFormNumber.0, acroFormNumber.1, acroForm.serialized))

        // The page's /Annots gains the widget, wherever the array lives.
        switch page["Annots"] {
        case .reference(let n, let g)?:
            guard case .array(let items) = try document.resolve(n, g) else { throw PDFSignerError.malformed("/Annots is not an array") }
            updates.append((n, g, PDFObject.array(items + [fieldRef]).serialized))
        case .array(let items)?:
            updates.append((pageRef.0, pageRef.1, page.setting("Annots", .array(items + [fieldRef])).serialized))
        default:
            updates.append((pageRef.0, pageRef.1, page.setting("Annots", .array([fieldRef])).serialized))
        }

        // Field names must be unique within the form.
        var names = Set<String>()
        for case .reference(let n, let g) in existingFields {
            if case .string(let s)? = (try? document.resolve(n, g))?["T"] { names.insert(String(decoding: s, as: UTF8.self)) }
        }
        var index = existingFields.count + 1
        while names.contains("(Signature\(index))") { index += 1 }

        // Merged field + widget; /F 132 = Print | Locked, /Rect all zero = invisible.
        updates.append((
            fieldNumber, 0,
            "<</Type /Annot /Subtype /Widget /FT /Sig /T (Signature\(index)) /V \(sigNumber) 0 R /F 132 /Rect [0 0 0 0] /P \(pageRef.0) \(pageRef.1) R>>"
        ))

        let byteRangePlaceholder = "[0 0000000000 0000000000 0000000000]"
        let contentsPlaceholder = "<" + String(repeating: "0", count: reservedSignatureSize * 2) + ">"
        var sigDict = "<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange "
        let byteRangeOffsetInObject = sigDict.utf8.count
        sigDict += byteRangePlaceholder + " /Contents "
        let contentsOffsetInObject = sigDict.utf8.count
        sigDict += contentsPlaceholder + " /M " + pdfDate(date) + " /Name " + textString(signerName)
        if let reason { sigDict += " /Reason " + textString(reason) }
        if let location { sigDict += " /Location " + textString(location) }
        sigDict += ">>"
        updates.append((sigNumber, 0, sigDict))

        // Write the update: objects, xref section, trailer.
        var out = original
        if out.last != 10 && out.last != 13 { out.append(10) }
        var offsets: [Int: (Int, Int)] = [:]  // number → (offset, generation)
        var sigObjectBodyOffset = 0
        for (n, g, body) in updates {
            offsets[n] = (out.count, g)
            let header = "\(n) \(g) obj\n"
            out += Array(header.utf8)
            if n == sigNumber { sigObjectBodyOffset = out.count }
            out += Array(body.utf8)
            out += Array("\nendobj\n".utf8)
        }
        let xrefOffset = out.count
        var xref = "xref\n"
        let numbers = offsets.keys.sorted()
        var i = 0
        while i < numbers.count {
            var j = i
            while j + 1 < numbers.count, numbers[j + 1] == numbers[j] + 1 { j += 1 }
            xref += "\(numbers[i]) \(j - i + 1)\n"
            for n in numbers[i...j] {
                let (off, gen) = offsets[n]!
                // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, EOL.
                xref += pad(off, 10) + " " + pad(gen, 5) + " n\r\n"
            }
            i = j + 1
        }
        var trailer = document.trailer
        for key in ["Prev", "XRefStm"] {
            trailer = .dictionary((trailer.dictionary ?? []).filter { $0.0 != key })
        }
        trailer = trailer.setting("Size", .number(String(max(nextNumber, document.size))))
        trailer = trailer.setting("Prev", .number(String(document.startxref)))
        // The second ID changes with each revision (ISO 32000-1 §14.4); the first stays.
        let newID = SHA256.hash(data: out).prefix(16).map { String(format: "%02X", $0) }.joined()
        if case .array(let ids)? = trailer["ID"], let first = ids.first {
            trailer = trailer.setting("ID", .array([first, .string(Array("<\(newID)>".utf8))]))
        } else {
            trailer = trailer.setting("ID", .array([.string(Array("<\(newID)>".utf8)), .string(Array("<\(newID)>".utf8))]))
        }
        xref += "trailer\n" + trailer.serialized + "\nstartxref\n\(xrefOffset)\n%%EOF\n"
        out += Array(xref.utf8)

        // ByteRange covers everything except the hex string (delimiters included in the gap).
        let contentsStart = sigObjectBodyOffset + contentsOffsetInObject
        let contentsEnd = contentsStart + contentsPlaceholder.utf8.count
        let byteRange = "[0 \(contentsStart) \(contentsEnd) \(out.count - contentsEnd)]"
        let byteRangeStart = sigObjectBodyOffset + byteRangeOffsetInObject
        let padded = byteRange + String(repeating: " ", count: byteRangePlaceholder.utf8.count - byteRange.utf8.count)
        out.replaceSubrange(byteRangeStart..<(byteRangeStart + padded.utf8.count), with: Array(padded.utf8))

        var hasher = SHA256()
        hasher.update(data: out[0..<contentsStart])
        hasher.update(data: out[contentsEnd...])
        return PreparedUpdate(bytes: out, contentsStart: contentsStart, digest: hasher.finalize())
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// `D:YYYYMMDDHHmmSS+00'00'` in UTC, so the result does not depend on the server's zone.
    static func pdfDate(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return "(D:" + pad(c.year!, 4) + pad(c.month!, 2) + pad(c.day!, 2) + pad(c.hour!, 2) + pad(c.minute!, 2)
            + pad(c.second!, 2) + "+00'00')"
    }

    /// A PDF text string: a literal for printable ASCII, else UTF-16BE with BOM in hex
    /// (Vietnamese names need the latter; PDFDocEncoding lacks those letters).
    static func textString(_ s: String) -> String {
        if s.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
            var out = "("
            for ch in s {
                if ch == "(" || ch == ")" || ch == "\\" { out += "\\" }
                out.append(ch)
            }
            return out + ")"
        }
        return "<FEFF" + s.utf16.map { String(format: "%04X", $0) }.joined() + ">"
    }
}

/// The parts of an existing PDF an incremental update needs: its newest trailer and xref.
struct IncrementalDocument {
    let bytes: [UInt8]
    let startxref: Int
    let trailer: PDFObject
    let size: Int
    let rootRef: (Int, Int)
    private(set) var catalog: PDFObject = .null
    /// Object number → byte offset, from the newest xref section that mentions it.
    private var offsets: [Int: Int] = [:]

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        guard bytes.starts(with: Array("%PDF-".utf8)) else { throw PDFSignerError.malformed("no %PDF- header") }
        // startxref sits within the last kilobyte or so; search from the end.
        let marker = Array("startxref".utf8)
        var at = bytes.count - marker.count
        while at >= 0, !bytes[at..<(at + marker.count)].elementsEqual(marker) { at -= 1 }
        guard at >= 0 else { throw PDFSignerError.malformed("no startxref") }
        var p = PDFParser(bytes, at: at + marker.count)
        guard let start = Int(p.regularToken()), start < bytes.count else { throw PDFSignerError.malformed("bad startxref") }
        startxref = start

        var newestTrailer: PDFObject?
        var seen = Set<Int>()
        var visited = Set<Int>()
        var next: Int? = start
        while let sectionOffset = next, !visited.contains(sectionOffset) {
            visited.insert(sectionOffset)
            var q = PDFParser(bytes, at: sectionOffset)
            let keyword = q.regularToken()
            guard keyword == "xref" else {
                if Int(keyword) != nil { throw PDFSignerError.xrefStreamUnsupported }
                throw PDFSignerError.malformed("no xref table at offset \(sectionOffset)")
            }
            while true {
                let t = q.regularToken()
                if t == "trailer" { break }
                guard let first = Int(t), let count = Int(q.regularToken()) else {
                    throw PDFSignerError.malformed("bad xref subsection at offset \(q.pos)")
                }
                // Entries are 20 bytes each: a count the file cannot hold is corrupt (or hostile).
                guard first >= 0, count >= 0, count <= (bytes.count - q.pos) / 20 + 1 else {
                    throw PDFSignerError.malformed("xref subsection larger than the file")
                }
                for k in 0..<count {
                    let off = q.regularToken(), _ = q.regularToken(), kind = q.regularToken()
                    let n = first + k
                    // Newer sections come first; an older entry never overrides one seen already.
                    guard !seen.contains(n) else { continue }
                    seen.insert(n)
                    if kind == "n", let o = Int(off) { offsets[n] = o }
                }
            }
            let t = try q.object()
            if newestTrailer == nil { newestTrailer = t }
            if t["XRefStm"] != nil { throw PDFSignerError.xrefStreamUnsupported }
            next = t["Prev"]?.intValue
        }
        guard let trailer = newestTrailer else { throw PDFSignerError.malformed("no trailer") }
        self.trailer = trailer
        if trailer["Encrypt"] != nil { throw PDFSignerError.encrypted }
        guard let size = trailer["Size"]?.intValue else { throw PDFSignerError.malformed("trailer without /Size") }
        self.size = size
        guard case .reference(let rn, let rg)? = trailer["Root"] else { throw PDFSignerError.malformed("trailer without /Root") }
        rootRef = (rn, rg)

        catalog = try resolve(rn, rg)
    }

    func resolve(_ number: Int, _ generation: Int) throws -> PDFObject {
        guard let off = offsets[number] else { throw PDFSignerError.malformed("object \(number) \(generation) not in xref") }
        var p = PDFParser(bytes, at: off)
        return try p.indirectObject(number: number)
    }

    /// The first page in document order, following `/Kids[0]` down the page tree.
    func firstPage() throws -> ((Int, Int), PDFObject) {
        guard case .reference(var n, var g)? = catalog["Pages"] else { throw PDFSignerError.malformed("catalog without /Pages") }
        for _ in 0..<64 {  // depth bound guards against a cyclic page tree
            let node = try resolve(n, g)
            if case .name("Page")? = node["Type"] { return ((n, g), node) }
            guard case .array(let kids)? = node["Kids"], case .reference(let kn, let kg)? = kids.first else {
                throw PDFSignerError.malformed("page tree node \(n) has no kids")
            }
            (n, g) = (kn, kg)
        }
        throw PDFSignerError.malformed("page tree too deep")
    }
}
