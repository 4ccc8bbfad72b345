using System.Diagnostics;
using System.Security.Cryptography;
using Overlay.Muxing;
using Overlay.Muxing.Yamux;
using Overlay.Security.Noise;
using Xunit.Abstractions;

namespace Overlay.Tests.Hostile;

/// <summary>
/// Noise transport frames that are not what they claim after a valid handshake: a ciphertext
/// that fails its MAC, garbage, frames too short to hold a tag, and a frame whose length prefix
/// announces 65535 bytes that never come.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class NoiseFrameTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    private static byte[] Frame(byte[] body) => [(byte)(body.Length >> 8), (byte)body.Length, .. body];

    public static TheoryData<string, byte[], NoiseFailure> BadFrames() => new()
    {
        { "a ciphertext that fails the MAC", Frame(RandomNumberGenerator.GetBytes(48)), NoiseFailure.DecryptionFailed },
        { "4 KiB of garbage", Frame(RandomNumberGenerator.GetBytes(4094)), NoiseFailure.DecryptionFailed },
        { "a frame shorter than its tag", Frame([1, 2, 3, 4, 5]), NoiseFailure.Malformed },
        { "an empty frame", Frame([]), NoiseFailure.Malformed },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task A_bad_frame_on_an_established_connection_cuts_it_with_a_typed_reason(string what, byte[] bytes, NoiseFailure expected)
    {
        await using var target = await TargetHost.StartAsync();
        await using var witness = await Witness.ConnectAsync(target);
        await using var attacker = await Attacker.UpgradeAsync(target.Address);
        await Eventually.TrueAsync(() => target.Host.IsConnected(attacker.Identity.PeerId), Bound, "the attacker's connection registered");

        var timer = Stopwatch.StartNew();
        await attacker.Wire.InjectAsync(bytes);
        var cut = await attacker.WaitForCutAsync(timer, Bound);
        output.WriteLine($"{what}: cut after {cut.TotalMilliseconds:0.0} ms");

        var logged = await target.Log.WaitForAsync(e => e.EventId.Id == HostileEvents.Disconnected && e.Exception is MuxerClosedException, Bound);
        var reason = (MuxerClosedException)logged.Exception!;
        Assert.Equal(MuxerCloseKind.TransportClosed, reason.Kind);
        Assert.Equal(expected, Assert.IsType<NoiseException>(reason.InnerException).Reason);
        Assert.Equal(1, target.Host.Metrics.Disconnects.GetValueOrDefault(Key(expected)));
        await Eventually.TrueAsync(() => !target.Host.IsConnected(attacker.Identity.PeerId), Bound, "the attacker's connection was dropped");
        await witness.AssertTargetStillServesAsync();
    }

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task A_bad_frame_before_the_muxer_is_agreed_refuses_the_connection(string what, byte[] bytes, NoiseFailure expected)
    {
        await using var target = await TargetHost.StartAsync();
        await using var witness = await Witness.ConnectAsync(target);
        await using var attacker = await Attacker.DialAsync(target.Address);
        await attacker.SecureAsync();

        var timer = Stopwatch.StartNew();
        await attacker.Wire.InjectAsync(bytes);
        var cut = await attacker.WaitForCutAsync(timer, Bound);
        output.WriteLine($"{what} during the upgrade: cut after {cut.TotalMilliseconds:0.0} ms");

        var logged = await target.Log.WaitForAsync(e => e.EventId.Id == HostileEvents.UpgradeFailed && e.Exception is NoiseException, Bound);
        Assert.Equal(expected, ((NoiseException)logged.Exception!).Reason);
        Assert.Equal(1, target.Refusals(Key(expected)));
        Assert.False(target.Host.IsConnected(attacker.Identity.PeerId));
        await witness.AssertTargetStillServesAsync();
    }

    [Fact]
    public async Task A_frame_announcing_65535_bytes_that_never_come_is_cut_by_the_keep_alive()
    {
        var keepAlive = new YamuxOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(250), KeepAliveTimeout = TimeSpan.FromMilliseconds(500) };
        await using var target = await TargetHost.StartAsync(options => options with { Yamux = keepAlive });
        await using var witness = await Witness.ConnectAsync(target);
        await using var attacker = await Attacker.UpgradeAsync(target.Address);
        var answering = Task.Run(async () =>
        {
            try
            {
                // Answers the host's keep-alive pings until the host hangs up.
                await attacker.Yamux!.ExpectAsync(_ => false);
            }
            catch (Exception e) when (e is not TimeoutException)
            {
            }
            return Stopwatch.GetTimestamp();
        });

        // Answering pings is enough to stay connected through several keep-alive rounds...
        await Task.Delay(keepAlive.KeepAliveInterval!.Value * 3);
        Assert.True(target.Host.IsConnected(attacker.Identity.PeerId), "an attacker that answers pings was cut before it stalled");

        // ...but once its answers are stuck behind a frame that never completes, it is cut.
        var started = Stopwatch.GetTimestamp();
        await attacker.Wire.InjectAsync(new byte[] { 0xFF, 0xFF }.Concat(RandomNumberGenerator.GetBytes(100)).ToArray());
        var limit = keepAlive.KeepAliveInterval.Value + keepAlive.KeepAliveTimeout + Bound;
        var cut = Stopwatch.GetElapsedTime(started, await answering.WaitAsync(limit));
        output.WriteLine($"stalled 65535-byte frame: cut after {cut.TotalMilliseconds:0.0} ms (keep-alive {keepAlive.KeepAliveInterval.Value.TotalMilliseconds} + {keepAlive.KeepAliveTimeout.TotalMilliseconds} ms)");

        var logged = await target.Log.WaitForAsync(e => e.EventId.Id == HostileEvents.Disconnected && e.Exception is MuxerClosedException, Bound);
        Assert.Equal(MuxerCloseKind.KeepAliveTimeout, ((MuxerClosedException)logged.Exception!).Kind);
        Assert.Equal(1, target.Host.Metrics.Disconnects.GetValueOrDefault("keep-alive-timeout"));
        await witness.AssertTargetStillServesAsync();
    }

    private static string Key(NoiseFailure failure) => failure switch
    {
        NoiseFailure.DecryptionFailed => "noise-decryption-failed",
        NoiseFailure.Malformed => "noise-malformed",
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };
}
