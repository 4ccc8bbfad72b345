// Spec: https://github.com/libp2p/specs/blob/master/noise/README.md#wire-format (2-byte big-endian length prefix).
using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Overlay.Security.Noise;

internal static class NoiseFrame
{
    /// <summary>The largest Noise message (Noise spec §3): the 16-bit length prefix cannot say more.</summary>
    public const int MaxMessageLength = 65535;

    /// <summary>Plaintext per transport message: the message less the 16-byte tag.</summary>
    public const int MaxPlaintextLength = MaxMessageLength - CipherState.TagLength;

    public static void Write(PipeWriter writer, ReadOnlySpan<byte> message)
    {
        var span = writer.GetSpan(2 + message.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)message.Length);
        message.CopyTo(span[2..]);
        writer.Advance(2 + message.Length);
    }

    /// <summary>Slices one frame body off <paramref name="buffer"/> if it is all there.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> body)
    {
        body = default;
        if (buffer.Length < 2)
        {
            return false;
        }
        Span<byte> prefix = stackalloc byte[2];
        buffer.Slice(0, 2).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (buffer.Length < 2 + length)
        {
            return false;
        }
        body = buffer.Slice(2, length);
        buffer = buffer.Slice(body.End);
        return true;
    }

    public static async ValueTask<byte[]> ReadAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryRead(ref buffer, out var body))
            {
                var bytes = body.ToArray();
                reader.AdvanceTo(buffer.Start);
                return bytes;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new NoiseException(NoiseFailure.ConnectionClosed, "connection closed during the handshake");
            }
        }
    }
}
