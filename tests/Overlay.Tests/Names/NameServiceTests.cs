using Overlay.Addressing;
using Overlay.Manifest.Ipns;
using Overlay.Manifest.Keys;
using Overlay.Names;
using Overlay.Node;
using Overlay.Repo;

namespace Overlay.Tests.Names;

/// <summary>The node's IPNS records: kept across restarts, sequence carried on, damaged or expired files dropped.</summary>
public sealed class NameServiceTests : IDisposable
{
    private static readonly Multiaddr[] Loopback = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "overlay-name-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Records_survive_a_restart_and_the_next_one_gets_the_next_sequence()
    {
        var repo = NewRepo();
        var key = Ed25519PrivateKey.Generate();
        await using (var node = await OverlayNode.StartAsync(repo, Loopback))
        {
            Assert.Equal(0UL, node.Names.Publish(key, "/ipfs/bafkqaaa").Sequence);
            Assert.Equal(1UL, node.Names.Publish(key, "/ipfs/bafkqaaa").Sequence);
        }
        var folder = Path.Combine(repo.RootPath, "ipns");
        var file = Path.Combine(folder, key.PeerId.ToBase36Name() + ".ipns");
        Assert.True(File.Exists(file));
        // Beside it: bytes that are not a record, an oversized file, and a record stored under another name.
        var other = Ed25519PrivateKey.Generate();
        File.WriteAllBytes(Path.Combine(folder, other.PeerId.ToBase36Name() + ".ipns"), [1, 2, 3]);
        var third = Ed25519PrivateKey.Generate();
        File.WriteAllBytes(Path.Combine(folder, third.PeerId.ToBase36Name() + ".ipns"), new byte[IpnsRecord.MaxSize + 1]);
        var fourth = Ed25519PrivateKey.Generate();
        File.Copy(file, Path.Combine(folder, fourth.PeerId.ToBase36Name() + ".ipns"));

        await using (var node = await OverlayNode.StartAsync(repo, Loopback))
        {
            var held = node.Names.Get(key.PeerId);
            Assert.NotNull(held);
            Assert.Equal(1UL, held.Sequence);
            Assert.Equal("/ipfs/bafkqaaa", held.Value);
            Assert.Null(node.Names.Get(other.PeerId));
            Assert.Null(node.Names.Get(third.PeerId));
            Assert.Null(node.Names.Get(fourth.PeerId));
            Assert.Equal(2UL, node.Names.Publish(key, "/ipfs/bafkqaaa").Sequence);
        }
        Assert.Equal([key.PeerId.ToBase36Name() + ".ipns"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Resolving_watches_at_most_the_configured_number_of_other_names()
    {
        await using var node = await OverlayNode.StartAsync(NewRepo(), new OverlayNodeOptions { ListenAddresses = Loopback, Names = new NameServiceOptions { MaxWatchedNames = 2 } });
        var own = Ed25519PrivateKey.Generate();
        node.Names.Publish(own, "/ipfs/bafkqaaa");
        var names = Enumerable.Range(0, 3).Select(_ => Ed25519PrivateKey.Generate().PeerId).ToArray();
        foreach (var name in names)
        {
            Assert.Null(await node.Names.ResolveAsync(name, TimeSpan.FromMilliseconds(10)));
        }
        var topics = node.PubSub.Topics.Where(t => t.StartsWith(IpnsTopic.Prefix, StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(3, topics.Count);
        Assert.Contains(IpnsTopic.For(own.PeerId), topics);
        Assert.Contains(IpnsTopic.For(names[0]), topics);
        Assert.Contains(IpnsTopic.For(names[1]), topics);
        Assert.DoesNotContain(IpnsTopic.For(names[2]), topics);
        // Our own name still resolves, from what we hold.
        Assert.Equal("/ipfs/bafkqaaa", (await node.Names.ResolveAsync(own.PeerId, TimeSpan.Zero))!.Value);
    }

    [Fact]
    public void The_topic_is_record_slash_base64url_of_the_ipns_routing_key()
    {
        // The example of ipns-utils / go-libp2p-pubsub-router: /ipns/ + the sha2-256 multihash.
        var name = PeerId.Parse("QmXMuMWm6k3CD3sHV824H2BT1ugcHKF6Tm13ZVM8RhGTB7");
        Assert.Equal("/record/L2lwbnMvEiCGC1J-0c8fai1qZlZ8I5fg8BYN36Tn6tPXsodDl3PTig", IpnsTopic.For(name));
    }

    [Fact]
    public async Task A_peer_subscribing_later_gets_our_record_at_once_not_at_the_next_republish()
    {
        var options = new OverlayNodeOptions { ListenAddresses = Loopback, Names = new NameServiceOptions { RepublishInterval = TimeSpan.FromHours(1) } };
        await using var a = await OverlayNode.StartAsync(NewRepo("a"), options);
        await using var b = await OverlayNode.StartAsync(NewRepo("b"), options);
        await b.Host.ConnectAsync(a.Addresses[0]);
        var key = Ed25519PrivateKey.Generate();
        a.Names.Publish(key, "/ipfs/bafkqaaa");
        // Past gossipsub's message history (5 heartbeats of 1 s): only A's answer to B's SUBSCRIBE can bring the record now.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var record = await b.Names.ResolveAsync(key.PeerId, TimeSpan.FromSeconds(20));
        Assert.Equal("/ipfs/bafkqaaa", record?.Value);
        Assert.Equal(1, b.Names.RecordsAccepted);
    }

    private OverlayRepo NewRepo(string name = "repo")
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
