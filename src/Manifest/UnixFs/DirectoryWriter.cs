// Spec: https://specs.ipfs.tech/unixfs/#dag-pb-directory and #dag-pb-hamtdirectory;
// threshold: https://specs.ipfs.tech/ipips/ipip-0499/ (256 KiB, block-bytes, '>').
using System.Numerics;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.DagPb;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.UnixFs;

/// <summary>
/// Writes one directory level over imported children. A flat Directory node when its encoded
/// size stays within the threshold; otherwise a HAMT laid out as go-unixfs and Helia lay it
/// out: bucket index = the next log2(fanout) bits of the name's murmur3 hash, a bucket with
/// one entry holds a link named "XX" + name, a bucket with more holds a sub-shard named "XX",
/// Data = the occupied-bucket bitfield as a minimal big-endian integer.
/// </summary>
internal static class DirectoryWriter
{
    /// <summary>Sub-shard levels allowed: 64 levels of 8 bits is 512 bits of hash, far past any real collision.</summary>
    private const int MaxShardDepth = 64;

    private static readonly byte[] DirectoryData = new UnixFsData { Type = UnixFsType.Directory }.Encode();

    public static async Task<UnixFsImportResult> WriteAsync(IBlockStore store, IReadOnlyList<UnixFsDirectoryEntry> entries, UnixFsImportOptions options, CancellationToken cancellationToken)
    {
        var flat = DagPbNode.CreateSorted(entries.Select(e => new DagPbLink(e.Cid, e.Name, e.DagSize)), DirectoryData);
        if (DagPb.DagPb.EncodedLength(flat) <= options.ShardThresholdBytes)
        {
            return await PutAsync(store, flat, entries.Select(e => e.DagSize), cancellationToken).ConfigureAwait(false);
        }
        var fanout = UnixFsImportOptions.ProfileShardFanout;
        var root = new Bucket();
        foreach (var entry in entries)
        {
            Insert(root, new Leaf(entry, new HamtHash(entry.Name)), depth: 0, BitsOf(fanout));
        }
        return await WriteShardAsync(store, root, fanout, cancellationToken).ConfigureAwait(false);
    }

    private sealed record Leaf(UnixFsDirectoryEntry Entry, HamtHash Hash);

    private sealed class Bucket
    {
        public SortedDictionary<int, object> Children { get; } = [];
    }

    private static int BitsOf(int fanout) => BitOperations.Log2((uint)fanout);

    private static void Insert(Bucket bucket, Leaf leaf, int depth, int bits)
    {
        if (depth > MaxShardDepth)
        {
            throw new InvalidOperationException($"'{leaf.Entry.Name}' collides with another name for {depth * bits} hash bits");
        }
        var index = leaf.Hash.IndexAt(depth, bits);
        if (!bucket.Children.TryGetValue(index, out var existing))
        {
            bucket.Children[index] = leaf;
            return;
        }
        if (existing is Bucket child)
        {
            Insert(child, leaf, depth + 1, bits);
            return;
        }
        // Two names share this bucket: both move one level down into a new sub-shard.
        var shard = new Bucket();
        bucket.Children[index] = shard;
        Insert(shard, (Leaf)existing, depth + 1, bits);
        Insert(shard, leaf, depth + 1, bits);
    }

    private static async Task<UnixFsImportResult> WriteShardAsync(IBlockStore store, Bucket bucket, int fanout, CancellationToken cancellationToken)
    {
        var width = (fanout - 1).ToString("X").Length;
        var links = new List<DagPbLink>(bucket.Children.Count);
        var childSizes = new List<ulong>(bucket.Children.Count);
        var bitfield = BigInteger.Zero;
        foreach (var (index, child) in bucket.Children)
        {
            bitfield |= BigInteger.One << index;
            var prefix = index.ToString("X" + width, System.Globalization.CultureInfo.InvariantCulture);
            if (child is Bucket shard)
            {
                var written = await WriteShardAsync(store, shard, fanout, cancellationToken).ConfigureAwait(false);
                links.Add(new DagPbLink(written.Cid, prefix, written.DagSize));
                childSizes.Add(written.DagSize);
            }
            else
            {
                var entry = ((Leaf)child).Entry;
                links.Add(new DagPbLink(entry.Cid, prefix + entry.Name, entry.DagSize));
                childSizes.Add(entry.DagSize);
            }
        }
        var data = new UnixFsData
        {
            Type = UnixFsType.HamtShard,
            Data = bitfield.ToByteArray(isUnsigned: true, isBigEndian: true),
            HashType = Murmur3.HashType,
            Fanout = (ulong)fanout,
        }.Encode();
        return await PutAsync(store, DagPbNode.CreateSorted(links, data), childSizes, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<UnixFsImportResult> PutAsync(IBlockStore store, DagPbNode node, IEnumerable<ulong> childSizes, CancellationToken cancellationToken)
    {
        var block = DagPb.DagPb.Encode(node);
        var cid = Cid.Compute(Multicodec.DagPb, block);
        await store.PutAsync(cid, block, cancellationToken).ConfigureAwait(false);
        var dagSize = (ulong)block.Length;
        foreach (var size in childSizes)
        {
            dagSize += size;
        }
        return new UnixFsImportResult(cid, 0, dagSize);
    }
}
