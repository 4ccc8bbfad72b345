using Overlay.Muxing;
using Overlay.Tests.Support;

namespace Overlay.Tests.Muxing;

/// <summary>Two muxed connections over one transport pair; disposing closes both and the transport.</summary>
public sealed class MuxerPair(IMuxedConnection client, IMuxedConnection server, TransportPair transport) : IAsyncDisposable
{
    public IMuxedConnection Client { get; } = client;

    public IMuxedConnection Server { get; } = server;

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Client.DisposeAsync().AsTask(), Server.DisposeAsync().AsTask());
        await transport.DisposeAsync();
    }
}
