using System.Diagnostics;
using Overlay.Host;
using Overlay.Manifest.Keys;
using Overlay.Protocols.Ping;

namespace Overlay.Tests.Hostile;

/// <summary>
/// An honest third peer (a real <see cref="Libp2pHost"/> with <see cref="PingService"/>) that
/// checks the target keeps serving others while it is attacked.
/// </summary>
internal sealed class Witness : IAsyncDisposable
{
    /// <summary>A loopback ping far slower than this means the attack hurt other peers.</summary>
    public static readonly TimeSpan FastPing = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private readonly TargetHost _target;

    private Witness(Libp2pHost host, PingService ping, TargetHost target)
    {
        Host = host;
        Ping = ping;
        _target = target;
    }

    public Libp2pHost Host { get; }

    public PingService Ping { get; }

    /// <summary>Starts an honest host and connects it to <paramref name="target"/>.</summary>
    public static async Task<Witness> ConnectAsync(TargetHost target)
    {
        var host = new Libp2pHost(new HostOptions { Identity = Ed25519PrivateKey.Generate() });
        var ping = new PingService(host);
        await host.StartAsync();
        var witness = new Witness(host, ping, target);
        await host.ConnectAsync(target.Address).WaitAsync(Bound);
        return witness;
    }

    /// <summary>Pings the target <paramref name="count"/> times on the existing connection; returns the round trips.</summary>
    public async Task<IReadOnlyList<TimeSpan>> PingAsync(int count = 3)
    {
        var rtts = await Ping.PingAsync(_target.Host.PeerId, count, CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(count, rtts.Count);
        return rtts;
    }

    /// <summary>The connection made before the attack still works, and so does a fresh one from a new peer.</summary>
    public async Task AssertTargetStillServesAsync()
    {
        Assert.True(Host.IsConnected(_target.Host.PeerId), "the attack cost an honest peer its connection");
        var rtts = await PingAsync();
        Assert.All(rtts, rtt => Assert.True(rtt < FastPing * 5, $"ping took {rtt.TotalMilliseconds:0.0} ms"));
        var started = Stopwatch.StartNew();
        await using var fresh = await ConnectAsync(_target);
        await fresh.PingAsync(1);
        Assert.True(started.Elapsed < Bound, $"a fresh honest connection took {started.Elapsed}");
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
