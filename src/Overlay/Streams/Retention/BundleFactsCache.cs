using System.Collections.Concurrent;
using Overlay.Bitswap;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;

namespace Overlay.Streams.Retention;

/// <summary>
/// Facts of held bundles and the block lists of their payload DAGs, read from the local store the
/// first time they are asked for (bundles and payloads never change: they are named by hash).
/// Bounded: past <see cref="MaxEntries"/> the cache starts over.
/// </summary>
internal sealed class BundleFactsCache
{
    /// <summary>About 200 bytes an entry: a few tens of MB for the largest repos we expect.</summary>
    private const int MaxEntries = 200_000;

    private readonly ConcurrentDictionary<Cid, BundleFacts> _facts = new();
    private readonly ConcurrentDictionary<Cid, Cid[]> _payloadBlocks = new();

    /// <summary>The facts of the bundle block <paramref name="bundle"/>, or null when it is not in <paramref name="local"/> or does not decode.</summary>
    public async ValueTask<BundleFacts?> GetAsync(IBlockStore local, Cid bundle, CancellationToken cancellationToken)
    {
        if (_facts.TryGetValue(bundle, out var known))
        {
            return known;
        }
        if (await local.GetAsync(bundle, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return null;
        }
        SignedBundle decoded;
        try
        {
            decoded = SignedBundle.Decode(bytes.Span);
        }
        catch (OverlayException)
        {
            return null;
        }
        var b = decoded.Bundle;
        var facts = new BundleFacts(decoded.Cid, b.Seq, b.Class, b.Created, b.Expires, b.Payload, b.Size);
        Bound(_facts);
        _facts[bundle] = facts;
        return facts;
    }

    /// <summary>Every block of the payload DAG present locally (raw leaves are not read); a missing or unreadable node ends its branch.</summary>
    public async ValueTask<Cid[]> PayloadBlocksAsync(IBlockStore local, Cid payload, CancellationToken cancellationToken)
    {
        if (_payloadBlocks.TryGetValue(payload, out var known))
        {
            return known;
        }
        var blocks = new List<Cid>();
        var seen = new HashSet<Multihash>();
        var pending = new Stack<Cid>([payload]);
        var complete = true;
        while (pending.TryPop(out var cid))
        {
            if (!seen.Add(cid.Hash))
            {
                continue;
            }
            blocks.Add(cid);
            if (cid.Codec == Multicodec.Raw)
            {
                continue;
            }
            if (await local.GetAsync(cid, cancellationToken).ConfigureAwait(false) is not { } bytes)
            {
                complete = false;
                continue;
            }
            try
            {
                foreach (var link in BlockLinks.Of(cid, bytes.Span))
                {
                    pending.Push(link);
                }
            }
            catch (Exception e) when (e is MalformedDataException or NotSupportedException)
            {
                complete = false;
            }
        }
        var result = blocks.ToArray();
        if (complete)
        {
            Bound(_payloadBlocks);
            _payloadBlocks[payload] = result;
        }
        return result;
    }

    private static void Bound<TValue>(ConcurrentDictionary<Cid, TValue> cache)
    {
        if (cache.Count >= MaxEntries)
        {
            cache.Clear();
        }
    }
}
