using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Overlay.Muxing.Yamux.Frames;

namespace Overlay.Tests.Hostile;

/// <summary>
/// The flooding attacker's reader: drains every frame the host sends (so the attacker is never
/// the one leaving data unread) and records which of its streams the host acknowledged or reset.
/// </summary>
internal sealed class FloodDrain
{
    private readonly HashSet<uint> _acknowledged = [];
    private readonly HashSet<uint> _reset = [];
    private readonly List<YamuxFrame> _session = [];

    public int Acknowledged => Count(_acknowledged);

    public int Reset => Count(_reset);

    /// <summary>Streams the host answered one way or the other (a stream acknowledged and later reset counts once).</summary>
    public int Answered
    {
        get
        {
            lock (_reset)
            {
                return _acknowledged.Union(_reset).Count();
            }
        }
    }

    /// <summary>Frames for stream 0 (pings, go-away) in the order they came.</summary>
    public IReadOnlyList<YamuxFrame> SessionFrames
    {
        get
        {
            lock (_reset)
            {
                return [.. _session];
            }
        }
    }

    /// <summary>Reads until the connection ends.</summary>
    public async Task RunAsync(PipeReader input)
    {
        var header = new byte[YamuxFrame.HeaderLength];
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                while (buffer.Length >= YamuxFrame.HeaderLength)
                {
                    buffer.Slice(0, YamuxFrame.HeaderLength).CopyTo(header);
                    var type = (YamuxFrameType)header[1];
                    var flags = (YamuxFrameFlags)BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
                    var stream = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                    var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
                    var payload = type == YamuxFrameType.Data ? length : 0;
                    if (buffer.Length < YamuxFrame.HeaderLength + payload)
                    {
                        break;
                    }
                    Record(new YamuxFrame(type, flags, stream, length));
                    buffer = buffer.Slice(YamuxFrame.HeaderLength + payload);
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The connection ended (closed or reset); what was recorded is the evidence.
        }
    }

    private void Record(YamuxFrame frame)
    {
        lock (_reset)
        {
            if (frame.StreamId == YamuxFrame.SessionStreamId)
            {
                _session.Add(frame);
            }
            if (frame.HasFlag(YamuxFrameFlags.Ack))
            {
                _acknowledged.Add(frame.StreamId);
            }
            if (frame.HasFlag(YamuxFrameFlags.Rst))
            {
                _reset.Add(frame.StreamId);
            }
        }
    }

    private int Count(HashSet<uint> set)
    {
        lock (_reset)
        {
            return set.Count;
        }
    }
}
