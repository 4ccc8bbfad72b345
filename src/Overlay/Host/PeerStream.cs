using System.IO.Pipelines;
using Overlay.Manifest.Keys;
using Overlay.Muxing;

namespace Overlay.Host;

/// <summary>A muxed stream after protocol negotiation, with who is on the other end.</summary>
public sealed class PeerStream : IDuplexPipe, IAsyncDisposable
{
    internal PeerStream(IMuxedStream stream, string protocol, PeerConnection connection)
    {
        Stream = stream;
        Protocol = protocol;
        Connection = connection;
    }

    public IMuxedStream Stream { get; }

    public string Protocol { get; }

    public PeerConnection Connection { get; }

    public PeerId RemotePeer => Connection.RemotePeer;

    public PipeReader Input => Stream.Input;

    public PipeWriter Output => Stream.Output;

    public void Reset() => Stream.Reset();

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
