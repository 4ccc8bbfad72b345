namespace Overlay.Bitswap;

/// <summary>What <see cref="DagFetcher.FetchAsync"/> did: blocks in the DAG, and how many of them came over the network.</summary>
public sealed record DagFetchResult(long Blocks, long FetchedBlocks, long FetchedBytes, TimeSpan Elapsed);
