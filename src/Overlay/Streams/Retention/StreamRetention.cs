// Spec: specs/sync.md §7 and specs/repo.md §6 (class-ranked retention of stream data).
using Overlay.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;
using Overlay.Streams.Sync;

namespace Overlay.Streams.Retention;

/// <summary>
/// Keeps the data of followed and carried streams out of GC and out of plain LRU eviction, in
/// three tiers that quota eviction takes in order: vod bundles, then near_live, then live. A
/// bundle's tier is its class; the head and page-tree nodes of a stream go with its highest
/// tier (they are small and every bundle needs them). Own streams are pinned instead, so they
/// never appear here; expired bundles are no longer held, so they lose this protection.
/// </summary>
internal sealed class StreamRetention(StreamService streams) : IRetentionTiers
{
    public async ValueTask<IReadOnlyList<IReadOnlySet<Multihash>>> TiersAsync(CancellationToken cancellationToken)
    {
        // Index by PushOrder.Rank: 0 live, 1 near_live, 2 vod; returned vod first.
        var tiers = new[] { new HashSet<Multihash>(), new HashSet<Multihash>(), new HashSet<Multihash>() };
        var local = streams.LocalBlocks;
        foreach (var follower in streams.Followers())
        {
            var (head, held) = follower.Holdings();
            if (follower.Own || head is null)
            {
                continue;
            }
            var best = 2;
            var recorder = new RecordingBlockStore(local);
            IReadOnlyList<Cid> leaves = [];
            try
            {
                leaves = await new StreamManifestReader(recorder, head).GetLeavesAsync(0, head.Head.Size, cancellationToken).ConfigureAwait(false);
            }
            catch (OverlayException)
            {
                // A page tree not (yet) here: only the head and what was read are kept.
            }
            foreach (var seq in held)
            {
                if (seq >= leaves.Count || await streams.Facts.GetAsync(local, leaves[(int)seq], cancellationToken).ConfigureAwait(false) is not { } facts)
                {
                    continue;
                }
                var rank = PushOrder.Rank(facts.Class);
                best = Math.Min(best, rank);
                tiers[rank].Add(facts.Bundle.Hash);
                foreach (var block in await streams.Facts.PayloadBlocksAsync(local, facts.Payload, cancellationToken).ConfigureAwait(false))
                {
                    tiers[rank].Add(block.Hash);
                }
            }
            tiers[best].Add(head.Cid.Hash);
            tiers[best].UnionWith(recorder.Read.Select(b => b.Cid.Hash));
        }
        return [tiers[2], tiers[1], tiers[0]];
    }
}
