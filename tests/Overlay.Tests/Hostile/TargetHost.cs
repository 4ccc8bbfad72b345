using Overlay.Addressing;
using Overlay.Host;
using Overlay.Manifest.Keys;
using Overlay.Protocols.Ping;
using Overlay.Tests.Support;

namespace Overlay.Tests.Hostile;

/// <summary>
/// The host under attack: a real <see cref="Libp2pHost"/> on 127.0.0.1 with ping and echo and a
/// log recorder. Its timeouts are roomy (an honest step on a loaded two-core machine can take a
/// few hundred milliseconds); the stall tests shorten them with <see cref="ShortTimeouts"/>.
/// </summary>
internal sealed class TargetHost : IAsyncDisposable
{
    /// <summary>UpgradeTimeout and StreamNegotiationTimeout of the stall tests.</summary>
    public static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan RoomyTimeout = TimeSpan.FromSeconds(3);

    private TargetHost(Libp2pHost host, RecordingLoggerProvider log)
    {
        Host = host;
        Log = log;
    }

    public Libp2pHost Host { get; }

    public RecordingLoggerProvider Log { get; }

    /// <summary>The listen address with our /p2p/ part.</summary>
    public Multiaddr Address => Host.ListenAddresses[0].WithPeer(Host.PeerId.Bytes);

    public static HostOptions DefaultOptions() => new()
    {
        Identity = Ed25519PrivateKey.Generate(),
        ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        UpgradeTimeout = RoomyTimeout,
        StreamNegotiationTimeout = RoomyTimeout,
    };

    public static HostOptions ShortTimeouts(HostOptions options) =>
        options with { UpgradeTimeout = ShortTimeout, StreamNegotiationTimeout = ShortTimeout };

    public static async Task<TargetHost> StartAsync(Func<HostOptions, HostOptions>? configure = null)
    {
        var log = new RecordingLoggerProvider();
        var options = DefaultOptions();
        var host = new Libp2pHost(configure is null ? options : configure(options), log);
        _ = new PingService(host);
        host.SetStreamHandler(EchoProtocol.Id, EchoProtocol.ServeAsync);
        await host.StartAsync();
        return new TargetHost(host, log);
    }

    /// <summary>How often the host refused for <paramref name="reason"/> so far.</summary>
    public long Refusals(string reason) => Host.Metrics.Refusals.GetValueOrDefault(reason);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
