// Framing: https://github.com/libp2p/specs/blob/master/pubsub/README.md#the-rpc (unsigned-varint length prefix)
using System.Buffers;
using System.IO.Pipelines;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub;

/// <summary>
/// Reads length-prefixed RPCs, consuming bytes as they arrive. Waiting for a whole RPC in the
/// pipe (examine without consume) would stall any RPC larger than the yamux receive window,
/// because the window is only reopened as the reader consumes. The copy buffer grows with the
/// bytes actually received, so a peer announcing a large RPC and sending little costs little.
/// </summary>
internal static class RpcFrameReader
{
    private const int InitialBuffer = 64 * 1024;

    /// <summary>The next RPC's bytes, or null when the stream ended cleanly between RPCs.</summary>
    public static async ValueTask<byte[]?> ReadAsync(PipeReader reader, int maxLength, CancellationToken cancellationToken)
    {
        var length = await ReadLengthAsync(reader, maxLength, cancellationToken).ConfigureAwait(false);
        if (length is not { } total)
        {
            return null;
        }
        var buffer = new byte[Math.Min(total, InitialBuffer)];
        var filled = 0;
        while (filled < total)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var available = result.Buffer;
            var take = (int)Math.Min(available.Length, total - filled);
            if (filled + take > buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(total, Math.Max((long)buffer.Length * 2, filled + take)));
            }
            available.Slice(0, take).CopyTo(buffer.AsSpan(filled));
            filled += take;
            reader.AdvanceTo(available.GetPosition(take));
            if (filled < total && result.IsCompleted)
            {
                throw new MalformedDataException(PubSubRpcCodec.FormatName, "stream ended inside an RPC");
            }
        }
        return buffer;
    }

    private static async ValueTask<int?> ReadLengthAsync(PipeReader reader, int maxLength, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadLength(buffer, maxLength, out var length, out var consumed))
            {
                reader.AdvanceTo(buffer.GetPosition(consumed));
                return length;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return buffer.IsEmpty ? null : throw new MalformedDataException(PubSubRpcCodec.FormatName, "stream ended inside a length prefix");
            }
        }
    }

    private static bool TryReadLength(ReadOnlySequence<byte> buffer, int maxLength, out int length, out int consumed)
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
            throw new LimitExceededException(PubSubRpcCodec.FormatName, "RPC size", maxLength, (long)Math.Min(value, long.MaxValue));
        }
        length = (int)value;
        return true;
    }
}
