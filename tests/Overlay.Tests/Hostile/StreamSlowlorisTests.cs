using System.Diagnostics;
using Overlay.Manifest.Multiformats;
using Xunit.Abstractions;

namespace Overlay.Tests.Hostile;

/// <summary>
/// Streams opened on an established connection that never finish negotiating: each is reset
/// after <c>HostOptions.StreamNegotiationTimeout</c>; the connection and its other streams go on.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class StreamSlowlorisTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    public static TheoryData<string, byte[]> Stalls() => new()
    {
        { "nothing", [] },
        { "the header only", Multistream.Message(Multistream.Header) },
        { "the header and a third of a proposal", [.. Multistream.Message(Multistream.Header), .. Varint.Encode(30), .. "/ipfs/pi"u8] },
    };

    [Theory]
    [MemberData(nameof(Stalls))]
    public async Task A_stream_that_negotiates_nothing_is_reset_after_the_negotiation_timeout(string sends, byte[] bytes)
    {
        await using var target = await TargetHost.StartAsync(TargetHost.ShortTimeouts);
        await using var witness = await Witness.ConnectAsync(target);
        var connection = witness.Host.FindConnection(target.Host.PeerId)!;

        var timer = Stopwatch.StartNew();
        var stream = await connection.Muxer.OpenStreamAsync();
        if (bytes.Length > 0)
        {
            await stream.Output.WriteAsync(bytes);
        }

        // Meanwhile the same connection serves other streams as usual.
        await witness.PingAsync(5);
        var reset = await MultistreamJunkTests.ReadUntilResetAsync(stream).WaitAsync(TargetHost.ShortTimeout + Slack);
        var after = timer.Elapsed;
        output.WriteLine($"stream that sent {sends}: reset after {after.TotalMilliseconds:0.0} ms (negotiation timeout {TargetHost.ShortTimeout.TotalMilliseconds} ms)");

        Assert.True(after >= TargetHost.ShortTimeout * 0.9, $"reset after {after}, before the timeout");
        var logged = await target.Log.WaitForAsync(e => e.EventId.Id == HostileEvents.StreamRefused, Slack);
        Assert.IsAssignableFrom<OperationCanceledException>(logged.Exception);
        Assert.Equal(1, target.Refusals("stream-negotiation-timeout"));
        await witness.AssertTargetStillServesAsync();
        Assert.Same(connection, witness.Host.FindConnection(target.Host.PeerId));
    }
}
