// Spec: specs/bundle.md §3 (fields and rules).
using System.Text.RegularExpressions;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Streams;

/// <summary>
/// The record of one HLS segment or initialization section of a stream, before or after
/// signing (specs/bundle.md). Immutable; times are kept to whole milliseconds and the duration
/// to whole microseconds, exactly what the wire carries. <see cref="Sign"/> checks every rule.
/// </summary>
public sealed partial record Bundle
{
    /// <summary>The stream key's peer ID (an inline Ed25519 key).</summary>
    public required PeerId Stream { get; init; }

    /// <summary>Leaf index of this bundle in the stream's Merkle tree.</summary>
    public required long Seq { get; init; }

    public required PriorityClass Class { get; init; }

    public required DateTimeOffset Created { get; init => field = StreamFields.TruncateToMilliseconds(value); }

    /// <summary>End of life (exclusive); at most <see cref="PriorityClassExtensions.MaxLifetime"/> after <see cref="Created"/>.</summary>
    public required DateTimeOffset Expires { get; init => field = StreamFields.TruncateToMilliseconds(value); }

    public BundleKind Kind { get; init; } = BundleKind.Media;

    /// <summary>The payload's media type, e.g. <c>video/mp2t</c>, <c>video/mp4</c>, <c>audio/aac</c>.</summary>
    public required string MediaType { get; init; }

    /// <summary>Rendition id; empty for a single-rendition stream.</summary>
    public string Rendition { get; init; } = "";

    /// <summary>Root CID of the segment bytes (a UnixFS file: raw or dag-pb, sha2-256).</summary>
    public required Cid Payload { get; init; }

    /// <summary>Byte length of the segment.</summary>
    public required long Size { get; init; }

    /// <summary><c>EXTINF</c> duration, whole microseconds; zero for an init bundle.</summary>
    public TimeSpan Duration { get; init => field = TimeSpan.FromTicks(value.Ticks - value.Ticks % TimeSpan.TicksPerMicrosecond); }

    /// <summary>Media sequence number within the rendition (RFC 8216 §4.3.3.2).</summary>
    public long MediaSequence { get; init; }

    /// <summary>Discontinuity sequence number (RFC 8216 §4.3.3.3).</summary>
    public long DiscontinuitySequence { get; init; }

    /// <summary>An <c>EXT-X-DISCONTINUITY</c> precedes this segment.</summary>
    public bool Discontinuity { get; init; }

    /// <summary><see cref="Seq"/> of the init bundle this segment needs (<c>EXT-X-MAP</c>), or null.</summary>
    public long? InitSeq { get; init; }

    public TimeSpan Lifetime => Expires - Created;

    /// <summary>True once <paramref name="now"/> reaches <see cref="Expires"/>: reap, never serve.</summary>
    public bool IsExpired(DateTimeOffset now) => now >= Expires;

    /// <summary>Signs with the stream key; throws <see cref="ArgumentException"/> when a field breaks a rule.</summary>
    public SignedBundle Sign(Ed25519PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Problem() is { } problem)
        {
            throw new ArgumentException($"bundle is invalid: {problem}");
        }
        if (key.PeerId != Stream)
        {
            throw new ArgumentException("the key is not this bundle's stream key", nameof(key));
        }
        var unsigned = BundleCodec.EncodeUnsigned(this);
        var signature = DomainSignature.Sign(key, DomainSignature.BundlePrefix, unsigned);
        return new SignedBundle(this, BundleCodec.EncodeSigned(this, signature), signature);
    }

    /// <summary>The first rule of bundle.md §3 this bundle breaks, or null. Shared by signing and decoding.</summary>
    internal string? Problem()
    {
        if (Stream is null || StreamFields.StreamKeyOf(Stream) is null)
        {
            return "stream must be an inline Ed25519 peer ID";
        }
        if (Seq is < 0 or > StreamLimits.MaxSafeInteger)
        {
            return $"seq {Seq} is outside 0..2^53-1";
        }
        if (!Enum.IsDefined(Class) || !Enum.IsDefined(Kind))
        {
            return "unknown class or kind";
        }
        if (!StreamFields.InTimeRange(Created) || !StreamFields.InTimeRange(Expires))
        {
            return "created and expires must be between 1970 and 9999";
        }
        if (Expires <= Created || Lifetime > Class.MaxLifetime())
        {
            return $"lifetime {Lifetime} must be positive and at most {Class.MaxLifetime()} for class {Class.WireName()}";
        }
        if (MediaType is null || MediaType.Length > StreamLimits.MaxMediaTypeBytes || !MediaTypePattern().IsMatch(MediaType))
        {
            return $"media type '{MediaType}' is not a lower-case type/subtype";
        }
        if (Rendition is null || !StreamFields.IsRenditionId(Rendition, allowEmpty: true))
        {
            return $"rendition '{Rendition}' must be 0..32 characters of [A-Za-z0-9._-]";
        }
        if (Payload is null || !StreamFields.IsContentLink(Payload))
        {
            return "payload must be a CIDv1 raw or dag-pb sha2-256 link";
        }
        if (Size is < 1 or > StreamLimits.MaxSafeInteger)
        {
            return $"size {Size} is outside 1..2^53-1";
        }
        if (MediaSequence is < 0 or > StreamLimits.MaxSafeInteger || DiscontinuitySequence is < 0 or > StreamLimits.MaxSafeInteger)
        {
            return "msn and dseq must be in 0..2^53-1";
        }
        return Kind == BundleKind.Init ? InitProblem() : MediaProblem();
    }

    private string? InitProblem() =>
        Duration != TimeSpan.Zero || MediaSequence != 0 || DiscontinuitySequence != 0 || Discontinuity || InitSeq is not null
            ? "an init bundle has dur 0, msn 0, dseq 0, disc false and init null"
            : null;

    private string? MediaProblem()
    {
        if (Duration <= TimeSpan.Zero || Duration > StreamLimits.MaxSegmentDuration)
        {
            return $"duration {Duration} must be in 1 µs..1 h";
        }
        if (InitSeq is { } init && (init < 0 || init >= Seq))
        {
            return $"init {init} must name an earlier bundle than seq {Seq}";
        }
        return null;
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex MediaTypePattern();
}
