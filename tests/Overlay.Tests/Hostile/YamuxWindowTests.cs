using System.Diagnostics;
using Overlay.Manifest.Errors;
using Overlay.Muxing;
using Overlay.Muxing.Yamux;
using Overlay.Muxing.Yamux.Frames;
using Xunit.Abstractions;

namespace Overlay.Tests.Hostile;

/// <summary>
/// A yamux data frame longer than the receive window over a real host: refused from its header,
/// with a protocol-error go-away, before a byte of the announced payload is buffered.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class YamuxWindowTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    public static TheoryData<string, uint> Lengths() => new()
    {
        { "one byte past the 256 KiB window", YamuxOptions.SpecInitialWindow + 1 },
        { "one byte past the largest window", YamuxOptions.Default.MaxStreamWindowSize + 1 },
        { "2^32-1 bytes", uint.MaxValue },
    };

    [Theory]
    [MemberData(nameof(Lengths))]
    public async Task A_data_frame_bigger_than_the_window_ends_the_session_with_a_protocol_error_go_away(string what, uint length)
    {
        await using var target = await TargetHost.StartAsync();
        await using var witness = await Witness.ConnectAsync(target);
        await using var attacker = await Attacker.UpgradeAsync(target.Address);
        var yamux = attacker.Yamux!;
        await yamux.SendAsync(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Syn, 0));
        await yamux.ExpectAsync(f => f.StreamId == 1 && f.HasFlag(YamuxFrameFlags.Ack));

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var timer = Stopwatch.StartNew();
        await yamux.SendAsync(YamuxFrame.Data(1, YamuxFrameFlags.None, length));
        var frames = await attacker.ReadFramesUntilCutAsync(Bound);
        var cut = timer.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine($"{what}: cut after {cut.TotalMilliseconds:0.0} ms; {allocated / 1024} KiB allocated in the whole process meanwhile");

        Assert.Contains(YamuxFrame.GoAway(YamuxGoAwayCode.ProtocolError), frames);
        var logged = await target.Log.WaitForAsync(e => e.EventId.Id == HostileEvents.Disconnected && e.Exception is MuxerClosedException, Bound);
        var reason = (MuxerClosedException)logged.Exception!;
        Assert.Equal(MuxerCloseKind.ProtocolViolation, reason.Kind);
        Assert.Equal((uint)YamuxGoAwayCode.ProtocolError, reason.GoAwayCode);
        Assert.IsType<LimitExceededException>(reason.InnerException);
        Assert.Equal(1, target.Host.Metrics.Disconnects.GetValueOrDefault("protocol-violation"));
        Assert.True(allocated < Math.Min(length / 2, 1 << 20), $"refusing a {length}-byte frame allocated {allocated} bytes");
        await witness.AssertTargetStillServesAsync();
    }
}
