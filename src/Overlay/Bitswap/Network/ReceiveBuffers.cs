using System.Buffers;
using Overlay.Bitswap.Messages;

namespace Overlay.Bitswap.Network;

/// <summary>
/// The pool bitswap's received messages are read into. Its own pool rather than
/// <see cref="ArrayPool{T}.Shared"/>, whose per-thread and per-core caches each keep arrays of
/// every size: after a burst of peers sending 4 MiB messages it held about 25 MiB that only an
/// idle trim returned. Here at most <see cref="ArraysPerSize"/> arrays of each power-of-two size
/// stay pooled (under 64 MiB in all, about 8 MiB in steady single-peer use), and what a burst
/// needed beyond that is garbage once returned.
/// </summary>
internal static class ReceiveBuffers
{
    /// <summary>A fetch keeps about two messages per stream in hand (one handled, one read); a few peers fit.</summary>
    public const int ArraysPerSize = 4;

    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(BitswapLimits.MaxMessageSize, ArraysPerSize);
}
