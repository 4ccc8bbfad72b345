using System.Threading.Channels;
using Overlay.Bitswap.Messages;
using Overlay.Host;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Bitswap.Network;
using Overlay.Tests.Host;
using Overlay.Protocols;

namespace Overlay.Tests.Bitswap;

/// <summary>
/// A host that speaks bitswap by hand: it records what it receives, answers through a callback
/// (so a test can make it lie), and sends whatever bytes a test gives it.
/// </summary>
internal sealed class RawBitswapPeer : IAsyncDisposable
{
    private RawBitswapPeer(Libp2pHost host) => Host = host;

    public Libp2pHost Host { get; }

    public Channel<(PeerId Peer, BitswapMessage Message)> Received { get; } = Channel.CreateUnbounded<(PeerId, BitswapMessage)>();

    /// <summary>Called for every message received; the default says nothing back.</summary>
    public Func<PeerId, BitswapMessage, Task>? OnMessage { get; set; }

    public static async Task<RawBitswapPeer> StartAsync(params string[] protocols)
    {
        var (host, _, _) = await HostTests.StartHostAsync();
        var peer = new RawBitswapPeer(host);
        foreach (var protocol in protocols.Length == 0 ? [BitswapProtocols.V120] : protocols)
        {
            host.SetStreamHandler(protocol, peer.ReceiveAsync);
        }
        return peer;
    }

    public Task<PeerConnection> ConnectAsync(Libp2pHost other) =>
        Host.ConnectAsync(other.ListenAddresses[0].WithPeer(other.PeerId.Bytes));

    public async Task SendAsync(PeerId peer, BitswapMessage message, string protocol = BitswapProtocols.V120)
    {
        var encoded = message.Encode(BitswapProtocols.VersionOf(protocol));
        var frame = new byte[Varint.EncodedLength((ulong)encoded.Length) + encoded.Length];
        var offset = Varint.Write((ulong)encoded.Length, frame);
        encoded.CopyTo(frame, offset);
        await SendRawAsync(peer, frame, protocol);
    }

    /// <summary>Writes <paramref name="bytes"/> on a new stream and closes it.</summary>
    public async Task SendRawAsync(PeerId peer, byte[] bytes, string protocol = BitswapProtocols.V120)
    {
        await using var stream = await Host.NewStreamAsync(peer, [protocol]);
        await stream.Output.WriteAsync(bytes);
        await stream.Output.CompleteAsync();
    }

    /// <summary>Writes <paramref name="bytes"/> on a new stream and keeps it open for the caller.</summary>
    public async Task<PeerStream> OpenAndWriteAsync(PeerId peer, byte[] bytes, string protocol = BitswapProtocols.V120)
    {
        var stream = await Host.NewStreamAsync(peer, [protocol]);
        await stream.Output.WriteAsync(bytes);
        return stream;
    }

    public async Task<BitswapMessage> NextAsync(TimeSpan timeout, Func<BitswapMessage, bool>? predicate = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var (_, message) = await Received.Reader.ReadAsync(cts.Token);
            if (predicate is null || predicate(message))
            {
                return message;
            }
        }
    }

    private async Task ReceiveAsync(PeerStream stream, CancellationToken cancellationToken)
    {
        while (await LengthPrefixedMessage.ReadAsync(stream.Input, BitswapLimits.MaxMessageSize, "bitswap", cancellationToken) is { } bytes)
        {
            var message = BitswapMessage.Decode(bytes);
            Received.Writer.TryWrite((stream.RemotePeer, message));
            if (OnMessage is { } handler)
            {
                await handler(stream.RemotePeer, message);
            }
        }
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
