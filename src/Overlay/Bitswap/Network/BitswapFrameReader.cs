// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-0-0-protocol-format (unsigned-varint length, then the message)
using System.Buffers;
using System.IO.Pipelines;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Network;

/// <summary>
/// Reads one length-prefixed message from a stream. The length is checked against the limit
/// before anything is allocated; then the bytes are copied into one array of exactly that size
/// as they arrive and consumed at once, so a message larger than the muxer's receive window
/// (which only reopens as the reader consumes) still flows.
/// </summary>
internal static class BitswapFrameReader
{
    private const string Format = "bitswap";

    /// <summary>The next message, or null when the stream ended cleanly before one began.</summary>
    public static async ValueTask<byte[]?> ReadAsync(PipeReader reader, int maxLength, CancellationToken cancellationToken)
    {
        int length;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadLength(buffer, maxLength, out length, out var prefixLength))
            {
                reader.AdvanceTo(buffer.GetPosition(prefixLength));
                break;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                if (buffer.IsEmpty)
                {
                    return null;
                }
                throw new MalformedDataException(Format, "stream ended inside a message length");
            }
        }
        var message = GC.AllocateUninitializedArray<byte>(length);
        var filled = 0;
        while (filled < length)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var take = (int)Math.Min(buffer.Length, length - filled);
            buffer.Slice(0, take).CopyTo(message.AsSpan(filled));
            filled += take;
            reader.AdvanceTo(buffer.GetPosition(take));
            if (filled < length && result.IsCompleted)
            {
                throw new MalformedDataException(Format, $"stream ended after {filled} of a {length}-byte message");
            }
        }
        return message;
    }

    private static bool TryReadLength(ReadOnlySequence<byte> buffer, int maxLength, out int length, out int prefixLength)
    {
        Span<byte> prefix = stackalloc byte[Varint.MaxLength];
        var available = (int)Math.Min(buffer.Length, Varint.MaxLength);
        buffer.Slice(0, available).CopyTo(prefix);
        ulong value;
        try
        {
            if (!Varint.TryRead(prefix[..available], out value, out prefixLength))
            {
                length = 0;
                return false;
            }
        }
        catch (MalformedDataException e)
        {
            throw new MalformedDataException(Format, $"message length: {e.Message}", e);
        }
        if (value > (ulong)maxLength)
        {
            throw new LimitExceededException(Format, "message size", maxLength, value > long.MaxValue ? long.MaxValue : (long)value);
        }
        length = (int)value;
        return true;
    }
}
