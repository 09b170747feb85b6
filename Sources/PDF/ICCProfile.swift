// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A small sRGB ICC profile (ICC.1:2001-04, version 2.1, display class, matrix/TRC), built in
/// code for the PDF/A output intent.
///
/// Generated rather than shipped so there is no third-party profile and licence to track: the
/// colorimetry is the public IEC 61966-2.1 definition. The primaries are the sRGB matrix
/// chromatically adapted from D65 to the D50 profile connection space with the Bradford
/// transform (the values every sRGB v2 profile carries); the tone curve is the piecewise sRGB
/// transfer function sampled at 1024 points, shared by the three channels.
enum SRGBProfile {
    /// The profile file, computed once per process.
    static let bytes: [UInt8] = build()

    /// The `desc` text, also used as the output intent's `/Info`.
    static let description = "sRGB IEC61966-2.1"

    private static func build() -> [UInt8] {
        let d50 = (0.9642, 1.0, 0.8249)  // PCS illuminant, ICC.1 §6.3.4.3
        func xyz(_ v: (Double, Double, Double)) -> [UInt8] {
            var t = sig("XYZ ") + [0, 0, 0, 0]
            for c in [v.0, v.1, v.2] { t += be32(UInt32(bitPattern: Int32((c * 65536).rounded()))) }
            return t
        }
        var curve = sig("curv") + [0, 0, 0, 0] + be32(1024)
        for i in 0..<1024 {
            let x = Double(i) / 1023
            let linear = x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4)
            curve += be16(UInt16((linear * 65535).rounded()))
        }
        // textDescriptionType: ASCII part, then empty Unicode and ScriptCode parts.
        var desc = sig("desc") + [0, 0, 0, 0] + be32(UInt32(description.utf8.count + 1)) + Array(description.utf8) + [0]
        desc += be32(0) + be32(0) + be16(0) + [0] + [UInt8](repeating: 0, count: 67)
        let copyright = "No copyright, use freely"
        let cprt = sig("text") + [0, 0, 0, 0] + Array(copyright.utf8) + [0]

        // (signature, element); equal elements are stored once and shared, as ICC.1 allows.
        let tags: [(String, [UInt8])] = [
            ("desc", desc), ("cprt", cprt), ("wtpt", xyz(d50)),
            ("rXYZ", xyz((0.4360747, 0.2225045, 0.0139322))),
            ("gXYZ", xyz((0.3850649, 0.7168786, 0.0971045))),
            ("bXYZ", xyz((0.1430804, 0.0606169, 0.7141733))),
            ("rTRC", curve), ("gTRC", curve), ("bTRC", curve),
        ]
        var table = be32(UInt32(tags.count))
        var body = [UInt8]()
        var stored: [[UInt8]: Int] = [:]
        let bodyStart = 128 + 4 + tags.count * 12
        for (signature, element) in tags {
            let offset: Int
            if let existing = stored[element] {
                offset = existing
            } else {
                offset = bodyStart + body.count
                stored[element] = offset
                body += element
                while body.count % 4 != 0 { body.append(0) }  // elements start on 4-byte boundaries
            }
            table += sig(signature) + be32(UInt32(offset)) + be32(UInt32(element.count))
        }

        let size = 128 + table.count + body.count
        var header = be32(UInt32(size))
        header += be32(0)  // preferred CMM: none
        header += [0x02, 0x10, 0x00, 0x00]  // version 2.1.0
        header += sig("mntr") + sig("RGB ") + sig("XYZ ")
        // Creation date: fixed, so documents are byte-for-byte reproducible.
        for v: UInt16 in [2026, 11, 21, 0, 0, 0] { header += be16(v) }
        header += sig("acsp")
        header += be32(0) + be32(0)  // primary platform, flags
        header += be32(0) + be32(0)  // device manufacturer, model
        header += be32(0) + be32(0)  // device attributes (reflective, glossy…)
        header += be32(0)  // rendering intent: perceptual
        header += Array(xyz(d50)[8...])  // PCS illuminant
        header += be32(0)  // profile creator
        header += [UInt8](repeating: 0, count: 128 - header.count)  // v2: profile ID and reserved are zero
        return header + table + body
    }

    private static func sig(_ s: String) -> [UInt8] { Array(s.utf8) }
    private static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    private static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
}
