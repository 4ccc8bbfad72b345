using System.Runtime.InteropServices;

namespace Overlay.Cli.Daemon;

/// <summary>
/// Turns SIGINT (Ctrl+C), SIGTERM, Ctrl+Break, an API <c>shutdown</c> or a cancelled token into
/// one request to stop, carrying the line the daemon prints. Each signal is cancelled (the
/// process is not killed) so the daemon can shut down cleanly; the first request wins.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    public const string InterruptMessage = "Received interrupt signal, shutting down...";

    private readonly TaskCompletionSource<string> _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private readonly CancellationTokenRegistration _cancelled;

    public ShutdownSignal(CancellationToken cancellationToken)
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        // Ctrl+Break on Windows reaches only this event; Ctrl+C may arrive through both paths, which is harmless.
        Console.CancelKeyPress += OnCancelKeyPress;
        _cancelled = cancellationToken.Register(() => Request("Shutting down..."));
    }

    /// <summary>Completes with the reason once a stop is requested.</summary>
    public Task<string> Requested => _requested.Task;

    public void Request(string reason) => _requested.TrySetResult(reason);

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Request(InterruptMessage);
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Request(InterruptMessage);
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancelled.Dispose();
    }
}
