using Overlay.Addressing;
using Overlay.Host;
using Overlay.Manifest.Keys;
using Overlay.Protocols.Identify;
using Overlay.Protocols.Ping;
using Overlay.Tests.Host;
using Overlay.Tests.Shared;
using Overlay.Tests.Support;

namespace Overlay.Tests.Interop;

/// <summary>Our host against a real js-libp2p 3 node (Node 22, from tests/js), both directions.</summary>
public sealed class JsLibp2pInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Js_dials_us_and_both_sides_identify_and_ping()
    {
        var (host, identify, ping) = await HostTests.StartHostAsync();
        await using var _ = host;
        await using var js = JsProcess.Start("libp2p-peer.mjs");
        var ready = await js.WaitForEventAsync(e => (string?)e["event"] == "ready", Timeout);
        var jsPeer = PeerId.Parse((string)ready["peerId"]!);

        var ourIdentify = new TaskCompletionSource<IdentifyMessage>();
        identify.Identified += (connection, message) => { if (connection.RemotePeer == jsPeer) ourIdentify.TrySetResult(message); };

        var dialed = await js.CommandAsync("dial", new { addr = host.ListenAddresses[0].WithPeer(host.PeerId.Bytes).ToString() }, Timeout);
        Assert.Equal(host.PeerId.ToString(), (string?)dialed["peer"]);
        Assert.Equal("/noise", (string?)dialed["encryption"]);
        Assert.Equal("/yamux/1.0.0", (string?)dialed["muxer"]);

        var jsSawUs = await js.WaitForEventAsync(e => (string?)e["event"] == "identify" && (string?)e["peer"] == host.PeerId.ToString(), Timeout);
        Assert.Equal(HostOptions.DefaultAgentVersion, (string?)jsSawUs["agentVersion"]);
        var theirView = jsSawUs["protocols"]!.AsArray().Select(p => (string?)p).ToArray();
        Assert.Contains(PingService.ProtocolId, theirView);
        Assert.Contains(IdentifyService.ProtocolId, theirView);

        var weSawThem = await ourIdentify.Task.WaitAsync(Timeout);
        Assert.Contains("js-libp2p", weSawThem.AgentVersion, StringComparison.Ordinal);
        Assert.Contains("/ipfs/ping/1.0.0", weSawThem.Protocols);
        Assert.Contains(EchoProtocol.Id, weSawThem.Protocols);

        var rtt = await js.CommandAsync("ping", new { addr = host.PeerId.ToString() }, Timeout);
        Assert.True((double)rtt["rttMs"]! >= 0);
        var ours = await ping.PingAsync(jsPeer, 3, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(3, ours.Count);
    }

    [Fact]
    public async Task We_dial_js_and_both_sides_identify_and_ping()
    {
        var (host, identify, ping) = await HostTests.StartHostAsync();
        await using var _ = host;
        await using var js = JsProcess.Start("libp2p-peer.mjs");
        var ready = await js.WaitForEventAsync(e => (string?)e["event"] == "ready", Timeout);
        var jsAddress = Multiaddr.Parse((string)ready["addrs"]![0]!);

        // The host identifies every new connection by itself; js serves one identify stream at a
        // time, so the test waits for that answer instead of asking a second time.
        var identified = new TaskCompletionSource<IdentifyMessage>();
        identify.Identified += (_, message) => identified.TrySetResult(message);
        var connection = await host.ConnectAsync(jsAddress).WaitAsync(Timeout);
        Assert.Equal(PeerId.Parse((string)ready["peerId"]!), connection.RemotePeer);
        var message = await identified.Task.WaitAsync(Timeout);
        Assert.Contains("js-libp2p", message.AgentVersion, StringComparison.Ordinal);
        Assert.Contains(jsAddress.WithoutPeer(), message.ListenAddresses);

        var jsSawUs = await js.WaitForEventAsync(e => (string?)e["event"] == "identify", Timeout);
        Assert.Equal(host.PeerId.ToString(), (string?)jsSawUs["peer"]);
        var info = await js.CommandAsync("peer", new { peer = host.PeerId.ToString() }, Timeout);
        Assert.Equal(HostOptions.DefaultAgentVersion, (string?)info["agentVersion"]);

        Assert.Equal(2, (await ping.PingAsync(connection.RemotePeer, 2, CancellationToken.None).WaitAsync(Timeout)).Count);
        await js.CommandAsync("ping", new { addr = host.PeerId.ToString() }, Timeout);
    }

    [Fact]
    public async Task A_hundred_concurrent_one_MiB_streams_echo_byte_exact_each_way()
    {
        var (host, _, _) = await HostTests.StartHostAsync();
        await using var _ = host;
        host.SetStreamHandler(EchoProtocol.Id, EchoProtocol.ServeAsync);
        await using var js = JsProcess.Start("libp2p-peer.mjs");
        var ready = await js.WaitForEventAsync(e => (string?)e["event"] == "ready", Timeout);
        var jsPeer = PeerId.Parse((string)ready["peerId"]!);
        await host.ConnectAsync(Multiaddr.Parse((string)ready["addrs"]![0]!)).WaitAsync(Timeout);

        // Their streams to our echo handler.
        var theirs = await js.CommandAsync("echo", new { peer = host.PeerId.ToString(), streams = 100, size = 1 << 20 }, TimeSpan.FromMinutes(3));
        Assert.Equal(100L << 20, (long)theirs["bytes"]!);

        // Our streams to their echo handler.
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => EchoProtocol.RoundTripAsync(host, jsPeer, i, 1 << 20))).WaitAsync(TimeSpan.FromMinutes(3));
    }
}
