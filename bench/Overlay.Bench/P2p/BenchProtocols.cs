using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text.Json;
using Overlay.Host;

namespace Overlay.Bench.P2p;

/// <summary>
/// The bench protocols both servers speak (tests/js/bench-libp2p.mjs serves the first two the
/// same way), so either client can measure either server.
/// </summary>
internal static class BenchProtocols
{
    /// <summary>Reads and discards until the remote closes its side, then replies with the byte count (8 bytes, big-endian).</summary>
    public const string Sink = "/bench/sink/1.0.0";

    /// <summary>Writes back whatever it reads.</summary>
    public const string Ping = "/bench/ping/1.0.0";

    /// <summary>Replies with the server's <see cref="ProcessStats"/> as JSON, then closes.</summary>
    public const string Stats = "/bench/stats/1.0.0";

    public static async Task SinkAsync(PeerStream stream, CancellationToken cancellationToken)
    {
        long count = 0;
        while (true)
        {
            var result = await stream.Input.ReadAsync(cancellationToken);
            count += result.Buffer.Length;
            stream.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }
        await WriteInt64sAsync(stream.Output, [count], cancellationToken);
        await stream.Output.CompleteAsync();
    }

    public static async Task PingAsync(PeerStream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await stream.Input.ReadAsync(cancellationToken);
            foreach (var segment in result.Buffer)
            {
                await stream.Output.WriteAsync(segment, cancellationToken);
            }
            stream.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }
        await stream.Output.CompleteAsync();
    }

    public static async Task StatsAsync(PeerStream stream, CancellationToken cancellationToken)
    {
        await stream.Output.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(ProcessStats.Current()), cancellationToken);
        await stream.Output.CompleteAsync();
    }

    /// <summary>Reads the whole stream as a <see cref="ProcessStats"/> JSON reply.</summary>
    public static async Task<ProcessStats> ReadStatsAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                var stats = JsonSerializer.Deserialize<ProcessStats>(result.Buffer.ToArray())
                    ?? throw new InvalidDataException("empty stats reply");
                input.AdvanceTo(result.Buffer.End);
                return stats;
            }
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>Reads the whole stream, which must be exactly <paramref name="count"/> 8-byte big-endian numbers.</summary>
    public static async Task<long[]> ReadInt64sAsync(PipeReader input, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                if (result.Buffer.Length != 8 * count)
                {
                    throw new InvalidDataException($"expected a {8 * count}-byte reply, got {result.Buffer.Length} bytes");
                }
                var bytes = result.Buffer.ToArray();
                input.AdvanceTo(result.Buffer.End);
                return Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8 * i))).ToArray();
            }
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static async ValueTask WriteInt64sAsync(PipeWriter output, long[] values, CancellationToken cancellationToken)
    {
        var bytes = new byte[8 * values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8 * i), values[i]);
        }
        await output.WriteAsync(bytes, cancellationToken);
    }
}
