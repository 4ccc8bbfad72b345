using System.Diagnostics;
using System.Net.Sockets;
using Overlay.Security.Noise;
using Xunit.Abstractions;

namespace Overlay.Tests.Hostile;

/// <summary>
/// Peers that connect and stall before the connection is upgraded: each is cut after
/// <c>HostOptions.UpgradeTimeout</c>, and a crowd of them neither piles up nor locks honest
/// peers out.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class HandshakeStallTests(ITestOutputHelper output)
{
    /// <summary>Slack past the timeout for a loaded two-core machine.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    public static TheoryData<string> Stalls() => ["nothing at all", "the multistream header only", "noise message 1", "noise message 1 and half of message 3"];

    [Theory]
    [MemberData(nameof(Stalls))]
    public async Task A_peer_that_stalls_mid_handshake_is_cut_after_the_upgrade_timeout(string sends)
    {
        await using var target = await TargetHost.StartAsync(TargetHost.ShortTimeouts);
        await using var witness = await Witness.ConnectAsync(target);
        var timer = Stopwatch.StartNew();
        await using var attacker = await Attacker.DialAsync(target.Address);
        switch (sends)
        {
            case "the multistream header only":
                await attacker.Wire.InjectAsync(Multistream.Message(Multistream.Header));
                break;
            case "noise message 1":
                await attacker.SelectAsync(attacker.Wire, NoiseSecureTransport.Id);
                await RawNoise.HandshakeAsync(attacker.Wire, initiator: true, RawNoise.Honest(attacker.Identity), stopAfter: 1);
                break;
            case "noise message 1 and half of message 3":
                await attacker.SelectAsync(attacker.Wire, NoiseSecureTransport.Id);
                await RawNoise.HandshakeAsync(attacker.Wire, initiator: true, RawNoise.Honest(attacker.Identity), stopAfter: 2);
                await attacker.Wire.InjectAsync(new byte[] { 0x00, 0x80, 1, 2, 3, 4 });
                break;
        }

        var cut = await attacker.WaitForCutAsync(timer, TargetHost.ShortTimeout + Slack);
        output.WriteLine($"stalled after {sends}: cut after {cut.TotalMilliseconds:0.0} ms (upgrade timeout {TargetHost.ShortTimeout.TotalMilliseconds} ms)");

        Assert.True(cut >= TargetHost.ShortTimeout * 0.9, $"cut after {cut}, before the timeout");
        var logged = await target.Log.WaitForAsync(e => e.EventId.Id == HostileEvents.UpgradeFailed, Slack);
        Assert.IsAssignableFrom<OperationCanceledException>(logged.Exception);
        Assert.Equal(1, target.Refusals("handshake-timeout"));
        await witness.AssertTargetStillServesAsync();
    }

    [Fact]
    public async Task Two_hundred_stallers_are_refused_or_cut_and_an_honest_peer_still_gets_in()
    {
        const int stallers = 200;
        await using var target = await TargetHost.StartAsync(TargetHost.ShortTimeouts);
        var maxPending = TargetHost.DefaultOptions().Limits.MaxPendingInbound;
        var endpoint = target.Host.ListenAddresses[0].ToTcpEndPoint()!;
        var sockets = new List<Socket>();
        try
        {
            var timer = Stopwatch.StartNew();
            var closings = new List<Task<TimeSpan>>();
            for (var i = 0; i < stallers; i++)
            {
                var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                try
                {
                    await socket.ConnectAsync(endpoint);
                    closings.Add(WaitClosedAsync(socket, timer));
                }
                catch (SocketException)
                {
                    // Refused so fast that the connect itself saw the reset.
                    closings.Add(Task.FromResult(timer.Elapsed));
                }
            }
            output.WriteLine($"{stallers} stallers connected in {timer.Elapsed.TotalMilliseconds:0} ms");

            // An honest peer dials while every handshake slot is held by a staller.
            var honest = Stopwatch.StartNew();
            await using var witness = await Witness.ConnectAsync(target);
            await witness.PingAsync(1);
            output.WriteLine($"honest dial and ping during the stall: {honest.Elapsed.TotalMilliseconds:0.0} ms");
            Assert.True(honest.Elapsed < TargetHost.ShortTimeout, $"the honest peer waited {honest.Elapsed} (the stallers' timeout)");

            var cuts = await Task.WhenAll(closings).WaitAsync(TargetHost.ShortTimeout + Slack * 2);
            var immediate = cuts.Count(c => c < TargetHost.ShortTimeout / 2);
            output.WriteLine($"stallers cut: {immediate} at once (median {Median(cuts.Where(c => c < TargetHost.ShortTimeout / 2)):0.0} ms), {stallers - immediate} at the timeout (median {Median(cuts.Where(c => c >= TargetHost.ShortTimeout / 2)):0.0} ms), last after {cuts.Max().TotalMilliseconds:0} ms");
            var refusals = string.Join(", ", target.Host.Metrics.Refusals.Select(r => $"{r.Key}={r.Value}"));
            output.WriteLine($"refusals: {refusals}");

            Assert.True(immediate >= stallers - maxPending, $"only {immediate} stallers were refused at once");
            Assert.Equal(stallers, target.Host.Metrics.Refusals.Where(r => r.Key is "pending-inbound-evicted" or "handshake-timeout").Sum(r => r.Value));
            await target.Log.WaitForAsync(e => e.EventId.Id == HostileEvents.UpgradeFailed && e.Message.Contains("pending-inbound-evicted", StringComparison.Ordinal), Slack);
            await witness.AssertTargetStillServesAsync();
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task Peers_that_connect_and_reset_at_once_do_not_stop_the_listener()
    {
        await using var target = await TargetHost.StartAsync(TargetHost.ShortTimeouts);
        var endpoint = target.Host.ListenAddresses[0].ToTcpEndPoint()!;
        for (var i = 0; i < 200; i++)
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(endpoint);
            }
            catch (SocketException)
            {
                // The host may refuse (or evict) before our connect has returned; that is its right.
            }
            // Linger 0: close sends RST, often before the host has even accepted the socket.
            socket.LingerState = new LingerOption(true, 0);
        }

        var timer = Stopwatch.StartNew();
        await using var witness = await Witness.ConnectAsync(target);
        await witness.PingAsync(1);
        output.WriteLine($"honest dial after 200 connect-and-reset peers: {timer.Elapsed.TotalMilliseconds:0.0} ms");
        Assert.DoesNotContain(target.Log.Events, e => e.EventId.Id == HostileEvents.BackgroundTaskFailed);
    }

    /// <summary>When (since <paramref name="timer"/> started) the host closed or reset <paramref name="socket"/>.</summary>
    private static async Task<TimeSpan> WaitClosedAsync(Socket socket, Stopwatch timer)
    {
        var buffer = new byte[64];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }
        return timer.Elapsed;
    }

    private static double Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2].TotalMilliseconds;
    }
}
