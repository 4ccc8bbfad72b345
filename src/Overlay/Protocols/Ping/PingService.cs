// Spec: https://github.com/libp2p/specs/blob/master/ping/ping.md
using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Overlay.Host;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;

namespace Overlay.Protocols.Ping;

/// <summary>`/ipfs/ping/1.0.0`: echo 32-byte payloads; measure round trips.</summary>
public sealed class PingService
{
    public const string ProtocolId = "/ipfs/ping/1.0.0";
    public const int PayloadLength = 32;

    private readonly Libp2pHost _host;

    public PingService(Libp2pHost host)
    {
        _host = host;
        host.SetStreamHandler(ProtocolId, EchoAsync);
    }

    /// <summary>Pings <paramref name="peer"/> <paramref name="count"/> times on one stream; returns each round trip.</summary>
    public async Task<IReadOnlyList<TimeSpan>> PingAsync(PeerId peer, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        await using var stream = await _host.NewStreamAsync(peer, [ProtocolId], cancellationToken).ConfigureAwait(false);
        var rtts = new List<TimeSpan>(count);
        var payload = new byte[PayloadLength];
        for (var i = 0; i < count; i++)
        {
            RandomNumberGenerator.Fill(payload);
            var started = Stopwatch.GetTimestamp();
            await stream.Output.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
            var echo = await ReadExactlyAsync(stream.Input, cancellationToken).ConfigureAwait(false)
                ?? throw new MalformedDataException("ping", "peer closed the stream");
            if (!echo.AsSpan().SequenceEqual(payload))
            {
                throw new VerificationException("ping echo does not match what was sent");
            }
            rtts.Add(Stopwatch.GetElapsedTime(started));
        }
        await stream.Output.CompleteAsync().ConfigureAwait(false);
        return rtts;
    }

    private static async Task EchoAsync(PeerStream stream, CancellationToken cancellationToken)
    {
        while (await ReadExactlyAsync(stream.Input, cancellationToken).ConfigureAwait(false) is { } payload)
        {
            await stream.Output.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        }
        await stream.Output.CompleteAsync().ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadExactlyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.Buffer.Length >= PayloadLength)
            {
                var payload = result.Buffer.Slice(0, PayloadLength).ToArray();
                reader.AdvanceTo(result.Buffer.GetPosition(PayloadLength));
                return payload;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }
}
