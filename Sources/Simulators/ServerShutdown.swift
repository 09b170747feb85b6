// SPDX-License-Identifier: Apache-2.0
import Hummingbird
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

/// Answers with `Connection: close`, so no client keeps an idle connection to a simulator: a
/// graceful shutdown waits for open connections, and pooled idle ones (AsyncHTTPClient keeps
/// them a minute) made every stop wait out its grace period.
struct CloseConnections<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.connection] = "close"
        return response
    }
}
