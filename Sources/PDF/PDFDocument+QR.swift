// SPDX-License-Identifier: Apache-2.0
import Foundation

extension PDFDocument {
    /// Draws `qr` on the current page as a square of `size` points whose lower-left corner
    /// is at (`x`, `y`). The square includes the 4-module quiet zone required by
    /// ISO/IEC 18004, which is painted white so underlying content cannot disturb scanning.
    ///
    /// Each horizontal run of dark modules becomes one filled black rectangle, keeping the
    /// content stream small. Module edges are computed from shared grid lines, so adjacent
    /// rows meet exactly without hairline gaps.
    public mutating func drawQRCode(_ qr: QRCode, x: Double, y: Double, size: Double) throws {
        let modulesPerSide = qr.size + 8
        let module = size / Double(modulesPerSide)
        try drawRect(x: x, y: y, width: size, height: size, lineWidth: 0, fillGray: 1)
        // Grid line positions: column c's left edge, row r's top edge (rows count downwards).
        func left(_ c: Int) -> Double { x + Double(c + 4) * module }
        func top(_ r: Int) -> Double { y + size - Double(r + 4) * module }
        for row in 0..<qr.size {
            var col = 0
            while col < qr.size {
                guard qr.isDark(x: col, y: row) else {
                    col += 1
                    continue
                }
                let start = col
                while col < qr.size, qr.isDark(x: col, y: row) { col += 1 }
                let x0 = left(start), x1 = left(col)
                let y0 = top(row + 1), y1 = top(row)
                try drawRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0, lineWidth: 0, fillGray: 0)
            }
        }
    }
}
