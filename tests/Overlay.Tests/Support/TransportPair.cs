using System.IO.Pipelines;

namespace Overlay.Tests.Support;

/// <summary>A connected pair of transports and whatever must be disposed with them (sockets, their loops).</summary>
public sealed class TransportPair(IDuplexPipe client, IDuplexPipe server, IAsyncDisposable? resources) : IAsyncDisposable
{
    public IDuplexPipe Client { get; } = client;

    public IDuplexPipe Server { get; } = server;

    public ValueTask DisposeAsync() => resources?.DisposeAsync() ?? ValueTask.CompletedTask;
}
