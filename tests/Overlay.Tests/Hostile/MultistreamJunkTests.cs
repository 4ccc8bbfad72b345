using System.Diagnostics;
using Overlay.Muxing;
using Overlay.Negotiation;
using Xunit.Abstractions;

namespace Overlay.Tests.Hostile;

/// <summary>
/// Bytes that are not multistream-select (or are, without end): on a fresh connection the
/// connection is refused, on a stream the stream is reset and the connection lives on; either
/// way at once (not at a timeout) and counted by reason.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class MultistreamJunkTests(ITestOutputHelper output)
{
    /// <summary>Well under the negotiation timeouts: junk is refused when seen, not when time runs out.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(400);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    public static TheoryData<string, byte[]> Junk() => Multistream.Junk();

    [Theory]
    [MemberData(nameof(Junk))]
    public async Task Junk_on_a_new_connection_refuses_it(string what, byte[] junk)
    {
        await using var target = await TargetHost.StartAsync();
        await using var witness = await Witness.ConnectAsync(target);
        await using var attacker = await Attacker.DialAsync(target.Address);

        var timer = Stopwatch.StartNew();
        await attacker.Wire.InjectAsync(junk);
        var cut = await attacker.WaitForCutAsync(timer, Patience);
        output.WriteLine($"{what}: connection cut after {cut.TotalMilliseconds:0.0} ms");

        Assert.True(cut < Bound, $"cut after {cut}, which is the timeout's doing rather than the junk's");
        var logged = await target.Log.WaitForAsync(e => e.EventId.Id == HostileEvents.UpgradeFailed, Patience);
        Assert.IsType<NegotiationException>(logged.Exception);
        Assert.Equal(1, target.Refusals("negotiation-failed"));
        await witness.AssertTargetStillServesAsync();
    }

    [Theory]
    [MemberData(nameof(Junk))]
    public async Task Junk_on_a_stream_resets_the_stream_and_the_connection_lives_on(string what, byte[] junk)
    {
        await using var target = await TargetHost.StartAsync();
        await using var witness = await Witness.ConnectAsync(target);
        var connection = witness.Host.FindConnection(target.Host.PeerId)!;
        var stream = await connection.Muxer.OpenStreamAsync();

        var timer = Stopwatch.StartNew();
        await stream.Output.WriteAsync(junk);
        var reset = await ReadUntilResetAsync(stream).WaitAsync(Patience);
        output.WriteLine($"{what}: stream reset after {reset.TotalMilliseconds:0.0} ms");

        Assert.True(reset < Bound, $"reset after {reset}, which is the timeout's doing rather than the junk's");
        var logged = await target.Log.WaitForAsync(e => e.EventId.Id == HostileEvents.StreamRefused, Patience);
        Assert.IsType<NegotiationException>(logged.Exception);
        Assert.Equal(1, target.Refusals("stream-negotiation-failed"));
        await witness.AssertTargetStillServesAsync();
        Assert.Same(connection, witness.Host.FindConnection(target.Host.PeerId));
    }

    /// <summary>Reads (answers to our junk included) until the stream is reset; returns when that was.</summary>
    internal static async Task<TimeSpan> ReadUntilResetAsync(IMuxedStream stream)
    {
        var timer = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var result = await stream.Input.ReadAsync();
                stream.Input.AdvanceTo(result.Buffer.End);
                Assert.False(result.IsCompleted, "the host closed the stream instead of resetting it");
            }
        }
        catch (StreamResetException)
        {
            return timer.Elapsed;
        }
    }
}
