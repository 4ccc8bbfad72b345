// Spec: specs/manifest.md §6 (which head wins).
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Streams;

/// <summary>
/// Decides whether a verified head may replace the one a follower holds: accepted
/// (<see cref="HeadUpdate.Extended"/>, <see cref="HeadUpdate.Refreshed"/>), ignored with a reason,
/// or rejected with <see cref="ForkDetectedException"/> / <see cref="SealedStreamException"/>.
/// </summary>
public static class TreeHeadSuccession
{
    /// <param name="held">The head the follower holds (verified).</param>
    /// <param name="offered">The head offered to it (verified).</param>
    /// <param name="consistencyProof">
    /// PROOF(held.size, D[offered.size]); only read when the offered head is larger. A failing
    /// proof is evidence of a fork when it was generated from the offered head's verified page
    /// tree (<see cref="StreamManifestReader.ProveConsistencyAsync"/>).
    /// </param>
    public static HeadUpdate Check(SignedTreeHead held, SignedTreeHead offered, IReadOnlyList<byte[]> consistencyProof)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(offered);
        ArgumentNullException.ThrowIfNull(consistencyProof);
        TreeHead a = held.Head, b = offered.Head;
        if (a.Stream != b.Stream)
        {
            throw new VerificationException($"offered head belongs to stream {b.Stream}, not {a.Stream}");
        }
        if (b.Size < a.Size)
        {
            return HeadUpdate.OlderSize;
        }
        if (b.Size == a.Size)
        {
            if (!a.Root.Span.SequenceEqual(b.Root.Span))
            {
                throw new ForkDetectedException(held, offered, "two heads of the same size with different roots");
            }
            if (held.Bytes.Span.SequenceEqual(offered.Bytes.Span))
            {
                return HeadUpdate.Duplicate;
            }
            if (b.Time <= a.Time)
            {
                return HeadUpdate.OlderTime;
            }
            if (a.Sealed && !b.Sealed)
            {
                throw new SealedStreamException(held, offered);
            }
            return HeadUpdate.Refreshed;
        }
        if (a.Sealed)
        {
            throw new SealedStreamException(held, offered);
        }
        if (!MerkleProof.VerifyConsistency(a.Size, a.Root.Span, b.Size, b.Root.Span, consistencyProof))
        {
            throw new ForkDetectedException(held, offered, "the larger head does not extend the held one");
        }
        return b.Time <= a.Time ? HeadUpdate.OlderTime : HeadUpdate.Extended;
    }
}
