// Spec: https://github.com/multiformats/multistream-select (uvarint length, UTF-8 text, '\n').
using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Negotiation;

/// <summary>Reads and writes single multistream-select messages on a pipe.</summary>
internal static class MultistreamMessage
{
    /// <summary>js-libp2p and go-libp2p cap protocol ids at 1024 bytes; an `ls` answer may be longer.</summary>
    public const int MaxMessageLength = 64 * 1024;

    private const string FormatName = "multistream";

    public static void Write(PipeWriter writer, string message) => WriteRaw(writer, Encoding.UTF8.GetBytes(message));

    /// <summary>Writes a message whose body (before the newline) is arbitrary bytes, as an `ls` answer is.</summary>
    public static void WriteRaw(PipeWriter writer, ReadOnlySpan<byte> body)
    {
        var length = body.Length + 1;
        var span = writer.GetSpan(Varint.MaxLength + length);
        var offset = Varint.Write((ulong)length, span);
        body.CopyTo(span[offset..]);
        offset += body.Length;
        span[offset++] = (byte)'\n';
        writer.Advance(offset);
    }

    public static async ValueTask<string> ReadAsync(PipeReader reader, int maxLength, CancellationToken cancellationToken)
    {
        var body = await ReadRawAsync(reader, maxLength, cancellationToken).ConfigureAwait(false);
        try
        {
            return Strict.GetString(body);
        }
        catch (DecoderFallbackException e)
        {
            throw new NegotiationException("multistream message is not UTF-8", e);
        }
    }

    public static async ValueTask<byte[]> ReadRawAsync(PipeReader reader, int maxLength, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryParse(ref buffer, maxLength, out var message))
            {
                reader.AdvanceTo(buffer.Start);
                return message;
            }
            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new NegotiationException("stream closed during protocol negotiation");
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Parses one message body (newline stripped); on success <paramref name="buffer"/> is sliced past it.</summary>
    public static bool TryParse(ref ReadOnlySequence<byte> buffer, int maxLength, out byte[] message)
    {
        message = [];
        Span<byte> prefix = stackalloc byte[Varint.MaxLength];
        var available = (int)Math.Min(buffer.Length, Varint.MaxLength);
        buffer.Slice(0, available).CopyTo(prefix);
        try
        {
            if (!Varint.TryRead(prefix[..available], out var length, out var prefixLength))
            {
                return false;
            }
            if (length > (ulong)maxLength)
            {
                throw new LimitExceededException(FormatName, "message length", maxLength, (long)Math.Min(length, long.MaxValue));
            }
            if (length == 0)
            {
                throw new NegotiationException("empty multistream message");
            }
            if (buffer.Length - prefixLength < (long)length)
            {
                return false;
            }
            var body = buffer.Slice(prefixLength, (long)length);
            var bytes = body.ToArray();
            if (bytes[^1] != (byte)'\n')
            {
                throw new NegotiationException("multistream message does not end with a newline");
            }
            message = bytes[..^1];
            buffer = buffer.Slice(body.End);
            return true;
        }
        catch (MalformedDataException e)
        {
            throw new NegotiationException($"malformed multistream message: {e.Message}", e);
        }
    }

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
