using System.Text.Json;
using Overlay.Addressing;
using Overlay.Host;
using Overlay.Manifest.Keys;

namespace Overlay.Bench.P2p;

/// <summary>
/// `Overlay.Bench --serve`: a Libp2pHost on a loopback port serving the bench protocols. Prints
/// {"addr":"/ip4/127.0.0.1/tcp/N/p2p/…"} and serves until its standard input closes.
/// </summary>
internal static class P2pServer
{
    public static async Task<int> RunAsync()
    {
        var identity = Ed25519PrivateKey.Generate();
        await using var host = new Libp2pHost(new HostOptions
        {
            Identity = identity,
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        });
        host.SetStreamHandler(BenchProtocols.Sink, BenchProtocols.SinkAsync);
        host.SetStreamHandler(BenchProtocols.Ping, BenchProtocols.PingAsync);
        host.SetStreamHandler(BenchProtocols.Stats, BenchProtocols.StatsAsync);
        await host.StartAsync();
        var address = Multiaddr.Parse($"{host.ListenAddresses[0]}/p2p/{host.PeerId}");
        Console.WriteLine(JsonSerializer.Serialize(new { addr = address.ToString() }));
        await Console.Out.FlushAsync();
        await using var stdin = Console.OpenStandardInput();
        await stdin.CopyToAsync(Stream.Null);
        return 0;
    }
}
