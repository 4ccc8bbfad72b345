// The framing most libp2p protocols use: unsigned-varint length, then the message.
using System.Buffers;
using System.IO.Pipelines;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Protocols;

/// <summary>Reads and writes varint-length-prefixed messages on pipes, refusing lengths past a caller's limit.</summary>
public static class LengthPrefixedMessage
{
    public static void Write(PipeWriter writer, ReadOnlySpan<byte> message)
    {
        var span = writer.GetSpan(Varint.MaxLength + message.Length);
        var offset = Varint.Write((ulong)message.Length, span);
        message.CopyTo(span[offset..]);
        writer.Advance(offset + message.Length);
    }

    /// <summary>Messages are copied out as they arrive in slices of at most this much at first.</summary>
    private const int InitialBuffer = 64 * 1024;

    /// <summary>
    /// The next message, or null when the stream ended cleanly before one began. Bytes are consumed
    /// as they arrive: waiting for a whole message in the pipe would stall any message larger than
    /// the muxer's receive window, which reopens only as the reader consumes. The copy buffer grows
    /// with the bytes actually received, so a peer announcing a large message and sending little
    /// costs little.
    /// </summary>
    public static async ValueTask<byte[]?> ReadAsync(PipeReader reader, int maxLength, string format, CancellationToken cancellationToken)
    {
        var length = await ReadLengthAsync(reader, maxLength, format, cancellationToken).ConfigureAwait(false);
        if (length is not { } total)
        {
            return null;
        }
        var message = new byte[Math.Min(total, InitialBuffer)];
        var filled = 0;
        while (filled < total)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var available = result.Buffer;
            var take = (int)Math.Min(available.Length, total - filled);
            if (filled + take > message.Length)
            {
                Array.Resize(ref message, (int)Math.Min(total, Math.Max((long)message.Length * 2, filled + take)));
            }
            available.Slice(0, take).CopyTo(message.AsSpan(filled));
            filled += take;
            reader.AdvanceTo(available.GetPosition(take));
            if (filled < total && result.IsCompleted)
            {
                throw new MalformedDataException(format, "stream ended inside a message");
            }
        }
        return message;
    }

    /// <summary>The next length prefix, bounded by <paramref name="maxLength"/> before anything is allocated; null at a clean end of stream.</summary>
    internal static async ValueTask<int?> ReadLengthAsync(PipeReader reader, int maxLength, string format, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadLength(buffer, maxLength, format, out var length, out var consumed))
            {
                reader.AdvanceTo(buffer.GetPosition(consumed));
                return length;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return buffer.IsEmpty ? null : throw new MalformedDataException(format, "stream ended inside a length prefix");
            }
        }
    }

    private static bool TryReadLength(ReadOnlySequence<byte> buffer, int maxLength, string format, out int length, out int consumed)
    {
        length = 0;
        Span<byte> prefix = stackalloc byte[Varint.MaxLength];
        var available = (int)Math.Min(buffer.Length, Varint.MaxLength);
        buffer.Slice(0, available).CopyTo(prefix);
        if (!Varint.TryRead(prefix[..available], out var value, out consumed))
        {
            return false;
        }
        if (value > (ulong)maxLength)
        {
            throw new LimitExceededException(format, "message length", maxLength, (long)Math.Min(value, long.MaxValue));
        }
        length = (int)value;
        return true;
    }
}
