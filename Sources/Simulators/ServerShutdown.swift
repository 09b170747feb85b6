// SPDX-License-Identifier: Apache-2.0
import ServiceLifecycle

/// Stops a simulator's server: gracefully, so requests in flight get their answers, but not for
/// ever. A graceful shutdown waits for every open connection, and a client that keeps an idle
/// keep-alive connection (every HTTP client does, for a minute or until it is freed) would hold
/// it up; the test suite once hung on exactly that. After `grace` the server is cancelled.
func stopServer(_ group: ServiceGroup?, running task: Task<Void, any Error>, grace: Duration = .seconds(5)) async {
    await group?.triggerGracefulShutdown()
    await withTaskGroup(of: Void.self) { watchdog in
        watchdog.addTask {
            // Cancelled below as soon as the server is down; otherwise it cuts the wait short.
            guard (try? await Task.sleep(for: grace)) != nil else { return }
            task.cancel()
        }
        _ = try? await task.value
        watchdog.cancelAll()
    }
}
