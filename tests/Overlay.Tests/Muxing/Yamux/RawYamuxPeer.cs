using System.Buffers;
using System.IO.Pipelines;
using Overlay.Muxing.Yamux.Frames;

namespace Overlay.Tests.Muxing.Yamux;

/// <summary>
/// The other end of a yamux session, driven frame by frame by a test: it sends whatever bytes
/// the test wants (including hostile ones) and reads what the session sends.
/// </summary>
internal sealed class RawYamuxPeer(IDuplexPipe transport)
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public Task SendAsync(YamuxFrame frame) => SendAsync(frame, ReadOnlyMemory<byte>.Empty);

    public async Task SendAsync(YamuxFrame frame, ReadOnlyMemory<byte> payload)
    {
        var header = new byte[YamuxFrame.HeaderLength];
        frame.WriteTo(header);
        transport.Output.Write(header);
        transport.Output.Write(payload.Span);
        await transport.Output.FlushAsync();
    }

    /// <summary>Ends our side of the transport, as a peer that hangs up would.</summary>
    public ValueTask CompleteAsync() => transport.Output.CompleteAsync();

    public async Task SendBytesAsync(ReadOnlyMemory<byte> bytes) => await transport.Output.WriteAsync(bytes);

    /// <summary>The next frame and its payload, or null when the session closed the transport.</summary>
    public async Task<(YamuxFrame Frame, byte[] Payload)?> ReadFrameAsync()
    {
        var input = transport.Input;
        while (true)
        {
            var result = await input.ReadAsync().AsTask().WaitAsync(Patience);
            var buffer = result.Buffer;
            if (YamuxFrame.TryRead(ref buffer, uint.MaxValue, out var frame))
            {
                var payloadLength = frame.Type == YamuxFrameType.Data ? frame.Length : 0;
                if (buffer.Length >= payloadLength)
                {
                    var payload = buffer.Slice(0, payloadLength).ToArray();
                    input.AdvanceTo(buffer.GetPosition(payloadLength));
                    return (frame, payload);
                }
            }

            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    /// <summary>Reads frames until one matches; ping requests on the way are answered when <paramref name="answerPings"/>.</summary>
    public async Task<(YamuxFrame Frame, byte[] Payload)> ExpectAsync(Func<YamuxFrame, bool> match, bool answerPings = true)
    {
        while (true)
        {
            var next = await ReadFrameAsync() ?? throw new EndOfStreamException("the session closed the transport before the expected frame");
            if (match(next.Frame))
            {
                return next;
            }

            if (answerPings && next.Frame.Type == YamuxFrameType.Ping && next.Frame.HasFlag(YamuxFrameFlags.Syn))
            {
                await SendAsync(YamuxFrame.PingResponse(next.Frame.Length));
            }
        }
    }

    /// <summary>Reads until the session closes the transport; returns every frame it sent meanwhile.</summary>
    public async Task<List<YamuxFrame>> ReadToEndAsync()
    {
        var frames = new List<YamuxFrame>();
        while (await ReadFrameAsync() is { } next)
        {
            frames.Add(next.Frame);
        }

        return frames;
    }

    /// <summary>Round trip of a ping we send, answering the session's own pings meanwhile.</summary>
    public async Task<TimeSpan> PingAsync(uint opaque)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await SendAsync(YamuxFrame.PingRequest(opaque));
        await ExpectAsync(f => f.Type == YamuxFrameType.Ping && f.HasFlag(YamuxFrameFlags.Ack) && f.Length == opaque);
        return started.Elapsed;
    }
}
