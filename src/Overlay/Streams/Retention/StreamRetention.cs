// Spec: specs/sync.md §7 and specs/repo.md §6 (class-ranked retention of stream data).
using Overlay.Blocks;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;
using Overlay.Streams.Sync;

namespace Overlay.Streams.Retention;

/// <summary>
/// Keeps the data of followed and carried streams out of GC and out of plain LRU eviction, in
/// three tiers that quota eviction takes in order: vod bundles, then near_live, then live. A
/// bundle's tier is its class; the head and page-tree nodes of a stream go with its most urgent
/// tier (they are small and every bundle needs them). Own streams are pinned instead, so they
/// never appear here; expired bundles are no longer held, so they lose this protection.
/// </summary>
/// <param name="holdings">
/// Per kept stream, its head and held leaves; when <c>Held</c> is null, every leaf whose bundle is
/// here, unexpired and not in <c>Expired</c>.
/// </param>
internal sealed class StreamRetention(
    IBlockStore local, BundleFactsCache facts, TimeProvider clock, Func<IEnumerable<(SignedTreeHead Head, long[]? Held, IReadOnlySet<long>? Expired)>> holdings)
    : IRetentionTiers
{
    /// <summary>A running node's retention: its followers' heads and held sets.</summary>
    public StreamRetention(StreamService streams)
        : this(streams.LocalBlocks, streams.Facts, streams.Options.Clock, () => streams.Followers()
            .Where(f => !f.Own)
            .Select(f => f.Holdings())
            .Where(h => h.Head is not null)
            .Select(h => (h.Head!, (long[]?)h.Held, (IReadOnlySet<long>?)null)))
    {
    }

    /// <summary>
    /// The retention of a repo without a running node (offline <c>repo gc</c>): the streams saved in
    /// <paramref name="stateFolder"/> that are not our own, each head verified again, keeping every
    /// leaf whose bundle is here, unexpired and not recorded as expired.
    /// </summary>
    public static StreamRetention ForRepo(string stateFolder, IBlockStore local) =>
        new(local, new BundleFactsCache(), TimeProvider.System, () => Saved(stateFolder));

    public async ValueTask<IReadOnlyList<IReadOnlySet<Multihash>>> TiersAsync(CancellationToken cancellationToken)
    {
        // Index by PushOrder.Rank: 0 live, 1 near_live, 2 vod; returned vod first.
        var tiers = new[] { new HashSet<Multihash>(), new HashSet<Multihash>(), new HashSet<Multihash>() };
        var now = clock.GetUtcNow();
        foreach (var (head, held, expired) in holdings())
        {
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
            foreach (var seq in held ?? Enumerable.Range(0, leaves.Count).Select(i => (long)i).Where(i => expired?.Contains(i) != true))
            {
                if (seq >= leaves.Count || await facts.GetAsync(local, leaves[(int)seq], cancellationToken).ConfigureAwait(false) is not { } bundle
                    || (held is null && bundle.IsExpired(now)))
                {
                    continue;
                }
                var rank = PushOrder.Rank(bundle.Class);
                best = Math.Min(best, rank);
                tiers[rank].Add(bundle.Bundle.Hash);
                foreach (var block in await facts.PayloadBlocksAsync(local, bundle.Payload, cancellationToken).ConfigureAwait(false))
                {
                    tiers[rank].Add(block.Hash);
                }
            }
            tiers[best].Add(head.Cid.Hash);
            tiers[best].UnionWith(recorder.Read.Select(b => b.Cid.Hash));
        }
        return [tiers[2], tiers[1], tiers[0]];
    }

    private static IEnumerable<(SignedTreeHead Head, long[]? Held, IReadOnlySet<long>? Expired)> Saved(string stateFolder)
    {
        foreach (var (stream, bytes, own) in new StreamStateStore(stateFolder).Load())
        {
            if (own)
            {
                continue;
            }
            SignedTreeHead head;
            try
            {
                head = SignedTreeHead.Decode(bytes, stream);
            }
            catch (OverlayException)
            {
                continue;
            }
            yield return (head, null, ExpiredSetFile.Load(stateFolder, stream).ToHashSet());
        }
    }
}
