using System.Text.Json;
using System.Text.RegularExpressions;
using Overlay.Manifest.Keys;

namespace Overlay.Cli.Tests.Daemon;

/// <summary><c>swarm connect/peers</c>, <c>ping</c> and live <c>id</c> between two daemons on one machine.</summary>
public sealed partial class SwarmPingIdTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly CliHarness _a = new();
    private readonly CliHarness _b = new();
    private InProcessDaemon _daemonA = null!;
    private InProcessDaemon _daemonB = null!;

    public async Task InitializeAsync()
    {
        await _a.InitAsync();
        await _b.InitAsync();
        _daemonA = await InProcessDaemon.StartAsync(_a);
        _daemonB = await InProcessDaemon.StartAsync(_b);
    }

    public async Task DisposeAsync()
    {
        Assert.Equal(0, await _daemonA.StopAsync());
        Assert.Equal(0, await _daemonB.StopAsync());
        await _daemonA.DisposeAsync();
        await _daemonB.DisposeAsync();
        _a.Dispose();
        _b.Dispose();
    }

    [Fact]
    public async Task Swarm_connect_then_each_daemon_lists_the_other_in_swarm_peers()
    {
        var connect = (await _a.RunAsync("swarm", "connect", _daemonB.SwarmAddress.ToString())).AssertSuccess();
        Assert.Equal($"connect {_daemonB.PeerId} success\n", connect.Text);

        var fromA = (await _a.RunAsync("swarm", "peers")).AssertSuccess();
        Assert.Equal([$"{_daemonB.SwarmAddress}"], fromA.Lines);

        var fromB = await EventuallyAsync(() => _b.RunAsync("swarm", "peers"), run => run.Text.Contains(_daemonA.PeerId, StringComparison.Ordinal));
        var line = Assert.Single(fromB.Lines);
        Assert.Matches($"^/ip4/127.0.0.1/tcp/[0-9]+/p2p/{_daemonA.PeerId}$", line);

        using var jsonA = JsonDocument.Parse((await _a.RunAsync("swarm", "peers", "--json")).AssertSuccess().Output);
        var peerOfA = Assert.Single(jsonA.RootElement.GetProperty("Peers").EnumerateArray());
        Assert.Equal(_daemonB.PeerId, peerOfA.GetProperty("Peer").GetString());
        Assert.Equal(2, peerOfA.GetProperty("Direction").GetInt32());
        using var jsonB = JsonDocument.Parse((await _b.RunAsync("swarm", "peers", "--json")).AssertSuccess().Output);
        Assert.Equal(1, Assert.Single(jsonB.RootElement.GetProperty("Peers").EnumerateArray()).GetProperty("Direction").GetInt32());

        // Connecting again reuses the connection.
        (await _a.RunAsync("swarm", "connect", _daemonB.SwarmAddress.ToString())).AssertSuccess();
        Assert.Single((await _a.RunAsync("swarm", "peers")).AssertSuccess().Lines);
    }

    [Fact]
    public async Task Swarm_connect_failures_are_one_line_errors()
    {
        var closedPort = DaemonTests.FreePorts(1)[0];
        (await _a.RunAsync("swarm", "connect", $"/ip4/127.0.0.1/tcp/{closedPort}/p2p/{_daemonB.PeerId}"))
            .AssertOneLineError($"connect {_daemonB.PeerId} failure: ");
        (await _a.RunAsync("swarm", "connect", "/ip4/999.0.0.1/tcp/1")).AssertOneLineError("invalid multiaddr \"/ip4/999.0.0.1/tcp/1\"");
        (await _a.RunAsync("swarm", "connect", _daemonA.SwarmAddress.ToString())).AssertOneLineError("cannot dial ourselves");
        // B answers at that address, but is not the peer the address names.
        var impostor = Ed25519PrivateKey.Generate().PeerId;
        (await _a.RunAsync("swarm", "connect", $"{_daemonB.SwarmAddress.WithoutPeer()}/p2p/{impostor}"))
            .AssertOneLineError($"connect {impostor} failure: ");
    }

    [Fact]
    public async Task Ping_three_times_prints_kubo_lines_and_the_average()
    {
        (await _a.RunAsync("swarm", "connect", _daemonB.SwarmAddress.ToString())).AssertSuccess();

        var ping = (await _a.RunAsync("ping", "-n", "3", _daemonB.PeerId)).AssertSuccess();

        Assert.Equal(5, ping.Lines.Length);
        Assert.Equal($"PING {_daemonB.PeerId}.", ping.Lines[0]);
        Assert.All(ping.Lines[1..4], line => Assert.Matches(PongLine(), line));
        Assert.Matches(AverageLine(), ping.Lines[4]);
        var pongs = ping.Lines[1..4].Select(l => double.Parse(PongLine().Match(l).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var average = double.Parse(AverageLine().Match(ping.Lines[4]).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(average, pongs.Min() - 0.01, pongs.Max() + 0.01);

        // The measured round trip shows up in swarm peers, as kubo's Latency.
        using var peers = JsonDocument.Parse((await _a.RunAsync("swarm", "peers", "--json")).AssertSuccess().Output);
        Assert.Matches("^[0-9.]+(ns|µs|ms|s)$", peers.RootElement.GetProperty("Peers")[0].GetProperty("Latency").GetString());
    }

    [Fact]
    public async Task Ping_a_multiaddr_dials_it_first_and_json_gives_each_reply()
    {
        var ping = (await _b.RunAsync("ping", "-n", "2", "--json", _daemonA.SwarmAddress.ToString())).AssertSuccess();

        var replies = ping.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(4, replies.Length);
        Assert.Equal($"PING {_daemonA.PeerId}.", replies[0].GetProperty("Text").GetString());
        Assert.All(replies[1..3], r => Assert.True(r.GetProperty("Success").GetBoolean() && r.GetProperty("Time").GetInt64() > 0));
        Assert.StartsWith("Average latency: ", replies[3].GetProperty("Text").GetString(), StringComparison.Ordinal);
        Assert.Contains(_daemonA.PeerId, (await _b.RunAsync("swarm", "peers")).AssertSuccess().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_errors_are_one_line()
    {
        (await _a.RunAsync("ping", _daemonA.PeerId)).AssertOneLineError("cannot ping ourselves");
        var stranger = Ed25519PrivateKey.Generate().PeerId;
        (await _a.RunAsync("ping", "-n", "1", stranger.ToString())).AssertOneLineError(stranger.ToString());
        (await _a.RunAsync("ping", "not-a-peer")).AssertOneLineError("invalid peer ID \"not-a-peer\"");
        (await _a.RunAsync("ping", "-n", "0", _daemonB.PeerId)).AssertOneLineError("--count must be at least 1");
    }

    [Fact]
    public async Task Id_shows_live_addresses_and_protocols_while_the_daemon_runs()
    {
        var id = (await _a.RunAsync("id")).AssertSuccess();
        Assert.Equal($"ID: {_daemonA.PeerId}", id.Lines[0]);
        Assert.StartsWith("PublicKey: ", id.Lines[1], StringComparison.Ordinal);
        Assert.Equal($"AgentVersion: overlay/{CliContext.Version}", id.Lines[2]);
        Assert.Equal("Addresses:", id.Lines[3]);
        Assert.Equal($"  {_daemonA.SwarmAddress}", id.Lines[4]);
        Assert.Equal("Protocols:", id.Lines[5]);
        // identify, ping, bitswap (1.2.0 and the older versions it answers) and pubsub (gossipsub, which also speaks floodsub).
        Assert.Equal(
            ["  /floodsub/1.0.0", "  /ipfs/bitswap", "  /ipfs/bitswap/1.0.0", "  /ipfs/bitswap/1.1.0", "  /ipfs/bitswap/1.2.0", "  /ipfs/id/1.0.0", "  /ipfs/id/push/1.0.0", "  /ipfs/ping/1.0.0", "  /meshsub/1.0.0", "  /meshsub/1.1.0"],
            id.Lines[6..]);

        using var json = JsonDocument.Parse((await _a.RunAsync("id", "--json")).AssertSuccess().Output);
        Assert.Equal([_daemonA.SwarmAddress.ToString()], json.RootElement.GetProperty("Addresses").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("/ipfs/ping/1.0.0", json.RootElement.GetProperty("Protocols").EnumerateArray().Select(a => a.GetString()));

        Assert.Equal($"{_daemonA.SwarmAddress}\n", (await _a.RunAsync("id", "-f", "<addrs>\\n")).AssertSuccess().Text);
    }

    [Fact]
    public async Task Id_of_another_peer_shows_what_identify_learnt()
    {
        (await _a.RunAsync("swarm", "connect", _daemonB.SwarmAddress.ToString())).AssertSuccess();

        var other = await EventuallyAsync(() => _a.RunAsync("id", _daemonB.PeerId, "--json"), run => run.Text.Contains("/ipfs/ping/1.0.0", StringComparison.Ordinal));

        using var json = JsonDocument.Parse(other.AssertSuccess().Output);
        Assert.Equal(_daemonB.PeerId, json.RootElement.GetProperty("ID").GetString());
        Assert.Equal($"overlay/{CliContext.Version}", json.RootElement.GetProperty("AgentVersion").GetString());
        Assert.Contains(_daemonB.SwarmAddress.ToString(), json.RootElement.GetProperty("Addresses").EnumerateArray().Select(a => a.GetString()));
        var key = PublicKey.FromProtobuf(Convert.FromBase64String(json.RootElement.GetProperty("PublicKey").GetString()!));
        Assert.Equal(_daemonB.PeerId, key.ToPeerId().ToString());

        (await _a.RunAsync("id", Ed25519PrivateKey.Generate().PeerId.ToString())).AssertOneLineError("is not known: connect to it first");
    }

    private static async Task<CliRun> EventuallyAsync(Func<Task<CliRun>> run, Func<CliRun, bool> done)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var result = await run();
            if (done(result) || DateTime.UtcNow > deadline)
            {
                return result;
            }
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"^Pong received: time=([0-9]+\.[0-9]{2}) ms$")]
    private static partial Regex PongLine();

    [GeneratedRegex(@"^Average latency: ([0-9]+\.[0-9]{2})ms$")]
    private static partial Regex AverageLine();
}
