// Spec: specs/manifest.md §4.3 (publishing) and §2 (signing heads).
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Streams;

/// <summary>
/// The publisher's side of a stream manifest: appends signed bundles in <c>seq</c> order, keeps
/// the Merkle tree, writes the page tree and signed heads into an <see cref="IBlockStore"/>.
/// Full page-tree nodes never change, so they are written once; each head rewrites only the
/// right edge. Not thread-safe: one publisher loop owns it.
/// </summary>
public sealed class StreamManifestBuilder
{
    /// <summary>Lifetime of an unsealed head when not told otherwise: a live head is refreshed long before.</summary>
    public static readonly TimeSpan DefaultHeadLifetime = TimeSpan.FromHours(24);

    /// <summary>Lifetime of a sealed head when not told otherwise: the vod bundle default.</summary>
    public static readonly TimeSpan DefaultSealedHeadLifetime = PriorityClass.Vod.DefaultLifetime();

    private readonly Ed25519PrivateKey _key;
    private readonly IBlockStore _store;
    private readonly List<Cid> _leaves = [];
    private readonly List<byte[]> _leafHashes = [];
    private readonly MerkleTree _tree = new();
    private readonly Dictionary<(int Height, long Start), PageTreeEntry> _fullNodes = [];

    public StreamManifestBuilder(Ed25519PrivateKey key, IBlockStore store)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(store);
        _key = key;
        _store = store;
        Stream = key.PeerId;
    }

    public PeerId Stream { get; }

    public long Size => _tree.Size;

    /// <summary>MTH of the bundles appended so far.</summary>
    public byte[] Root => _tree.Root;

    public IReadOnlyList<Cid> Leaves => _leaves;

    public SignedTreeHead? LastHead { get; private set; }

    public bool Sealed => LastHead?.Head.Sealed == true;

    /// <summary>Title, poster and renditions signed into the next head.</summary>
    public StreamMetadata Metadata { get; set; } = StreamMetadata.Empty;

    /// <summary>
    /// Continues a stream from its last head: reads and verifies the page tree from
    /// <paramref name="store"/> and restores the leaves and metadata.
    /// </summary>
    public static async ValueTask<StreamManifestBuilder> ResumeAsync(
        Ed25519PrivateKey key, IBlockStore store, SignedTreeHead head, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(head);
        var builder = new StreamManifestBuilder(key, store);
        if (head.Head.Stream != builder.Stream)
        {
            throw new ArgumentException("the head belongs to another stream key", nameof(head));
        }
        var reader = new StreamManifestReader(store, head);
        foreach (var cid in await reader.GetLeavesAsync(0, head.Head.Size, cancellationToken).ConfigureAwait(false))
        {
            builder.AppendLeaf(cid);
        }
        builder.LastHead = head;
        builder.Metadata = head.Head.Metadata;
        return builder;
    }

    /// <summary>Appends the next bundle (its <c>seq</c> must be <see cref="Size"/>) and stores its block.</summary>
    public async ValueTask AppendAsync(SignedBundle bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (Sealed)
        {
            throw new InvalidOperationException("the stream is sealed; nothing can be appended");
        }
        if (bundle.Bundle.Stream != Stream)
        {
            throw new ArgumentException("the bundle belongs to another stream", nameof(bundle));
        }
        if (bundle.Bundle.Seq != Size)
        {
            throw new ArgumentException($"the next bundle must have seq {Size}, not {bundle.Bundle.Seq}", nameof(bundle));
        }
        await _store.PutAsync(bundle.Cid, bundle.Bytes, cancellationToken).ConfigureAwait(false);
        AppendLeaf(bundle.Cid);
    }

    /// <summary>
    /// Writes the page tree for the current leaves, signs a head at <paramref name="time"/> (which
    /// must be later than the last head's), stores the head block and returns it. Sealing makes it
    /// final; a sealed stream can only be re-signed sealed (a refresh of the same tree).
    /// </summary>
    public async ValueTask<SignedTreeHead> SignHeadAsync(
        DateTimeOffset time, TimeSpan? lifetime = null, bool seal = false, CancellationToken cancellationToken = default)
    {
        if (Size == 0)
        {
            throw new InvalidOperationException("a head needs at least one bundle");
        }
        if (Sealed && !seal)
        {
            throw new InvalidOperationException("the stream is sealed; its heads stay sealed");
        }
        if (LastHead is not null && StreamFields.TruncateToMilliseconds(time) <= LastHead.Head.Time)
        {
            throw new InvalidOperationException($"head time {time:O} is not after the last head's {LastHead.Head.Time:O}");
        }
        var root = await BuildAsync(PageTree.HeightOf(Size), 0, Size, cancellationToken).ConfigureAwait(false);
        if (!root.Hash.AsSpan().SequenceEqual(_tree.Root))
        {
            throw new InvalidOperationException("page tree and Merkle tree disagree (a bug in the builder)");
        }
        var head = new TreeHead
        {
            Stream = Stream,
            Size = Size,
            Root = root.Hash,
            Leaves = root.Link,
            Time = time,
            Expires = time + (lifetime ?? (seal ? DefaultSealedHeadLifetime : DefaultHeadLifetime)),
            Sealed = seal,
            Metadata = Metadata,
        };
        var signed = head.Sign(_key);
        await _store.PutAsync(signed.Cid, signed.Bytes, cancellationToken).ConfigureAwait(false);
        LastHead = signed;
        return signed;
    }

    /// <summary>PATH(seq, D[0:size]) over the appended leaves.</summary>
    public IReadOnlyList<byte[]> ProveInclusion(long seq, long size) => MerkleProof.Inclusion(_leafHashes, seq, size);

    /// <summary>PROOF(first, D[0:second]) over the appended leaves.</summary>
    public IReadOnlyList<byte[]> ProveConsistency(long first, long second) => MerkleProof.Consistency(_leafHashes, first, second);

    /// <summary>Appends a leaf by CID alone; for resuming from verified leaves and for layout tests.</summary>
    internal void AppendLeaf(Cid cid)
    {
        var hash = MerkleTree.HashLeaf(cid.Bytes);
        _leaves.Add(cid);
        _leafHashes.Add(hash);
        _tree.Append(hash);
    }

    private async ValueTask<PageTreeEntry> BuildAsync(int height, long start, long count, CancellationToken cancellationToken)
    {
        var full = count == PageTree.Capacity(height);
        if (full && _fullNodes.TryGetValue((height, start), out var cached))
        {
            return cached;
        }
        byte[] bytes, hash;
        if (height == 0)
        {
            bytes = PageTree.EncodePage(_leaves.Skip((int)start).Take((int)count));
            hash = PageTree.NodeHash(_leafHashes.GetRange((int)start, (int)count));
        }
        else
        {
            var span = PageTree.ChildSpan(height);
            var entries = new List<PageTreeEntry>();
            for (long childStart = start; childStart < start + count; childStart += span)
            {
                entries.Add(await BuildAsync(height - 1, childStart, Math.Min(span, start + count - childStart), cancellationToken).ConfigureAwait(false));
            }
            bytes = PageTree.EncodeIndex(entries);
            hash = PageTree.NodeHash(entries.Select(e => e.Hash).ToArray());
        }
        var entry = new PageTreeEntry(Cid.Compute(Multicodec.DagCbor, bytes), hash);
        await _store.PutAsync(entry.Link, bytes, cancellationToken).ConfigureAwait(false);
        if (full)
        {
            _fullNodes[(height, start)] = entry;
        }
        return entry;
    }
}
