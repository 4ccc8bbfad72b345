// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-2-0-wire-format
namespace Overlay.Bitswap.Messages;

/// <summary>
/// One bitswap message: wantlist changes, blocks, block presences and the sender's pending
/// bytes. Immutable once built; <see cref="Decode"/> checks every bound of
/// <see cref="BitswapLimits"/> before allocating, and the encoder writes the form each
/// protocol version understands.
/// </summary>
public sealed partial class BitswapMessage
{
    public IReadOnlyList<BitswapWantlistEntry> Wantlist { get; init; } = [];

    /// <summary>The wantlist replaces everything the receiver had recorded for the sender.</summary>
    public bool FullWantlist { get; init; }

    public IReadOnlyList<BitswapBlock> Blocks { get; init; } = [];

    public IReadOnlyList<BitswapBlockPresence> Presences { get; init; } = [];

    /// <summary>Bytes the sender still has queued for the receiver (1.2.0; informative only).</summary>
    public int PendingBytes { get; init; }

    public bool IsEmpty => Wantlist.Count == 0 && !FullWantlist && Blocks.Count == 0 && Presences.Count == 0;

    public override string ToString() =>
        $"bitswap message: {Wantlist.Count} wantlist entries{(FullWantlist ? " (full)" : "")}, {Blocks.Count} blocks, {Presences.Count} presences";
}
