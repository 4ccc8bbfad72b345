using Overlay.Addressing;
using Overlay.Host;
using Overlay.Manifest.Keys;
using Overlay.PubSub;
using Overlay.PubSub.Gossip;
using Overlay.Protocols.Identify;

namespace Overlay.Tests.PubSub;

/// <summary>An in-process host with a pubsub service, for the multi-node tests.</summary>
internal sealed class PubSubNode : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private PubSubNode(Libp2pHost host, PubSubService pubSub)
    {
        Host = host;
        PubSub = pubSub;
    }

    public Libp2pHost Host { get; }

    public PubSubService PubSub { get; }

    public Multiaddr Address => Host.ListenAddresses[0].WithPeer(Host.PeerId.Bytes);

    public static PubSubOptions FastOptions(PubSubRouterKind router) => new()
    {
        Router = router,
        GossipSub = new GossipSubParameters { HeartbeatInterval = TimeSpan.FromMilliseconds(100) },
    };

    public static async Task<PubSubNode> StartAsync(PubSubOptions options)
    {
        var host = new Libp2pHost(new HostOptions
        {
            Identity = Ed25519PrivateKey.Generate(),
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        });
        _ = new IdentifyService(host);
        var pubSub = new PubSubService(host, options);
        await host.StartAsync();
        return new PubSubNode(host, pubSub);
    }

    public static async Task<PubSubNode[]> StartManyAsync(int count, PubSubOptions options)
    {
        var nodes = new PubSubNode[count];
        for (var i = 0; i < count; i++)
        {
            nodes[i] = await StartAsync(options);
        }
        return nodes;
    }

    public async Task ConnectAsync(PubSubNode other) => await Host.ConnectAsync(other.Address).WaitAsync(Timeout);

    /// <summary>Waits until <paramref name="check"/> holds, polling (pubsub state settles over heartbeats).</summary>
    public static async Task EventuallyAsync(Func<bool> check, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (!check())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
            await Task.Delay(25);
        }
    }

    /// <summary>Reads messages until <paramref name="count"/> arrived, or throws on timeout.</summary>
    public static async Task<List<PubSubMessage>> ReadAsync(PubSubSubscription subscription, int count, TimeSpan? timeout = null)
    {
        var messages = new List<PubSubMessage>();
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        try
        {
            while (messages.Count < count)
            {
                messages.Add(await subscription.Messages.ReadAsync(cts.Token));
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"got {messages.Count} of {count} messages on {subscription.Topic}");
        }
        return messages;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
