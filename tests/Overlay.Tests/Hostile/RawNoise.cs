// Spec: https://github.com/libp2p/specs/blob/master/noise/README.md (XX; libp2p payload in messages 2 and 3)
using System.Security.Cryptography;
using Overlay.Manifest.Keys;
using Overlay.Security.Noise;
using Overlay.Transport;

namespace Overlay.Tests.Hostile;

/// <summary>
/// The XX handshake driven by hand, so an attacker chooses exactly what its libp2p payload says
/// (whose key, whose signature over which static key) and where it stops. Nothing is verified
/// on this side: the attacker does not care who the target is.
/// </summary>
internal static class RawNoise
{
    /// <summary>Builds the payload for the attacker's own Noise static key.</summary>
    public delegate byte[] PayloadFor(byte[] staticPublicKey);

    public static PayloadFor Honest(Ed25519PrivateKey identity) => staticKey => Payload(identity, identity, staticKey);

    /// <summary>The identity signs a static key other than the one in the handshake.</summary>
    public static PayloadFor SignsAnotherStaticKey(Ed25519PrivateKey identity) => _ => Payload(identity, identity, RandomNumberGenerator.GetBytes(32));

    /// <summary>Shows <paramref name="shown"/>'s key with <paramref name="signer"/>'s (valid) signature of the right static key.</summary>
    public static PayloadFor KeyOfOneSignatureOfAnother(Ed25519PrivateKey shown, Ed25519PrivateKey signer) => staticKey => Payload(shown, signer, staticKey);

    private static byte[] Payload(Ed25519PrivateKey shown, Ed25519PrivateKey signer, byte[] signedStaticKey) =>
        new NoiseHandshakePayload(shown.PublicKey.ToProtobuf(), signer.Sign(NoiseHandshakePayload.SignedBytes(signedStaticKey))).Encode();

    /// <summary>Runs the handshake (as dialer when <paramref name="initiator"/>) up to and including message <paramref name="stopAfter"/>.</summary>
    public static async Task<NoiseKeys?> HandshakeAsync(IConnection connection, bool initiator, PayloadFor payloadFor, int stopAfter = 3, CancellationToken cancellationToken = default)
    {
        var staticKey = X25519KeyPair.Generate();
        using var state = new XXHandshakeState(initiator, staticKey, prologue: []);
        var payload = payloadFor(staticKey.PublicKey);
        PublicKey? remote = null;
        for (var message = 1; message <= 3; message++)
        {
            if (state.IsMyTurn)
            {
                NoiseFrame.Write(connection.Output, state.WriteMessage(message == 1 ? [] : payload));
                await connection.Output.FlushAsync(cancellationToken);
            }
            else
            {
                var received = state.ReadMessage(await NoiseFrame.ReadAsync(connection.Input, cancellationToken));
                if (received.Length > 0)
                {
                    remote = PublicKey.FromProtobuf(NoiseHandshakePayload.Decode(received).IdentityKey);
                }
            }
            if (message == stopAfter && stopAfter < 3)
            {
                return null;
            }
        }
        var (send, receive) = state.Split();
        return new NoiseKeys(send, receive, remote!);
    }
}
