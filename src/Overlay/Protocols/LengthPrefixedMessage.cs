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

    /// <summary>The next message, or null when the stream ended cleanly before one began.</summary>
    public static async ValueTask<byte[]?> ReadAsync(PipeReader reader, int maxLength, string format, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryRead(ref buffer, maxLength, format, out var message))
            {
                reader.AdvanceTo(buffer.Start);
                return message;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                if (buffer.IsEmpty)
                {
                    return null;
                }
                throw new MalformedDataException(format, "stream ended inside a message");
            }
        }
    }

    /// <summary>Slices one message off <paramref name="buffer"/> if it is complete; throws before buffering an oversized one.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxLength, string format, out byte[] message)
    {
        message = [];
        Span<byte> prefix = stackalloc byte[Varint.MaxLength];
        var available = (int)Math.Min(buffer.Length, Varint.MaxLength);
        buffer.Slice(0, available).CopyTo(prefix);
        if (!Varint.TryRead(prefix[..available], out var length, out var prefixLength))
        {
            return false;
        }
        if (length > (ulong)maxLength)
        {
            throw new LimitExceededException(format, "message length", maxLength, (long)Math.Min(length, long.MaxValue));
        }
        if (buffer.Length - prefixLength < (long)length)
        {
            return false;
        }
        var body = buffer.Slice(prefixLength, (long)length);
        message = body.ToArray();
        buffer = buffer.Slice(body.End);
        return true;
    }
}
