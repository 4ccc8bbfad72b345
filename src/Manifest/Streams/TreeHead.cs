// Spec: specs/manifest.md §2 (signed tree head fields).
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Streams;

/// <summary>
/// The publisher's statement "stream S has these <see cref="Size"/> bundles, whose Merkle root is
/// <see cref="Root"/>, stored under <see cref="Leaves"/>", with the stream's metadata
/// (specs/manifest.md §2). Immutable; times are whole milliseconds.
/// </summary>
public sealed record TreeHead
{
    private readonly byte[] _root = [];

    public required PeerId Stream { get; init; }

    /// <summary>Number of leaves (bundles), at least 1.</summary>
    public required long Size { get; init; }

    /// <summary>MTH of the <see cref="Size"/> bundle CIDs (32 bytes).</summary>
    public required ReadOnlyMemory<byte> Root { get => _root; init => _root = value.ToArray(); }

    /// <summary>CID of the page tree's root node (manifest.md §4).</summary>
    public required Cid Leaves { get; init; }

    public required DateTimeOffset Time { get; init => field = StreamFields.TruncateToMilliseconds(value); }

    public required DateTimeOffset Expires { get; init => field = StreamFields.TruncateToMilliseconds(value); }

    /// <summary>Final: no head may extend this stream (VOD).</summary>
    public bool Sealed { get; init; }

    public StreamMetadata Metadata { get; init; } = StreamMetadata.Empty;

    public bool IsExpired(DateTimeOffset now) => now >= Expires;

    /// <summary>Signs with the stream key; throws <see cref="ArgumentException"/> when a field breaks a rule.</summary>
    public SignedTreeHead Sign(Ed25519PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Problem() is { } problem)
        {
            throw new ArgumentException($"tree head is invalid: {problem}");
        }
        if (key.PeerId != Stream)
        {
            throw new ArgumentException("the key is not this head's stream key", nameof(key));
        }
        var unsigned = TreeHeadCodec.EncodeUnsigned(this);
        var signature = DomainSignature.Sign(key, DomainSignature.TreeHeadPrefix, unsigned);
        return new SignedTreeHead(this, TreeHeadCodec.EncodeSigned(this, signature), signature);
    }

    public bool Equals(TreeHead? other) =>
        other is not null && Stream == other.Stream && Size == other.Size && _root.AsSpan().SequenceEqual(other._root)
        && Leaves == other.Leaves && Time == other.Time && Expires == other.Expires && Sealed == other.Sealed
        && Metadata.Equals(other.Metadata);

    public override int GetHashCode() => HashCode.Combine(Stream, Size, Leaves, Time);

    /// <summary>The first rule of manifest.md §2 this head breaks, or null.</summary>
    internal string? Problem()
    {
        if (Stream is null || StreamFields.StreamKeyOf(Stream) is null)
        {
            return "stream must be an inline Ed25519 peer ID";
        }
        if (Size is < 1 or > StreamLimits.MaxSafeInteger)
        {
            return $"size {Size} is outside 1..2^53-1";
        }
        if (_root.Length != MerkleTree.HashLength)
        {
            return "root must be 32 bytes";
        }
        if (Leaves is null || !StreamFields.IsDagCborLink(Leaves))
        {
            return "leaves must be a CIDv1 dag-cbor sha2-256 link";
        }
        if (!StreamFields.InTimeRange(Time) || !StreamFields.InTimeRange(Expires))
        {
            return "time and expires must be between 1970 and 9999";
        }
        if (Expires <= Time || Expires - Time > StreamLimits.MaxHeadLifetime)
        {
            return $"lifetime {Expires - Time} must be positive and at most {StreamLimits.MaxHeadLifetime.TotalDays} days";
        }
        return Metadata is null ? "metadata is required" : Metadata.Problem();
    }
}
