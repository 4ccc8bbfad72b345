using System.Text.Json;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Keys;

/// <summary>Keys and peer IDs made by js-libp2p-noise, go-libp2p and boxo.</summary>
public sealed class InteropKeyFixtureTests
{
    public static TheoryData<string, string, string> NoisePeers()
    {
        var data = new TheoryData<string, string, string>();
        using var doc = JsonDocument.Parse(Fixtures.ReadText("js-libp2p-noise", "ed25519-peers.json"));
        foreach (var peer in doc.RootElement.GetProperty("peers").EnumerateArray())
        {
            data.Add(peer.GetProperty("id").GetString()!, peer.GetProperty("privKey").GetString()!, peer.GetProperty("pubKey").GetString()!);
        }
        return data;
    }

    [Fact]
    public void NoiseFixtureHasFourPeers() => Assert.Equal(4, NoisePeers().Count());

    [Theory]
    [MemberData(nameof(NoisePeers))]
    public void JsNoisePrivateKeyGivesItsPublicKeyAndPeerId(string id, string privateBase64, string publicBase64)
    {
        var privateProtobuf = Convert.FromBase64String(privateBase64);
        Assert.Equal(4 + 96, privateProtobuf.Length); // legacy seed || pub || pub form
        var key = Ed25519PrivateKey.FromProtobuf(privateProtobuf);
        Assert.Equal(Convert.FromBase64String(publicBase64), key.PublicKey.ToProtobuf());
        Assert.Equal(id, key.PeerId.ToString());
        Assert.Equal(key.PeerId, PeerId.Parse(id));
        Assert.True(PeerId.Parse(id).TryExtractPublicKey(out var extracted));
        Assert.Equal(key.PublicKey, extracted);

        // Re-encoding uses the 64-byte form, which reads back to the same key.
        var current = key.ToProtobuf();
        Assert.Equal(4 + 64, current.Length);
        Assert.Equal(privateProtobuf[..(4 + 64)][4..], current[4..]);
        Assert.Equal(key.PublicKey, Ed25519PrivateKey.FromProtobuf(current).PublicKey);
    }

    // go-libp2p core/crypto/test_data: N = KeyType (0 RSA, 2 secp256k1, 3 ECDSA); no Ed25519 there.
    [Theory]
    [InlineData(0, KeyType.Rsa, "Qm")]
    [InlineData(2, KeyType.Secp256k1, "16Uiu2")]
    [InlineData(3, KeyType.Ecdsa, "Qm")]
    public void GoLibp2pPublicKeysRoundTripAndGivePeerIds(int n, KeyType type, string prefix)
    {
        var pub = Fixtures.ReadBytes("go-libp2p", "core", "crypto", "test_data", $"{n}.pub");
        var key = PublicKey.FromProtobuf(pub);
        Assert.Equal(type, key.Type);
        Assert.Equal(pub, key.ToProtobuf());
        var peerId = key.ToPeerId();
        Assert.Equal(pub.Length <= PeerId.MaxInlineKeyLength ? Multicodec.Identity : Multicodec.Sha2_256, peerId.Multihash.Code);
        Assert.StartsWith(prefix, peerId.ToString(), StringComparison.Ordinal);
        Assert.Equal(peerId, PeerId.Parse(peerId.ToBase36Name()));

        // Their signatures (over "Libp2p is the _best_!") cannot be checked here: only Ed25519 verifies.
        var signature = Fixtures.ReadBytes("go-libp2p", "core", "crypto", "test_data", $"{n}.sig");
        Assert.False(key.CanVerify);
        Assert.Throws<VerificationException>(() => key.Verify("Libp2p is the _best_!"u8, signature));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    public void GoLibp2pPrivateKeysOfUnsupportedTypesAreRejected(int n)
    {
        var priv = Fixtures.ReadBytes("go-libp2p", "core", "crypto", "test_data", $"{n}.priv");
        Assert.Throws<MalformedDataException>(() => Ed25519PrivateKey.FromProtobuf(priv));
    }

    public static TheoryData<string, string, string> BoxoNames()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadAllLines(Fixtures.PathOf("ipfs-boxo", "ipns", "name_test-vectors.csv")).Skip(1))
        {
            if (line.Length > 0)
            {
                var p = line.Split(',');
                data.Add(p[0], p[1], p[2]);
            }
        }
        return data;
    }

    [Fact]
    public void BoxoFixtureHasFourNames() => Assert.Equal(4, BoxoNames().Count());

    [Theory]
    [MemberData(nameof(BoxoNames))]
    public void BoxoPeerIdAndIpnsNameConvertBothWays(string keyType, string peerIdText, string ipnsName)
    {
        var fromPeer = PeerId.Parse(peerIdText);
        var fromName = PeerId.Parse(ipnsName);
        Assert.Equal(fromPeer, fromName);
        Assert.Equal(ipnsName, fromPeer.ToBase36Name());
        Assert.Equal(peerIdText, fromName.ToString());
        var inline = fromPeer.TryExtractPublicKey(out var key);
        Assert.Equal(keyType is "Ed25519" or "Secp256k1", inline);
        if (inline)
        {
            Assert.Equal(keyType, key!.Type.ToString(), ignoreCase: true);
            Assert.True(fromPeer.Matches(key));
        }
    }
}
