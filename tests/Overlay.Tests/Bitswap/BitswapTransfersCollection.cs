namespace Overlay.Tests.Bitswap;

/// <summary>Large transfers run one at a time and alone, so their throughput figures mean something.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BitswapTransfersCollection
{
    public const string Name = "Bitswap transfers";
}
