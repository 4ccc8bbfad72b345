using System.Collections.Concurrent;
using Overlay.Addressing;
using Overlay.Host;
using Overlay.Manifest.Keys;
using Overlay.Protocols;
using Overlay.Protocols.Identify;
using Overlay.PubSub.Gossip;
using Overlay.PubSub.Rpc;

namespace Overlay.Tests.PubSub;

/// <summary>A bare host that speaks raw pubsub RPCs to a victim and records what it gets back.</summary>
internal sealed class HostilePeer : IAsyncDisposable
{
    private readonly Libp2pHost _host;
    private PeerStream? _stream;

    private HostilePeer(Libp2pHost host) => _host = host;

    public Ed25519PrivateKey Identity => _host.Identity;

    public PeerId PeerId => _host.PeerId;

    /// <summary>Every RPC the victim sent us, in order.</summary>
    public ConcurrentQueue<PubSubRpc> Received { get; } = new();

    public static Task<HostilePeer> ConnectAsync(PubSubNode victim, string protocol = GossipSubRouter.ProtocolV11) =>
        ConnectAsync(victim.Address, victim.Host.PeerId, protocol);

    /// <summary>Connects and opens our sending stream; <paramref name="protocol"/> is the only one we speak, both ways.</summary>
    public static async Task<HostilePeer> ConnectAsync(Multiaddr address, PeerId victim, string protocol = GossipSubRouter.ProtocolV11)
    {
        var host = new Libp2pHost(new HostOptions
        {
            Identity = Ed25519PrivateKey.Generate(),
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        });
        _ = new IdentifyService(host);
        var peer = new HostilePeer(host);
        host.SetStreamHandler(protocol, peer.RecordAsync);
        await host.StartAsync();
        await host.ConnectAsync(address).WaitAsync(PubSubNode.Timeout);
        peer._stream = await host.NewStreamAsync(victim, [protocol]).WaitAsync(PubSubNode.Timeout);
        return peer;
    }

    public async Task SendAsync(PubSubRpc rpc) => await SendRawAsync(PubSubRpcCodec.Encode(rpc), prefix: true);

    public async Task SendRawAsync(byte[] bytes, bool prefix)
    {
        if (prefix)
        {
            LengthPrefixedMessage.Write(_stream!.Output, bytes);
        }
        else
        {
            await _stream!.Output.WriteAsync(bytes);
        }
        await _stream.Output.FlushAsync();
    }

    private async Task RecordAsync(PeerStream stream, CancellationToken cancellationToken)
    {
        while (await LengthPrefixedMessage.ReadAsync(stream.Input, 8 << 20, "pubsub", cancellationToken) is { } bytes)
        {
            Received.Enqueue(PubSubRpcCodec.Decode(bytes, new RpcLimits { MaxRpcSize = 8 << 20 }));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }
        await _host.DisposeAsync();
    }
}
