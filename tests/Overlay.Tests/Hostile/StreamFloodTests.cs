using System.Diagnostics;
using Overlay.Muxing.Yamux;
using Overlay.Muxing.Yamux.Frames;
using Xunit.Abstractions;

namespace Overlay.Tests.Hostile;

/// <summary>
/// A peer that opens streams as fast as it can and never negotiates or reads them: streams past
/// the limits are refused with RST, the host's memory stays bounded, and an honest third peer's
/// pings stay fast throughout.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class StreamFloodTests(ITestOutputHelper output)
{
    private const int Flood = 10_000;

    /// <summary>A flood that outlasts the pings keeps going, but not without end.</summary>
    private const int MaximumFlood = 100_000;

    private const int Pings = 50;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The flooder opens streams in batches of 250 (under the host's backlog of queued refusals),
    /// each as soon as the host has answered the previous one, for as long as the witness pings.
    /// </summary>
    [Fact]
    public async Task A_sustained_stream_flood_is_refused_with_RST_memory_stays_bounded_and_a_third_peer_pings_fast()
    {
        const int batch = 250;
        await using var target = await TargetHost.StartAsync();
        await using var witness = await Witness.ConnectAsync(target);
        await using var attacker = await Attacker.UpgradeAsync(target.Address);
        var (connection, session) = await AttackerConnectionAsync(target, attacker);
        var baseline = await witness.PingAsync(Pings);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var drain = new FloodDrain();
        var draining = Task.Run(() => drain.RunAsync(attacker.Secure!.Input));
        using var sampler = Sampler.Start(() => session.StreamCount, () => connection.InboundStreams);

        using var pingsDone = new CancellationTokenSource();
        var timer = Stopwatch.StartNew();
        var flood = Task.Run(async () =>
        {
            var sent = 0;
            while (sent < MaximumFlood && (sent < Flood || !pingsDone.IsCancellationRequested))
            {
                await SendSynsAsync(attacker, sent, batch);
                sent += batch;
                await Eventually.TrueAsync(() => drain.Answered >= sent, Patience, "the host answered the batch");
            }
            return (sent, timer.Elapsed);
        });
        var (during, withStreamOpen) = await SpreadPingsAsync(witness);
        var pingTime = timer.Elapsed;
        pingsDone.Cancel();
        var (opened, floodTime) = await flood.WaitAsync(TimeSpan.FromSeconds(20));
        var (maxStreams, maxInbound) = sampler.Stop();
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        output.WriteLine($"sustained flood: {opened} streams opened in {floodTime.TotalMilliseconds:0} ms ({opened / floodTime.TotalSeconds:0}/s); the {Pings} pings were spread over the first {pingTime.TotalMilliseconds:0} ms");
        output.WriteLine($"host answered: {drain.Acknowledged} acknowledged, {drain.Reset} reset; held at most {maxStreams} yamux streams and {maxInbound} streams in negotiation; heap grew {(heapAfter - heapBefore) / 1024} KiB");
        output.WriteLine($"refusals: {Format(target.Host.Metrics.Refusals)}; disconnects: {Format(target.Host.Metrics.Disconnects)}");
        output.WriteLine($"witness ping before the flood: {Stats(baseline)}");
        output.WriteLine($"witness ping during the flood: {Stats(during)}");
        output.WriteLine($"witness new stream + negotiation + ping during the flood: {Stats(withStreamOpen)}");

        Assert.True(opened >= Flood);
        Assert.True(target.Host.IsConnected(attacker.Identity.PeerId), $"the flooder was cut: {Format(target.Host.Metrics.Disconnects)}");
        Assert.True(drain.Reset >= opened - 2 * YamuxOptions.Default.MaxConcurrentStreams, $"only {drain.Reset} of {opened} streams were refused");
        Assert.True(maxStreams <= YamuxOptions.Default.MaxConcurrentStreams, $"{maxStreams} streams held at once");
        Assert.True(maxInbound <= TargetHost.DefaultOptions().Limits.MaxInboundStreamsPerConnection, $"{maxInbound} streams in negotiation at once");
        Assert.True(heapAfter - heapBefore < 64L << 20, $"the heap grew by {heapAfter - heapBefore} bytes");
        Assert.True(Percentile(during, 0.99) < Witness.FastPing, $"ping during the flood: {Stats(during)}");
        Assert.True(Percentile(withStreamOpen, 0.99) < Witness.FastPing, $"new stream and ping during the flood: {Stats(withStreamOpen)}");
        await witness.AssertTargetStillServesAsync();
        await attacker.DisposeAsync();
        await draining.WaitAsync(Patience);
    }

    /// <summary>
    /// Pings on a new stream each time, a few milliseconds apart, so the samples cover the flood
    /// rather than its first moments; returns the ping round trips and the times including the
    /// stream's opening and negotiation.
    /// </summary>
    private static async Task<(List<TimeSpan> Pings, List<TimeSpan> WithStreamOpen)> SpreadPingsAsync(Witness witness)
    {
        var pings = new List<TimeSpan>();
        var withOpen = new List<TimeSpan>();
        for (var i = 0; i < Pings; i++)
        {
            var started = Stopwatch.GetTimestamp();
            pings.Add((await witness.PingAsync(1))[0]);
            withOpen.Add(Stopwatch.GetElapsedTime(started));
            await Task.Delay(5);
        }
        return (pings, withOpen);
    }

    /// <summary>
    /// 10 000 SYNs in one write from a flooder that reads everything the host sends: every stream
    /// past the limits must be refused with its own RST, as a slower flood is; the connection is
    /// not cut because the refusals piled up faster than the host's own send loop wrote them.
    /// </summary>
    [Fact]
    public async Task A_burst_of_ten_thousand_SYNs_from_a_peer_that_reads_is_refused_stream_by_stream()
    {
        await using var target = await TargetHost.StartAsync();
        await using var witness = await Witness.ConnectAsync(target);
        await using var attacker = await Attacker.UpgradeAsync(target.Address);
        var (connection, session) = await AttackerConnectionAsync(target, attacker);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var drain = new FloodDrain();
        var draining = Task.Run(() => drain.RunAsync(attacker.Secure!.Input));
        using var sampler = Sampler.Start(() => session.StreamCount, () => connection.InboundStreams);

        var timer = Stopwatch.StartNew();
        await SendSynsAsync(attacker, 0, Flood);
        var pings = witness.PingAsync(Pings);
        await Eventually.TrueAsync(() => drain.Answered >= Flood || !target.Host.IsConnected(attacker.Identity.PeerId), Patience, "the host answered every SYN or cut the flooder");
        var answered = timer.Elapsed;
        var during = await pings;
        var (maxStreams, maxInbound) = sampler.Stop();
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        output.WriteLine($"burst: {Flood} SYNs; after {answered.TotalMilliseconds:0} ms the host had acknowledged {drain.Acknowledged} and reset {drain.Reset}; session frames: {string.Join(", ", drain.SessionFrames.Where(f => f.Type == YamuxFrameType.GoAway))}");
        output.WriteLine($"host held at most {maxStreams} yamux streams and {maxInbound} in negotiation; heap grew {(heapAfter - heapBefore) / 1024} KiB");
        output.WriteLine($"refusals: {Format(target.Host.Metrics.Refusals)}; disconnects: {Format(target.Host.Metrics.Disconnects)}");
        output.WriteLine($"witness ping during the burst: {Stats(during)}");

        Assert.True(maxStreams <= YamuxOptions.Default.MaxConcurrentStreams, $"{maxStreams} streams held at once");
        Assert.True(heapAfter - heapBefore < 64L << 20, $"the heap grew by {heapAfter - heapBefore} bytes");
        Assert.True(Percentile(during, 0.99) < Witness.FastPing, $"ping during the burst: {Stats(during)}");
        await witness.AssertTargetStillServesAsync();
        Assert.True(target.Host.IsConnected(attacker.Identity.PeerId),
            $"a flooder that reads everything was cut instead of refused stream by stream ({Format(target.Host.Metrics.Disconnects)}; {drain.Reset} RSTs arrived first)");
        Assert.True(drain.Reset >= Flood - YamuxOptions.Default.MaxConcurrentStreams, $"only {drain.Reset} of {Flood} streams were refused");
        await attacker.DisposeAsync();
        await draining.WaitAsync(Patience);
    }

    private static async Task<(Overlay.Host.PeerConnection Connection, YamuxSession Session)> AttackerConnectionAsync(TargetHost target, Attacker attacker)
    {
        await Eventually.TrueAsync(() => target.Host.IsConnected(attacker.Identity.PeerId), Patience, "the attacker's connection registered");
        var connection = target.Host.FindConnection(attacker.Identity.PeerId)!;
        return (connection, (YamuxSession)connection.Muxer);
    }

    /// <summary>SYNs for the attacker's streams <paramref name="first"/> … first+count-1 (odd ids: the dialer's), in one write.</summary>
    private static async Task SendSynsAsync(Attacker attacker, int first, int count)
    {
        var frames = new byte[count * YamuxFrame.HeaderLength];
        for (var i = 0; i < count; i++)
        {
            YamuxFrame.WindowUpdate((uint)(2 * (first + i) + 1), YamuxFrameFlags.Syn, 0).WriteTo(frames.AsSpan(i * YamuxFrame.HeaderLength));
        }
        await attacker.Secure!.Output.WriteAsync(frames);
    }

    private static string Format(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}"));

    private static TimeSpan Percentile(IReadOnlyList<TimeSpan> samples, double p)
    {
        var sorted = samples.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    private static string Stats(IReadOnlyList<TimeSpan> samples) =>
        $"p50 {Percentile(samples, 0.5).TotalMilliseconds:0.00} ms, p99 {Percentile(samples, 0.99).TotalMilliseconds:0.00} ms, max {samples.Max().TotalMilliseconds:0.00} ms (n={samples.Count})";
}
