using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Streams;

/// <summary>
/// Two signed heads of one stream that cannot both be true: equal sizes with different roots,
/// or a larger head that does not extend the held one (specs/manifest.md §6). The two heads are
/// the evidence of the publisher's misbehaviour; keep them.
/// </summary>
public sealed class ForkDetectedException : VerificationException
{
    public ForkDetectedException(SignedTreeHead held, SignedTreeHead conflicting, string reason)
        : base($"fork in stream {held.Head.Stream}: {reason} (held size {held.Head.Size}, offered size {conflicting.Head.Size})")
    {
        Held = held;
        Conflicting = conflicting;
    }

    public SignedTreeHead Held { get; }
    public SignedTreeHead Conflicting { get; }
}
