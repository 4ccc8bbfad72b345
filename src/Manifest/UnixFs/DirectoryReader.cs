// Spec: https://specs.ipfs.tech/unixfs/#dag-pb-directory and #dag-pb-hamtdirectory
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.UnixFs;

/// <summary>Lists and searches flat and HAMT-sharded directories.</summary>
internal static class DirectoryReader
{
    public static async IAsyncEnumerable<UnixFsDirectoryEntry> ListAsync(IBlockStore store, UnixFsNode directory, UnixFsReaderOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (directory.Type == UnixFsType.Directory)
        {
            foreach (var link in directory.Pb!.Links)
            {
                var name = EntryName(directory, link.Name);
                // Duplicate names: the spec's robustness rule keeps the first and ignores the rest.
                if (seen.Add(name))
                {
                    yield return new UnixFsDirectoryEntry(name, link.Hash, link.Tsize ?? 0);
                }
            }
            yield break;
        }
        var shape = Shape.Of(directory);
        var visited = new HashSet<Cid> { directory.Cid };
        await foreach (var entry in ListShardAsync(store, directory, shape, 0, visited, options, cancellationToken).ConfigureAwait(false))
        {
            if (seen.Add(entry.Name))
            {
                yield return entry;
            }
        }
    }

    /// <summary>The CID of entry <paramref name="name"/>, or null when the directory has none.</summary>
    public static async Task<Cid?> FindAsync(IBlockStore store, UnixFsNode directory, string name, UnixFsReaderOptions options, CancellationToken cancellationToken)
    {
        if (directory.Type == UnixFsType.Directory)
        {
            return directory.Pb!.Links.FirstOrDefault(l => l.Name == name)?.Hash;
        }
        var shape = Shape.Of(directory);
        var hash = new HamtHash(name);
        var shard = directory;
        for (var depth = 0; ; depth++)
        {
            var prefix = hash.IndexAt(depth, shape.Bits).ToString("X" + shape.Width, CultureInfo.InvariantCulture);
            var subShard = shard.Pb!.Links.FirstOrDefault(l => l.Name == prefix);
            if (subShard is null)
            {
                return shard.Pb.Links.FirstOrDefault(l => l.Name == prefix + name)?.Hash;
            }
            if (depth + 1 > options.MaxDepth)
            {
                throw new LimitExceededException(UnixFsData.FormatName, "HAMT depth", options.MaxDepth, depth + 1);
            }
            shard = await LoadSubShardAsync(store, subShard.Hash, shape, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <param name="visited">Shards already listed. A valid HAMT links each shard once (its entries
    /// hash to one bucket), so a repeat could only repeat entries; following it anyway would let
    /// a few hostile blocks that all link one shard cost fanout^depth fetches.</param>
    private static async IAsyncEnumerable<UnixFsDirectoryEntry> ListShardAsync(IBlockStore store, UnixFsNode shard, Shape shape, int depth, HashSet<Cid> visited, UnixFsReaderOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var link in shard.Pb!.Links)
        {
            var label = link.Name ?? "";
            if (label.Length < shape.Width || !int.TryParse(label.AsSpan(0, shape.Width), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var index)
                || index >= shape.Fanout || label.AsSpan(0, shape.Width).ContainsAnyInRange('a', 'f'))
            {
                throw new MalformedDataException(UnixFsData.FormatName, $"{shard.Cid}: HAMT link '{label}' lacks an upper-case bucket prefix");
            }
            if (label.Length > shape.Width)
            {
                yield return new UnixFsDirectoryEntry(label[shape.Width..], link.Hash, link.Tsize ?? 0);
                continue;
            }
            if (!visited.Add(link.Hash))
            {
                continue;
            }
            if (depth + 1 > options.MaxDepth)
            {
                throw new LimitExceededException(UnixFsData.FormatName, "HAMT depth", options.MaxDepth, depth + 1);
            }
            var child = await LoadSubShardAsync(store, link.Hash, shape, cancellationToken).ConfigureAwait(false);
            await foreach (var entry in ListShardAsync(store, child, shape, depth + 1, visited, options, cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
            }
        }
    }

    private static async Task<UnixFsNode> LoadSubShardAsync(IBlockStore store, Cid cid, Shape shape, CancellationToken cancellationToken)
    {
        var node = await UnixFsNode.LoadAsync(store, cid, cancellationToken).ConfigureAwait(false);
        if (node.Type != UnixFsType.HamtShard || Shape.Of(node) != shape)
        {
            throw new MalformedDataException(UnixFsData.FormatName, $"{cid}: sub-shard is not a HAMT shard of the same shape");
        }
        return node;
    }

    private static string EntryName(UnixFsNode directory, string? name) =>
        string.IsNullOrEmpty(name)
            ? throw new MalformedDataException(UnixFsData.FormatName, $"{directory.Cid}: directory link without a name")
            : name;

    private readonly record struct Shape(int Fanout, int Bits, int Width)
    {
        public static Shape Of(UnixFsNode shard)
        {
            var data = shard.Data!;
            if (data.HashType != Murmur3.HashType)
            {
                throw new MalformedDataException(UnixFsData.FormatName, $"{shard.Cid}: HAMT hash type {data.HashType} is not murmur3-x64-64");
            }
            // The spec: a power of two, a multiple of 8 (whole bitfield bytes), at most 1024.
            if (data.Fanout is not { } fanout || fanout < 8 || fanout > UnixFsData.MaxFanout || !BitOperations.IsPow2(fanout))
            {
                throw new MalformedDataException(UnixFsData.FormatName, $"{shard.Cid}: HAMT fanout {data.Fanout} is not a power of two in 8..1024");
            }
            var width = (fanout - 1).ToString("X", CultureInfo.InvariantCulture).Length;
            return new Shape((int)fanout, BitOperations.Log2(fanout), width);
        }
    }
}
