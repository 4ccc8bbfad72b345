using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Streams;

/// <summary>A signed head that extends or reopens a stream whose held head is sealed (specs/manifest.md §6).</summary>
public sealed class SealedStreamException : VerificationException
{
    public SealedStreamException(SignedTreeHead held, SignedTreeHead offered)
        : base($"stream {held.Head.Stream} was sealed at size {held.Head.Size}; a head of size {offered.Head.Size} (sealed: {offered.Head.Sealed}) cannot follow it")
    {
        Held = held;
        Offered = offered;
    }

    public SignedTreeHead Held { get; }
    public SignedTreeHead Offered { get; }
}
