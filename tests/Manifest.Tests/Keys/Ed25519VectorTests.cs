using System.Text.Json;
using Overlay.Manifest.Keys;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Keys;

/// <summary>RFC 8032 known answers (ed25519-dalek TESTVECTORS) and Wycheproof verify edge cases.</summary>
public sealed class Ed25519VectorTests
{
    // sign.input format: "seed||pk:pk:msg:sig||msg:" (hex). Lines 1-3 are RFC 8032 §7.1 TEST 1-3.
    public static TheoryData<int, string> SignInputLines()
    {
        var data = new TheoryData<int, string>();
        var lines = File.ReadAllLines(Fixtures.PathOf("ed25519-dalek-vectors", "ed25519-dalek", "TESTVECTORS"));
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length > 0)
            {
                data.Add(i + 1, lines[i]);
            }
        }
        return data;
    }

    [Fact]
    public void TestVectorFileHasAll128Lines() => Assert.Equal(128, SignInputLines().Count());

    [Theory]
    [MemberData(nameof(SignInputLines))]
    public void SignInputLineSignsAndVerifies(int line, string text)
    {
        var parts = text.Split(':');
        var seed = Convert.FromHexString(parts[0][..64]);
        var expectedPublic = Convert.FromHexString(parts[1]);
        var message = Convert.FromHexString(parts[2]);
        var expectedSignature = Convert.FromHexString(parts[3][..128]);

        var key = Ed25519PrivateKey.FromSeed(seed);
        Assert.Equal(expectedPublic, key.PublicKey.ToArray());
        Assert.Equal(expectedSignature, key.Sign(message));
        Assert.True(key.PublicKey.Verify(message, expectedSignature), $"line {line}");

        var tampered = message.Length == 0 ? [0] : (byte[])message.Clone();
        if (message.Length > 0)
        {
            tampered[^1] ^= 1;
        }
        Assert.False(key.PublicKey.Verify(tampered, expectedSignature), $"line {line} tampered");
    }

    [Fact]
    public void Rfc8032Test1IsTheFirstLine()
    {
        // RFC 8032 §7.1 TEST 1: SECRET KEY 9d61b1…7f60, PUBLIC KEY d75a98…511a, empty message.
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(key.PublicKey.Bytes));
        Assert.Equal(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            Convert.ToHexStringLower(key.Sign([])));
    }

    public static TheoryData<int, string, string, string, bool> WycheproofCases()
    {
        var data = new TheoryData<int, string, string, string, bool>();
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.PathOf("wycheproof", "testvectors_v1", "ed25519_test.json")));
        foreach (var group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            var pk = group.GetProperty("publicKey").GetProperty("pk").GetString()!;
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var result = test.GetProperty("result").GetString();
                Assert.True(result is "valid" or "invalid", $"unexpected result '{result}'");
                data.Add(
                    test.GetProperty("tcId").GetInt32(),
                    pk,
                    test.GetProperty("msg").GetString()!,
                    test.GetProperty("sig").GetString()!,
                    result == "valid");
            }
        }
        return data;
    }

    [Fact]
    public void WycheproofFileHas151Cases() => Assert.Equal(151, WycheproofCases().Count());

    [Theory]
    [MemberData(nameof(WycheproofCases))]
    public void WycheproofCase(int tcId, string publicKeyHex, string messageHex, string signatureHex, bool valid)
    {
        var key = Ed25519PublicKey.FromBytes(Convert.FromHexString(publicKeyHex));
        var verified = key.Verify(Convert.FromHexString(messageHex), Convert.FromHexString(signatureHex));
        Assert.True(valid == verified, $"tcId {tcId}: expected {(valid ? "valid" : "invalid")}");
    }
}
