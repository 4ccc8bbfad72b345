// Spec: https://specs.ipfs.tech/bitswap-protocol/ (messages are unsigned-varint length-prefixed on the stream)
using System.Buffers;
using System.IO.Pipelines;
using Overlay.Bitswap.Messages;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Protocols;

namespace Overlay.Bitswap.Network;

/// <summary>
/// Reads one length-prefixed bitswap message into a buffer rented from
/// <see cref="ReceiveBuffers"/>, which the caller returns once the message has been handled
/// (decoded blocks slice it, so nothing may keep them past that). Bytes are consumed as they
/// arrive, since a message may be larger than the muxer's window. Unlike the general reader in
/// <c>Overlay.Protocols.LengthPrefixedMessage</c>, which allocates and doubles a fresh buffer from
/// 64 KiB (for a 3 MiB block message: seven arrays, 7 MiB allocated), the buffer jumps to the
/// announced length once an eighth of it has arrived, and comes from the pool: a peer still
/// cannot make us hold more than eight times what it sent, and a steady stream of block
/// messages allocates nothing (fresh multi-MiB arrays cost page faults and full GCs).
/// </summary>
internal static class MessageReader
{
    private const string Format = "bitswap";

    private const int InitialBuffer = 64 * 1024;

    /// <summary>The buffer takes the full announced length once this fraction of it has arrived.</summary>
    private const int FullSizeFraction = 8;

    /// <summary>
    /// The next message (a rented array and the message's length in it), or null when the stream
    /// ended cleanly before one began. The caller returns the array to <see cref="ReceiveBuffers.Pool"/>.
    /// </summary>
    public static async ValueTask<(byte[] Buffer, int Length)?> ReadAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        if (await LengthPrefixedMessage.ReadLengthAsync(reader, BitswapLimits.MaxMessageSize, Format, cancellationToken).ConfigureAwait(false) is not { } total)
        {
            return null;
        }
        var message = ReceiveBuffers.Pool.Rent(Math.Min(total, InitialBuffer));
        var filled = 0;
        try
        {
            while (filled < total)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var available = result.Buffer;
                var take = (int)Math.Min(available.Length, total - filled);
                if (filled + take > message.Length)
                {
                    var grown = ReceiveBuffers.Pool.Rent(filled + take >= total / FullSizeFraction ? total : Math.Max(2 * message.Length, filled + take));
                    message.AsSpan(0, filled).CopyTo(grown);
                    ReceiveBuffers.Pool.Return(message);
                    message = grown;
                }
                available.Slice(0, take).CopyTo(message.AsSpan(filled));
                filled += take;
                reader.AdvanceTo(available.GetPosition(take));
                if (filled < total && result.IsCompleted)
                {
                    throw new MalformedDataException(Format, "stream ended inside a message");
                }
            }
        }
        catch
        {
            ReceiveBuffers.Pool.Return(message);
            throw;
        }
        return (message, total);
    }
}
