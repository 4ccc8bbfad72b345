// Spec: specs/manifest.md §2.3 (verification, in order) and §5.1 (a bundle in a head).
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Streams;

/// <summary>
/// A tree head with its signed bytes and CID. Instances exist only after signing or after every
/// check of manifest.md §2.3 passed. Whether it may replace a head a follower already holds is
/// <see cref="TreeHeadSuccession"/>'s question.
/// </summary>
public sealed class SignedTreeHead
{
    private readonly byte[] _bytes;
    private readonly byte[] _signature;

    internal SignedTreeHead(TreeHead head, byte[] bytes, ReadOnlyMemory<byte> signature)
    {
        Head = head;
        _bytes = bytes;
        _signature = signature.ToArray();
        Cid = Cid.Compute(Multicodec.DagCbor, bytes);
    }

    public TreeHead Head { get; }

    /// <summary>The head block: dag-cbor of the signed map.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>CIDv1 dag-cbor sha2-256 of <see cref="Bytes"/> (what the stream's IPNS record points at).</summary>
    public Cid Cid { get; }

    public ReadOnlyMemory<byte> Signature => _signature;

    /// <summary>
    /// Verifies a received head block (manifest.md §2.3). Malformed bytes throw
    /// <see cref="MalformedDataException"/>; a wrong stream, a bad signature or (with
    /// <paramref name="now"/>) an expired or future head throw <see cref="VerificationException"/>.
    /// </summary>
    public static SignedTreeHead Decode(ReadOnlySpan<byte> bytes, PeerId? expectedStream = null, DateTimeOffset? now = null)
    {
        if (bytes.Length > StreamLimits.MaxHeadBytes)
        {
            throw new LimitExceededException(TreeHeadCodec.Format, "tree head size", StreamLimits.MaxHeadBytes, bytes.Length);
        }
        var (head, signature) = TreeHeadCodec.Decode(DagCbor.Decode(bytes));
        if (expectedStream is not null && expectedStream != head.Stream)
        {
            throw new VerificationException($"tree head belongs to stream {head.Stream}, not {expectedStream}");
        }
        var unsigned = TreeHeadCodec.EncodeUnsigned(head);
        if (!DomainSignature.Verify(StreamFields.StreamKeyOf(head.Stream)!, DomainSignature.TreeHeadPrefix, unsigned, signature.Span))
        {
            throw new VerificationException($"tree head of stream {head.Stream} at size {head.Size}: signature does not verify");
        }
        if (now is { } clock)
        {
            if (head.IsExpired(clock))
            {
                throw new ExpiredException($"tree head of size {head.Size}", head.Expires, clock);
            }
            if (head.Time > clock + StreamLimits.MaxClockSkew)
            {
                throw new VerificationException($"tree head was signed at {head.Time:O}, after now {clock:O} plus the allowed skew");
            }
        }
        return new SignedTreeHead(head, bytes.ToArray(), signature);
    }

    /// <summary>
    /// manifest.md §5.1: throws <see cref="VerificationException"/> unless <paramref name="bundle"/>
    /// is leaf <c>seq</c> of this head, shown by the RFC 9162 inclusion proof <paramref name="proof"/>.
    /// </summary>
    public void VerifyInclusion(SignedBundle bundle, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(proof);
        var seq = bundle.Bundle.Seq;
        if (bundle.Bundle.Stream != Head.Stream)
        {
            throw new VerificationException($"bundle {seq} belongs to stream {bundle.Bundle.Stream}, not {Head.Stream}");
        }
        if (seq >= Head.Size)
        {
            throw new VerificationException($"bundle {seq} is past the head's size {Head.Size}");
        }
        if (!MerkleProof.VerifyInclusion(bundle.LeafHash, seq, Head.Size, proof, Head.Root.Span))
        {
            throw new VerificationException($"bundle {seq} ({bundle.Cid}) is not leaf {seq} of the head of size {Head.Size}");
        }
    }

    public override string ToString() => $"tree head of {Head.Stream} at size {Head.Size} ({Cid})";
}
