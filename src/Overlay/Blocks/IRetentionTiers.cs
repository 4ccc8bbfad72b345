// Spec: specs/repo.md §6 (quota and eviction: class-ranked retention).
using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

/// <summary>
/// Blocks kept above plain LRU eviction but below pins: tiers that quota eviction takes only
/// after every unkept block, lowest tier first (the stream retention: vod, then near_live, then
/// live), and that GC never takes.
/// </summary>
internal interface IRetentionTiers
{
    /// <summary>The tiers, evicted first to last; a block in several tiers counts in the last one.</summary>
    ValueTask<IReadOnlyList<IReadOnlySet<Multihash>>> TiersAsync(CancellationToken cancellationToken);
}
