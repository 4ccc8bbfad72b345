// Spec: https://specs.ipfs.tech/bitswap-protocol/
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Overlay.Bitswap.Client;
using Overlay.Bitswap.Messages;
using Overlay.Bitswap.Network;
using Overlay.Bitswap.Server;
using Overlay.Host;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;

namespace Overlay.Bitswap;

/// <summary>
/// Bitswap on a host (`/ipfs/bitswap/1.2.0`, also answering 1.1.0, 1.0.0 and bare
/// `/ipfs/bitswap`): a <see cref="BitswapServer"/> serving <c>store</c> and a
/// <see cref="BitswapClient"/> fetching into it, over one network layer. Create it before
/// connecting to peers so identify announces the protocols. Dispose it before the host.
/// </summary>
public sealed class BitswapService : IAsyncDisposable
{
    private readonly BackgroundTasks _tasks;
    private readonly Libp2pBitswapNetwork _network;
    private int _disposed;

    public BitswapService(Libp2pHost host, IBlockStore store, BitswapOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(store);
        Options = options ?? BitswapOptions.Default;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<BitswapService>();
        _tasks = new BackgroundTasks(logger);
        _network = new Libp2pBitswapNetwork(host, Options, Metrics, logger, _tasks);
        Server = new BitswapServer(_network, store, Options, Metrics, logger, _tasks);
        LocalStore = new AnnouncingBlockStore(store, Server);
        Client = new BitswapClient(_network, LocalStore, Options, Metrics, logger, _tasks);
        _network.PeerConnected += Client.PeerConnected;
        _network.PeerDisconnected += OnPeerDisconnected;
        _network.Start(ReceiveAsync);
        Blocks = new NetworkBlockStore(this);
    }

    public BitswapOptions Options { get; }

    public BitswapMetrics Metrics { get; } = new();

    public BitswapClient Client { get; }

    public BitswapServer Server { get; }

    /// <summary>The local store; a put here is offered to peers that want the block.</summary>
    public IBlockStore LocalStore { get; }

    /// <summary>Local first, then the network (see <see cref="NetworkBlockStore"/>).</summary>
    public NetworkBlockStore Blocks { get; }

    /// <summary>Connected peers we may exchange blocks with.</summary>
    public IReadOnlyCollection<PeerId> Peers => _network.Peers;

    private ValueTask ReceiveAsync(PeerId peer, BitswapMessage message, CancellationToken cancellationToken)
    {
        if (message.Wantlist.Count > 0 || message.FullWantlist)
        {
            Server.ReceiveWantlist(peer, message);
        }
        return message.Blocks.Count > 0 || message.Presences.Count > 0
            ? Client.ReceiveAsync(peer, message, cancellationToken)
            : ValueTask.CompletedTask;
    }

    private void OnPeerDisconnected(PeerId peer)
    {
        Server.PeerDisconnected(peer);
        Client.PeerDisconnected(peer);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _network.PeerConnected -= Client.PeerConnected;
        _network.PeerDisconnected -= OnPeerDisconnected;
        await _network.DisposeAsync().ConfigureAwait(false);
        Server.Stop();
        Client.Stop();
        await _tasks.DisposeAsync().ConfigureAwait(false);
    }
}
