using Overlay.Tests.Support;
using Xunit.Abstractions;

namespace Overlay.Tests.Muxing;

[Collection(MuxingCollection.Name)]
public sealed class YamuxOverTcpTests(ITestOutputHelper output) : MuxerConformanceTests<YamuxMuxerFactory>(output)
{
    protected override Task<TransportPair> CreateTransportAsync() => SocketDuplexPipe.CreateLoopbackPairAsync();
}
