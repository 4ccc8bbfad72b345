using System.IO.Pipelines;
using Overlay.Muxing.Yamux;
using Overlay.Tests.Support;

namespace Overlay.Tests.Muxing.Yamux;

/// <summary>A yamux session on one end of an in-memory connection and a <see cref="RawYamuxPeer"/> on the other.</summary>
internal sealed class RawConnection : IAsyncDisposable
{
    /// <summary>No periodic keep-alive, so the only unsolicited frame is the first round-trip ping.</summary>
    public static readonly YamuxOptions QuietOptions = new() { KeepAliveInterval = null };

    private RawConnection(YamuxSession session, RawYamuxPeer peer)
    {
        Session = session;
        Peer = peer;
    }

    public YamuxSession Session { get; }

    public RawYamuxPeer Peer { get; }

    /// <summary>The session listens (even ids) unless <paramref name="sessionIsInitiator"/>; the raw peer plays the other side.</summary>
    public static RawConnection Create(YamuxOptions? options = null, bool sessionIsInitiator = false, PipeOptions? pipeOptions = null)
    {
        var transport = DuplexPipePair.Create(pipeOptions);
        return new RawConnection(new YamuxSession(transport.Server, sessionIsInitiator, options ?? QuietOptions), new RawYamuxPeer(transport.Client));
    }

    public ValueTask DisposeAsync() => Session.DisposeAsync();
}
