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
    public void The_topic_is_record_slash_base64url_of_the_ipns_routing_key()
    {
        // The example of ipns-utils / go-libp2p-pubsub-router: /ipns/ + the sha2-256 multihash.
        var name = PeerId.Parse("QmXMuMWm6k3CD3sHV824H2BT1ugcHKF6Tm13ZVM8RhGTB7");
        Assert.Equal("/record/L2lwbnMvEiCGC1J-0c8fai1qZlZ8I5fg8BYN36Tn6tPXsodDl3PTig", IpnsTopic.For(name));
    }

    private OverlayRepo NewRepo()
    {
        var key = Ed25519PrivateKey.Generate();
        return OverlayRepo.Init(Path.Combine(_root, "repo"), key.ToProtobuf(), key.PeerId.ToString());
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
