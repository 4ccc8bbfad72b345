using System.IO.Pipelines;
using Overlay.Muxing;
using Overlay.Muxing.Yamux;

namespace Overlay.Tests.Muxing;

public sealed class YamuxMuxerFactory : IMuxerFactory
{
    private static readonly YamuxOptions Options = new();

    public long InitialWindow => Options.InitialStreamWindowSize;

    public long SenderBuffer => Options.StreamSendBufferSize;

    public int MaxConcurrentStreams => Options.MaxConcurrentStreams;

    public IMuxedConnection Create(IDuplexPipe transport, bool isInitiator) => new YamuxSession(transport, isInitiator, Options);

    public long BufferedInboundBytes(IMuxedStream stream) => ((YamuxStream)stream).BufferedInboundBytes;

    public bool BackgroundWorkDone(IMuxedConnection connection) => ((YamuxSession)connection).Completion.IsCompleted;
}
