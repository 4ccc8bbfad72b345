using System.Text.Json;
using Overlay.Security.Noise;
using Overlay.Tests.Shared;

namespace Overlay.Tests.Security;

/// <summary>The Noise_XX_25519_ChaChaPoly_SHA256 vectors from cacophony/snow, byte for byte.</summary>
public sealed class NoiseVectorTests
{
    public static TheoryData<int> VectorIndexes()
    {
        using var doc = JsonDocument.Parse(Fixtures.ReadText("noise-snow-vectors", "noise-XX-25519-ChaChaPoly-SHA256.json"));
        return new TheoryData<int>(Enumerable.Range(0, doc.RootElement.GetProperty("vectors").GetArrayLength()));
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Handshake_and_transport_messages_match_the_vector(int index)
    {
        using var doc = JsonDocument.Parse(Fixtures.ReadText("noise-snow-vectors", "noise-XX-25519-ChaChaPoly-SHA256.json"));
        var v = doc.RootElement.GetProperty("vectors")[index];
        byte[] Hex(string name) => Convert.FromHexString(v.GetProperty(name).GetString()!);

        using var initiator = new XXHandshakeState(true, X25519KeyPair.FromPrivateKey(Hex("init_static")), Hex("init_prologue"), X25519KeyPair.FromPrivateKey(Hex("init_ephemeral")));
        using var responder = new XXHandshakeState(false, X25519KeyPair.FromPrivateKey(Hex("resp_static")), Hex("resp_prologue"), X25519KeyPair.FromPrivateKey(Hex("resp_ephemeral")));
        var messages = v.GetProperty("messages").EnumerateArray().ToArray();
        for (var i = 0; i < 3; i++)
        {
            var (writer, reader) = i % 2 == 0 ? (initiator, responder) : (responder, initiator);
            var payload = Convert.FromHexString(messages[i].GetProperty("payload").GetString()!);
            var ciphertext = writer.WriteMessage(payload);
            Assert.Equal(messages[i].GetProperty("ciphertext").GetString(), Convert.ToHexStringLower(ciphertext));
            Assert.Equal(payload, reader.ReadMessage(ciphertext));
        }
        if (v.TryGetProperty("handshake_hash", out var handshakeHash))
        {
            Assert.Equal(handshakeHash.GetString(), Convert.ToHexStringLower(initiator.HandshakeHash));
        }
        Assert.True(responder.HandshakeHash.SequenceEqual(initiator.HandshakeHash));

        var (initiatorSend, initiatorReceive) = initiator.Split();
        var (responderSend, responderReceive) = responder.Split();
        for (var i = 3; i < messages.Length; i++)
        {
            var (send, receive) = i % 2 == 0 ? (initiatorSend, responderReceive) : (responderSend, initiatorReceive);
            var payload = Convert.FromHexString(messages[i].GetProperty("payload").GetString()!);
            var ciphertext = new byte[payload.Length + CipherState.TagLength];
            send.EncryptWithAd([], payload, ciphertext);
            Assert.Equal(messages[i].GetProperty("ciphertext").GetString(), Convert.ToHexStringLower(ciphertext));
            var plaintext = new byte[payload.Length];
            receive.DecryptWithAd([], ciphertext, plaintext);
            Assert.Equal(payload, plaintext);
        }
    }

    [Fact]
    public void A_flipped_bit_in_a_handshake_message_fails_authentication()
    {
        using var initiator = new XXHandshakeState(true, X25519KeyPair.Generate(), []);
        using var responder = new XXHandshakeState(false, X25519KeyPair.Generate(), []);
        responder.ReadMessage(initiator.WriteMessage([]));
        var second = responder.WriteMessage([1, 2, 3]);
        second[40] ^= 1;
        Assert.Throws<NoiseException>(() => initiator.ReadMessage(second));
    }

    [Fact]
    public void Low_order_remote_keys_are_refused()
    {
        using var responder = new XXHandshakeState(false, X25519KeyPair.Generate(), []);
        responder.ReadMessage(new byte[32]);
        Assert.Throws<NoiseException>(() => responder.WriteMessage([]));
    }
}
