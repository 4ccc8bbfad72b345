using Overlay.Addressing;
using Overlay.Host;
using Overlay.Manifest.Keys;
using Overlay.Protocols.Identify;
using Overlay.Protocols.Ping;
using Overlay.Tests.Support;

namespace Overlay.Tests.Host;

public sealed class HostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    internal static async Task<(Libp2pHost Host, IdentifyService Identify, PingService Ping)> StartHostAsync()
    {
        var host = new Libp2pHost(new HostOptions
        {
            Identity = Ed25519PrivateKey.Generate(),
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        });
        var identify = new IdentifyService(host);
        var ping = new PingService(host);
        await host.StartAsync();
        return (host, identify, ping);
    }

    [Fact]
    public async Task Two_hosts_connect_identify_each_other_and_ping()
    {
        var (a, identifyA, pingA) = await StartHostAsync();
        var (b, _, _) = await StartHostAsync();
        await using (a)
        await using (b)
        {
            var identified = new TaskCompletionSource<IdentifyMessage>();
            identifyA.Identified += (_, message) => identified.TrySetResult(message);
            var connection = await a.ConnectAsync(b.ListenAddresses[0].WithPeer(b.PeerId.Bytes)).WaitAsync(Timeout);
            Assert.Equal(b.PeerId, connection.RemotePeer);

            var message = await identified.Task.WaitAsync(Timeout);
            Assert.Equal(HostOptions.DefaultAgentVersion, message.AgentVersion);
            Assert.Contains(PingService.ProtocolId, message.Protocols);
            Assert.Contains(IdentifyService.ProtocolId, message.Protocols);
            Assert.Equal(b.ListenAddresses, message.ListenAddresses);
            Assert.StartsWith("overlay/", a.Peers.Get(b.PeerId)!.AgentVersion, StringComparison.Ordinal);

            var rtts = await pingA.PingAsync(b.PeerId, 5, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal(5, rtts.Count);
            Assert.All(rtts, rtt => Assert.True(rtt < TimeSpan.FromSeconds(1)));
        }
    }

    [Fact]
    public async Task A_hundred_concurrent_one_MiB_streams_echo_byte_exact()
    {
        var (a, _, _) = await StartHostAsync();
        var (b, _, _) = await StartHostAsync();
        await using (a)
        await using (b)
        {
            b.SetStreamHandler(EchoProtocol.Id, EchoProtocol.ServeAsync);
            await a.ConnectAsync(b.ListenAddresses[0].WithPeer(b.PeerId.Bytes)).WaitAsync(Timeout);
            await Task.WhenAll(Enumerable.Range(0, 100).Select(i => EchoProtocol.RoundTripAsync(a, b.PeerId, i, 1 << 20))).WaitAsync(TimeSpan.FromMinutes(2));
        }
    }

    [Fact]
    public async Task A_handler_that_throws_resets_the_stream()
    {
        var (a, _, _) = await StartHostAsync();
        var (b, _, _) = await StartHostAsync();
        await using (a)
        await using (b)
        {
            b.SetStreamHandler("/fails/1.0.0", (_, _) => throw new Overlay.Manifest.Errors.MalformedDataException("test", "bad request"));
            await a.ConnectAsync(b.ListenAddresses[0].WithPeer(b.PeerId.Bytes)).WaitAsync(Timeout);
            // The RST may even overtake the end of negotiation; either way the dialer sees a reset, never a clean end.
            await Assert.ThrowsAsync<Overlay.Muxing.StreamResetException>(async () =>
            {
                await using var stream = await a.NewStreamAsync(b.PeerId, ["/fails/1.0.0"]).WaitAsync(Timeout);
                while (!(await stream.Input.ReadAsync().AsTask().WaitAsync(Timeout)).IsCompleted)
                {
                }
            });
        }
    }

    [Fact]
    public async Task Connections_to_the_same_peer_are_reused()
    {
        var (a, _, _) = await StartHostAsync();
        var (b, _, _) = await StartHostAsync();
        await using (a)
        await using (b)
        {
            var address = b.ListenAddresses[0].WithPeer(b.PeerId.Bytes);
            var first = await a.ConnectAsync(address).WaitAsync(Timeout);
            var second = await a.ConnectAsync(address).WaitAsync(Timeout);
            Assert.Same(first, second);
            Assert.Single(a.Connections);
        }
    }

    [Fact]
    public async Task Dialling_the_wrong_peer_id_fails_and_leaves_no_connection()
    {
        var (a, _, _) = await StartHostAsync();
        var (b, _, _) = await StartHostAsync();
        await using (a)
        await using (b)
        {
            var wrong = Ed25519PrivateKey.Generate().PeerId;
            await Assert.ThrowsAnyAsync<Exception>(() => a.ConnectAsync(b.ListenAddresses[0].WithPeer(wrong.Bytes)).WaitAsync(Timeout));
            Assert.Empty(a.Connections);
        }
    }

    [Fact]
    public async Task Unknown_protocol_is_refused_and_the_connection_stays_usable()
    {
        var (a, _, pingA) = await StartHostAsync();
        var (b, _, _) = await StartHostAsync();
        await using (a)
        await using (b)
        {
            await a.ConnectAsync(b.ListenAddresses[0].WithPeer(b.PeerId.Bytes)).WaitAsync(Timeout);
            await Assert.ThrowsAsync<Overlay.Negotiation.NegotiationException>(() => a.NewStreamAsync(b.PeerId, ["/nope/1.0.0"]).WaitAsync(Timeout));
            Assert.Single(await pingA.PingAsync(b.PeerId, 1, CancellationToken.None).WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task Disposing_a_host_closes_its_connections_on_the_other_side()
    {
        var (a, _, _) = await StartHostAsync();
        var (b, _, _) = await StartHostAsync();
        await using (b)
        {
            var disconnected = new TaskCompletionSource();
            b.Disconnected += _ => disconnected.TrySetResult();
            await a.ConnectAsync(b.ListenAddresses[0].WithPeer(b.PeerId.Bytes)).WaitAsync(Timeout);
            await a.DisposeAsync().AsTask().WaitAsync(Timeout);
            await disconnected.Task.WaitAsync(Timeout);
            Assert.Empty(b.Connections);
        }
    }
}
