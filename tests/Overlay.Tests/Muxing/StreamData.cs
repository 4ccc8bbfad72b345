using System.Buffers;
using System.IO.Pipelines;
using Overlay.Muxing;

namespace Overlay.Tests.Muxing;

/// <summary>Deterministic payloads and whole-stream reads and writes for muxer tests.</summary>
internal static class StreamData
{
    /// <summary>Bytes that differ per <paramref name="seed"/> and per position, so a swapped or shifted chunk shows.</summary>
    public static byte[] Pattern(int seed, int length)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Compares whole payloads without printing a mebibyte of bytes when they differ.</summary>
    public static void AssertSame(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var firstDifference = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(firstDifference == expected.Length, $"payloads differ from byte {firstDifference} on");
    }

    public static async Task WriteAllAsync(PipeWriter output, ReadOnlyMemory<byte> data, int chunk = 64 * 1024, bool complete = true)
    {
        while (!data.IsEmpty)
        {
            var length = Math.Min(chunk, data.Length);
            await output.WriteAsync(data[..length]);
            data = data[length..];
        }

        if (complete)
        {
            await output.CompleteAsync();
        }
    }

    /// <summary>Reads until the remote's FIN; returns everything.</summary>
    public static async Task<byte[]> ReadToEndAsync(PipeReader input)
    {
        using var collected = new MemoryStream();
        while (true)
        {
            var result = await input.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                collected.Write(segment.Span);
            }

            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return collected.ToArray();
            }
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    public static async Task<byte[]> ReadExactlyAsync(PipeReader input, int count)
    {
        var result = await input.ReadAtLeastAsync(count);
        if (result.Buffer.Length < count)
        {
            throw new EndOfStreamException($"stream ended after {result.Buffer.Length} of {count} bytes");
        }

        var data = result.Buffer.Slice(0, count).ToArray();
        input.AdvanceTo(result.Buffer.GetPosition(count));
        return data;
    }

    /// <summary>Echoes everything read back until the remote's FIN, then half-closes.</summary>
    public static async Task EchoAsync(IMuxedStream stream)
    {
        while (true)
        {
            var result = await stream.Input.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                await stream.Output.WriteAsync(segment);
            }

            stream.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                await stream.Output.CompleteAsync();
                return;
            }
        }
    }

    /// <summary>Reads and counts bytes until the remote's FIN.</summary>
    public static async Task<long> DrainAsync(PipeReader input)
    {
        long total = 0;
        while (true)
        {
            var result = await input.ReadAsync();
            total += result.Buffer.Length;
            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return total;
            }
        }
    }
}
