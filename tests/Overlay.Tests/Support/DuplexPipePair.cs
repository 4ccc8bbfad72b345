using System.IO.Pipelines;

namespace Overlay.Tests.Support;

/// <summary>Two ends of an in-memory connection: what one end writes, the other reads.</summary>
public static class DuplexPipePair
{
    /// <summary>
    /// Kestrel's default request buffer (1 MiB): enough to keep a bulk sender busy, small enough
    /// to show back-pressure. 64 KiB segments, so a socket send moves a useful amount per call.
    /// </summary>
    public static PipeOptions DefaultOptions { get; } = new(
        pauseWriterThreshold: 1024 * 1024,
        resumeWriterThreshold: 512 * 1024,
        minimumSegmentSize: 64 * 1024,
        useSynchronizationContext: false);

    public static TransportPair Create(PipeOptions? options = null)
    {
        options ??= DefaultOptions;
        var clientToServer = new Pipe(options);
        var serverToClient = new Pipe(options);
        return new TransportPair(
            new DuplexPipe(serverToClient.Reader, clientToServer.Writer),
            new DuplexPipe(clientToServer.Reader, serverToClient.Writer),
            resources: null);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
