// SPDX-License-Identifier: Apache-2.0
import Domain
import Testing

@Suite("Sign-in throttle")
struct SignInThrottleTests {
    @Test("four wrong passwords are free; the fifth locks a minute, each further one doubles it, at most an hour")
    func schedule() {
        let t = SignInThrottle()
        #expect((1...4).map { t.lock(afterFailures: $0) } == [nil, nil, nil, nil])
        #expect(t.lock(afterFailures: 5) == 60)
        #expect(t.lock(afterFailures: 6) == 120)
        #expect(t.lock(afterFailures: 9) == 960)
        #expect(t.lock(afterFailures: 10) == 1920)
        #expect(t.lock(afterFailures: 11) == 3600)
        #expect(t.lock(afterFailures: 1000) == 3600)
    }
}
