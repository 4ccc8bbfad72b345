// Spec: specs/bundle.md §7 (verification, in order).
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Streams;

/// <summary>
/// A bundle with its signed bytes and CID. Instances exist only after signing or after every
/// check of bundle.md §7 passed, so holding one means the stream key signed exactly
/// <see cref="Bytes"/>.
/// </summary>
public sealed class SignedBundle
{
    private readonly byte[] _bytes;
    private readonly byte[] _signature;

    internal SignedBundle(Bundle bundle, byte[] bytes, ReadOnlyMemory<byte> signature)
    {
        Bundle = bundle;
        _bytes = bytes;
        _signature = signature.ToArray();
        Cid = Cid.Compute(Multicodec.DagCbor, bytes);
    }

    public Bundle Bundle { get; }

    /// <summary>The bundle block: dag-cbor of the signed map.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>CIDv1 dag-cbor sha2-256 of <see cref="Bytes"/>; its binary form is the Merkle leaf.</summary>
    public Cid Cid { get; }

    public ReadOnlyMemory<byte> Signature => _signature;

    /// <summary>SHA-256(0x00 || binary CID): this bundle's leaf hash in the stream's tree (manifest.md §3).</summary>
    public byte[] LeafHash => MerkleTree.HashLeaf(Cid.Bytes);

    /// <summary>
    /// Verifies a received bundle block (bundle.md §7). Malformed bytes throw
    /// <see cref="MalformedDataException"/>; a wrong stream, a bad signature or (with
    /// <paramref name="now"/>) an expired or future bundle throw <see cref="VerificationException"/>.
    /// </summary>
    public static SignedBundle Decode(ReadOnlySpan<byte> bytes, PeerId? expectedStream = null, DateTimeOffset? now = null)
    {
        if (bytes.Length > StreamLimits.MaxBundleBytes)
        {
            throw new LimitExceededException(BundleCodec.Format, "bundle size", StreamLimits.MaxBundleBytes, bytes.Length);
        }
        var (bundle, signature) = BundleCodec.Decode(DagCbor.Decode(bytes));
        if (expectedStream is not null && expectedStream != bundle.Stream)
        {
            throw new VerificationException($"bundle {bundle.Seq} belongs to stream {bundle.Stream}, not {expectedStream}");
        }
        // Decoding admitted only canonical bytes, so re-encoding without 'sig' gives exactly
        // the bytes the publisher signed.
        var unsigned = BundleCodec.EncodeUnsigned(bundle);
        if (!DomainSignature.Verify(StreamFields.StreamKeyOf(bundle.Stream)!, DomainSignature.BundlePrefix, unsigned, signature.Span))
        {
            throw new VerificationException($"bundle {bundle.Seq} of stream {bundle.Stream}: signature does not verify");
        }
        if (now is { } clock)
        {
            if (bundle.IsExpired(clock))
            {
                throw new ExpiredException($"bundle {bundle.Seq}", bundle.Expires, clock);
            }
            if (bundle.Created > clock + StreamLimits.MaxClockSkew)
            {
                throw new VerificationException($"bundle {bundle.Seq} was created at {bundle.Created:O}, after now {clock:O} plus the allowed skew");
            }
        }
        return new SignedBundle(bundle, bytes.ToArray(), signature);
    }

    public override string ToString() => $"bundle {Bundle.Seq} of {Bundle.Stream} ({Cid})";
}
