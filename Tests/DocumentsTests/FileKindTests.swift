// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import Documents

@Suite("File kind sniffing")
struct FileKindTests {
    @Test func magicNumbers() {
        #expect(FileKind.sniff(Array("%PDF-1.7\n".utf8)) == .pdf)
        #expect(FileKind.sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]) == .jpeg)
        #expect(FileKind.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) == .png)
        #expect(FileKind.sniff([0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0]) == .tiff)
        #expect(FileKind.sniff([0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8]) == .tiff)
    }

    @Test func nothingElse() {
        #expect(FileKind.sniff([]) == nil)
        #expect(FileKind.sniff(Array("%PDF".utf8)) == nil)  // too short to be sure
        #expect(FileKind.sniff(Array(" %PDF-1.4".utf8)) == nil)  // the header must open the file
        #expect(FileKind.sniff(Array("Họ và tên: Nguyễn Văn Đức\n".utf8)) == nil)
        #expect(FileKind.sniff([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]) == nil)  // ELF
        #expect(FileKind.sniff([0x4D, 0x5A, 0x90, 0x00]) == nil)  // Windows PE
        #expect(FileKind.sniff([0x50, 0x4B, 0x03, 0x04]) == nil)  // ZIP / DOCX
        #expect(FileKind.sniff([0x49, 0x49, 0x2B, 0x00, 8, 0, 0, 0]) == nil)  // BigTIFF
        #expect(FileKind.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x00]) == nil)  // damaged PNG signature
    }

    /// An executable renamed .pdf is not a PDF, and a text file named .png is nothing.
    @Test func namesAreIgnored() throws {
        let dir = try Fixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let elf = dir.appendingPathComponent("don-xin-cap-phep.pdf")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: "/bin/sh").resolvingSymlinksInPath(), to: elf)
        #expect(try FileKind.sniff(file: elf) == nil)
        let text = dir.appendingPathComponent("scan.png")
        try Data("Cộng hòa xã hội chủ nghĩa Việt Nam\n".utf8).write(to: text)
        #expect(try FileKind.sniff(file: text) == nil)
        let empty = dir.appendingPathComponent("empty.pdf")
        try Data().write(to: empty)
        #expect(try FileKind.sniff(file: empty) == nil)
    }

    @Test func mediaTypesAndMessage() {
        #expect(FileKind.accepted.map(\.mediaType) == ["application/pdf", "image/jpeg", "image/png", "image/tiff"])
        for k in FileKind.accepted { #expect(FileKind(mediaType: k.mediaType) == k) }
        #expect(FileKind(mediaType: "application/pdf; charset=binary") == .pdf)
        #expect(FileKind(mediaType: "application/x-executable") == nil)
        #expect(FileKind.acceptedDescription.contains("Chỉ chấp nhận tệp PDF, JPEG, PNG hoặc TIFF"))
        #expect(FileKind.acceptedDescription.contains("Accepted: PDF, JPEG, PNG or TIFF"))
    }
}
