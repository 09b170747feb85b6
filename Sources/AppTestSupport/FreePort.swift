// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ports for servers a test starts on a port it must know in advance (a redirect address, a
/// second instance).
///
/// They come from below the kernel's ephemeral range (32768–60999 on Linux): simulators started on
/// port 0 and every outgoing connection of a parallel test run take ports from that range, and a
/// server given one of them at random once found a simulator already listening there (CI, session
/// 6: the browser test's /healthz was answered by someone else). Each port is handed out once per
/// test process and checked free by binding it.
public enum FreePort {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var next = Int.random(in: 0..<8_000)

    /// A port on 127.0.0.1 that nothing listens on now and no other test of this process was given.
    public static func take() throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        for _ in 0..<2_000 {
            let port = 20_000 + next % 12_000
            next += 1
            if bindable(port) { return port }
        }
        throw TestFailure("no free port on 127.0.0.1 between 20000 and 32000")
    }

    /// Whether a listening socket could take `port` now (no SO_REUSEADDR: a port in TIME_WAIT
    /// counts as taken, which errs on the safe side).
    static func bindable(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
