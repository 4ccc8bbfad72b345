namespace Overlay.Manifest.Streams;

/// <summary>
/// The leaves [<see cref="Start"/>, <see cref="End"/>) of a tree; a proof entry is MTH of one such
/// range. Proof generation is expressed as ranges so that the in-memory prover and the block
/// reader (which looks subtree hashes up in the page tree) share one definition.
/// </summary>
public readonly record struct LeafRange(long Start, long End)
{
    public long Count => End - Start;

    public override string ToString() => $"[{Start}, {End})";
}
