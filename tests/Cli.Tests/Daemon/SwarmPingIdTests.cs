using System.Text.Json;
using System.Text.RegularExpressions;
using Overlay.Manifest.Keys;

namespace Overlay.Cli.Tests.Daemon;

/// <summary><c>swarm connect/peers</c>, <c>ping</c> and live <c>id</c> between two daemons on one machine.</summary>
public sealed partial class SwarmPingIdTests : TwoDaemonsTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);


    [Fact]
    public async Task Swarm_connect_then_each_daemon_lists_the_other_in_swarm_peers()
    {
        var connect = (await A.RunAsync("swarm", "connect", DaemonB.SwarmAddress.ToString())).AssertSuccess();
        Assert.Equal($"connect {DaemonB.PeerId} success\n", connect.Text);

        var fromA = (await A.RunAsync("swarm", "peers")).AssertSuccess();
        Assert.Equal([$"{DaemonB.SwarmAddress}"], fromA.Lines);

        var fromB = await EventuallyAsync(() => B.RunAsync("swarm", "peers"), run => run.Text.Contains(DaemonA.PeerId, StringComparison.Ordinal));
        var line = Assert.Single(fromB.Lines);
        Assert.Matches($"^/ip4/127.0.0.1/tcp/[0-9]+/p2p/{DaemonA.PeerId}$", line);

        using var jsonA = JsonDocument.Parse((await A.RunAsync("swarm", "peers", "--json")).AssertSuccess().Output);
        var peerOfA = Assert.Single(jsonA.RootElement.GetProperty("Peers").EnumerateArray());
        Assert.Equal(DaemonB.PeerId, peerOfA.GetProperty("Peer").GetString());
        Assert.Equal(2, peerOfA.GetProperty("Direction").GetInt32());
        using var jsonB = JsonDocument.Parse((await B.RunAsync("swarm", "peers", "--json")).AssertSuccess().Output);
        Assert.Equal(1, Assert.Single(jsonB.RootElement.GetProperty("Peers").EnumerateArray()).GetProperty("Direction").GetInt32());

        // Connecting again reuses the connection.
        (await A.RunAsync("swarm", "connect", DaemonB.SwarmAddress.ToString())).AssertSuccess();
        Assert.Single((await A.RunAsync("swarm", "peers")).AssertSuccess().Lines);
    }

    [Fact]
    public async Task Swarm_connect_failures_are_one_line_errors()
    {
        var closedPort = DaemonTests.FreePorts(1)[0];
        (await A.RunAsync("swarm", "connect", $"/ip4/127.0.0.1/tcp/{closedPort}/p2p/{DaemonB.PeerId}"))
            .AssertOneLineError($"connect {DaemonB.PeerId} failure: ");
        (await A.RunAsync("swarm", "connect", "/ip4/999.0.0.1/tcp/1")).AssertOneLineError("invalid multiaddr \"/ip4/999.0.0.1/tcp/1\"");
        (await A.RunAsync("swarm", "connect", DaemonA.SwarmAddress.ToString())).AssertOneLineError("cannot dial ourselves");
        // B answers at that address, but is not the peer the address names.
        var impostor = Ed25519PrivateKey.Generate().PeerId;
        (await A.RunAsync("swarm", "connect", $"{DaemonB.SwarmAddress.WithoutPeer()}/p2p/{impostor}"))
            .AssertOneLineError($"connect {impostor} failure: ");
    }

    [Fact]
    public async Task Ping_three_times_prints_kubo_lines_and_the_average()
    {
        (await A.RunAsync("swarm", "connect", DaemonB.SwarmAddress.ToString())).AssertSuccess();

        var ping = (await A.RunAsync("ping", "-n", "3", DaemonB.PeerId)).AssertSuccess();

        Assert.Equal(5, ping.Lines.Length);
        Assert.Equal($"PING {DaemonB.PeerId}.", ping.Lines[0]);
        Assert.All(ping.Lines[1..4], line => Assert.Matches(PongLine(), line));
        Assert.Matches(AverageLine(), ping.Lines[4]);
        var pongs = ping.Lines[1..4].Select(l => double.Parse(PongLine().Match(l).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var average = double.Parse(AverageLine().Match(ping.Lines[4]).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(average, pongs.Min() - 0.01, pongs.Max() + 0.01);

        // The measured round trip shows up in swarm peers, as kubo's Latency.
        using var peers = JsonDocument.Parse((await A.RunAsync("swarm", "peers", "--json")).AssertSuccess().Output);
        Assert.Matches("^[0-9.]+(ns|µs|ms|s)$", peers.RootElement.GetProperty("Peers")[0].GetProperty("Latency").GetString());
    }

    [Fact]
    public async Task Ping_a_multiaddr_dials_it_first_and_json_gives_each_reply()
    {
        var ping = (await B.RunAsync("ping", "-n", "2", "--json", DaemonA.SwarmAddress.ToString())).AssertSuccess();

        var replies = ping.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(4, replies.Length);
        Assert.Equal($"PING {DaemonA.PeerId}.", replies[0].GetProperty("Text").GetString());
        Assert.All(replies[1..3], r => Assert.True(r.GetProperty("Success").GetBoolean() && r.GetProperty("Time").GetInt64() > 0));
        Assert.StartsWith("Average latency: ", replies[3].GetProperty("Text").GetString(), StringComparison.Ordinal);
        Assert.Contains(DaemonA.PeerId, (await B.RunAsync("swarm", "peers")).AssertSuccess().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_errors_are_one_line()
    {
        (await A.RunAsync("ping", DaemonA.PeerId)).AssertOneLineError("cannot ping ourselves");
        var stranger = Ed25519PrivateKey.Generate().PeerId;
        (await A.RunAsync("ping", "-n", "1", stranger.ToString())).AssertOneLineError(stranger.ToString());
        (await A.RunAsync("ping", "not-a-peer")).AssertOneLineError("invalid peer ID \"not-a-peer\"");
        (await A.RunAsync("ping", "-n", "0", DaemonB.PeerId)).AssertOneLineError("--count must be at least 1");
    }

    [Fact]
    public async Task Id_shows_live_addresses_and_protocols_while_the_daemon_runs()
    {
        var id = (await A.RunAsync("id")).AssertSuccess();
        Assert.Equal($"ID: {DaemonA.PeerId}", id.Lines[0]);
        Assert.StartsWith("PublicKey: ", id.Lines[1], StringComparison.Ordinal);
        Assert.Equal($"AgentVersion: overlay/{CliContext.Version}", id.Lines[2]);
        Assert.Equal("Addresses:", id.Lines[3]);
        Assert.Equal($"  {DaemonA.SwarmAddress}", id.Lines[4]);
        Assert.Equal("Protocols:", id.Lines[5]);
        // identify, ping, bitswap (1.2.0 and the older versions it answers), pubsub (gossipsub, which also speaks floodsub) and stream sync.
        Assert.Equal(
            ["  /floodsub/1.0.0", "  /ipfs/bitswap", "  /ipfs/bitswap/1.0.0", "  /ipfs/bitswap/1.1.0", "  /ipfs/bitswap/1.2.0", "  /ipfs/id/1.0.0", "  /ipfs/id/push/1.0.0", "  /ipfs/ping/1.0.0", "  /meshsub/1.0.0", "  /meshsub/1.1.0", "  /meshsub/1.2.0", "  /overlay/sync/1.0.0"],
            id.Lines[6..]);

        using var json = JsonDocument.Parse((await A.RunAsync("id", "--json")).AssertSuccess().Output);
        Assert.Equal([DaemonA.SwarmAddress.ToString()], json.RootElement.GetProperty("Addresses").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("/ipfs/ping/1.0.0", json.RootElement.GetProperty("Protocols").EnumerateArray().Select(a => a.GetString()));

        Assert.Equal($"{DaemonA.SwarmAddress}\n", (await A.RunAsync("id", "-f", "<addrs>\\n")).AssertSuccess().Text);
    }

    [Fact]
    public async Task Id_of_another_peer_shows_what_identify_learnt()
    {
        (await A.RunAsync("swarm", "connect", DaemonB.SwarmAddress.ToString())).AssertSuccess();

        var other = await EventuallyAsync(() => A.RunAsync("id", DaemonB.PeerId, "--json"), run => run.Text.Contains("/ipfs/ping/1.0.0", StringComparison.Ordinal));

        using var json = JsonDocument.Parse(other.AssertSuccess().Output);
        Assert.Equal(DaemonB.PeerId, json.RootElement.GetProperty("ID").GetString());
        Assert.Equal($"overlay/{CliContext.Version}", json.RootElement.GetProperty("AgentVersion").GetString());
        Assert.Contains(DaemonB.SwarmAddress.ToString(), json.RootElement.GetProperty("Addresses").EnumerateArray().Select(a => a.GetString()));
        var key = PublicKey.FromProtobuf(Convert.FromBase64String(json.RootElement.GetProperty("PublicKey").GetString()!));
        Assert.Equal(DaemonB.PeerId, key.ToPeerId().ToString());

        (await A.RunAsync("id", Ed25519PrivateKey.Generate().PeerId.ToString())).AssertOneLineError("is not known: connect to it first");
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
