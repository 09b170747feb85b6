// SPDX-License-Identifier: Apache-2.0
import Domain
import Testing

@Suite("Base32 (RFC 4648)")
struct Base32Tests {
    @Test("the RFC's test vectors, both ways; padding, spaces and case are ignored; other characters refused")
    func vectors() {
        let vectors = ["": "", "f": "MY", "fo": "MZXQ", "foo": "MZXW6", "foob": "MZXW6YQ", "fooba": "MZXW6YTB", "foobar": "MZXW6YTBOI"]
        for (plain, encoded) in vectors {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base32.decode("mzxw 6ytb oi======") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil, "1 is not in the alphabet")
    }
}
