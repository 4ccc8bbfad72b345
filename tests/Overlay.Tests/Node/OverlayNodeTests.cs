using System.Text;
using Overlay.Addressing;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.UnixFs;
using Overlay.Node;
using Overlay.PubSub;
using Overlay.Repo;
using Overlay.Tests.Bitswap;

namespace Overlay.Tests.Node;

/// <summary>The node a daemon runs: bitswap over the repo's blocks and pubsub, wired and torn down together.</summary>
public sealed class OverlayNodeTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly Multiaddr[] Loopback = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "overlay-node-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Two_nodes_exchange_a_file_through_their_repos_and_a_pubsub_message()
    {
        await using var a = await OverlayNode.StartAsync(NewRepo("a"), Loopback);
        await using var b = await OverlayNode.StartAsync(NewRepo("b"), Loopback);
        Assert.Contains("/ipfs/bitswap/1.2.0", a.Host.Protocols);
        Assert.Contains("/meshsub/1.1.0", a.Host.Protocols);
        Assert.Contains("/floodsub/1.0.0", a.Host.Protocols);

        var content = new byte[3_000_000];
        new Random(1).NextBytes(content);
        var root = (await new UnixFsImporter(a.LocalBlocks).ImportFileAsync(new MemoryStream(content))).Cid;
        Assert.True(await a.Repo.Blocks.HasAsync(root));

        using var subscription = b.PubSub.Subscribe("t");
        await b.Host.ConnectAsync(a.Addresses[0]).WaitAsync(Timeout);
        using var read = new MemoryStream();
        using var timeout = new CancellationTokenSource(Timeout);
        await foreach (var chunk in new UnixFsReader(b.CreateNetworkBlocks()).ReadAsync(root, cancellationToken: timeout.Token))
        {
            read.Write(chunk.Span);
        }
        Assert.Equal(content, read.ToArray());
        // Fetched blocks are kept in B's repo.
        Assert.True(await b.Repo.Blocks.HasAsync(root));

        await Eventually.TrueAsync(() => a.PubSub.GetPeers("t").Contains(b.PeerId), "A sees B subscribed", Timeout);
        a.PubSub.Publish("t", Encoding.UTF8.GetBytes("hi"));
        var message = await subscription.Messages.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(a.PeerId, message.From);
        Assert.Equal("hi", Encoding.UTF8.GetString(message.Data.Span));
    }

    [Fact]
    public void The_pubsub_router_comes_from_the_config_and_defaults_to_gossipsub()
    {
        var config = RepoConfig.CreateDefault("p");
        Assert.Equal(PubSubRouterKind.Gossipsub, OverlayNode.RouterOf(config));
        Assert.Equal(PubSubRouterKind.Gossipsub, OverlayNode.RouterOf(config with { Pubsub = null }));
        Assert.Equal(PubSubRouterKind.Floodsub, OverlayNode.RouterOf(config with { Pubsub = new PubsubConfig { Router = "floodsub" } }));
        Assert.Throws<MalformedDataException>(() => OverlayNode.RouterOf(config with { Pubsub = new PubsubConfig { Router = "Gossipsub" } }));
    }

    [Fact]
    public async Task A_floodsub_node_speaks_only_floodsub()
    {
        await using var node = await OverlayNode.StartAsync(NewRepo("f"), new OverlayNodeOptions { ListenAddresses = Loopback, PubSubRouter = PubSubRouterKind.Floodsub });
        Assert.Contains("/floodsub/1.0.0", node.Host.Protocols);
        Assert.DoesNotContain(node.Host.Protocols, p => p.StartsWith("/meshsub/", StringComparison.Ordinal));
    }

    private OverlayRepo NewRepo(string name)
    {
        var key = Ed25519PrivateKey.Generate();
        return OverlayRepo.Init(Path.Combine(_root, name), key.ToProtobuf(), key.PeerId.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test that produced it.
        }
    }
}
