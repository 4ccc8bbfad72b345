using Overlay.Tests.Support;
using Xunit.Abstractions;

namespace Overlay.Tests.Muxing;

[Collection(MuxingCollection.Name)]
public sealed class YamuxOverMemoryTests(ITestOutputHelper output) : MuxerConformanceTests<YamuxMuxerFactory>(output)
{
    protected override Task<TransportPair> CreateTransportAsync() => Task.FromResult(DuplexPipePair.Create());
}
