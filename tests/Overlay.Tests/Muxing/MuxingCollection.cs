using Overlay.Tests.Support;

namespace Overlay.Tests.Muxing;

/// <summary>
/// Muxer tests move hundreds of MiB and watch timings (stalls, round trips); on a small machine
/// they run one class at a time, and alone, so other tests do not skew them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MuxingCollection : ICollectionFixture<ThreadPoolHeadroom>
{
    public const string Name = "Muxing";
}
