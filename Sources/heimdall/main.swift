import Foundation
import NIOCore
import NIOPosix

// The long-running commands serve HTTP from NIO's event loops; running Swift concurrency's jobs on
// those same threads saves a thread hop per request and response part (measured in
// docs/benchmarks.md). It must happen before any task runs, hence here, before parsing.
// HEIMDALL_NIO_EXECUTOR=0 keeps the default executor (the `nio_executor` setting, config/README.md:
// read here, before any configuration is loaded, so only the environment variable can change it).
let arguments = CommandLine.arguments.dropFirst()
if let command = arguments.first, command == "serve" || command == "demo",
    ProcessInfo.processInfo.environment["HEIMDALL_NIO_EXECUTOR"] != "0"
{
    _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
/// Inside an async function `main()` resolves to AsyncParsableCommand's async entry point
/// (top-level code would pick the synchronous one, which never runs an async command).
func runHeimdall() async {
    await Heimdall.main()
}
await runHeimdall()
