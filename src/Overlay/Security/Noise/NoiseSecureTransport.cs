// Spec: https://github.com/libp2p/specs/blob/master/noise/README.md (XX handshake, libp2p payload in messages 2 and 3).
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Transport;

namespace Overlay.Security.Noise;

/// <summary>`/noise`: authenticates both peers with their Ed25519 identity keys and encrypts the connection.</summary>
public sealed class NoiseSecureTransport : ISecureTransport
{
    public const string Id = "/noise";

    private readonly Ed25519PrivateKey _identity;

    public NoiseSecureTransport(Ed25519PrivateKey identity) => _identity = identity;

    public string ProtocolId => Id;

    public Task<ISecureConnection> SecureInboundAsync(IConnection connection, CancellationToken cancellationToken) =>
        HandshakeAsync(connection, initiator: false, expectedRemote: null, cancellationToken);

    public Task<ISecureConnection> SecureOutboundAsync(IConnection connection, PeerId? expectedRemote, CancellationToken cancellationToken) =>
        HandshakeAsync(connection, initiator: true, expectedRemote, cancellationToken);

    private async Task<ISecureConnection> HandshakeAsync(IConnection connection, bool initiator, PeerId? expectedRemote, CancellationToken cancellationToken)
    {
        // A fresh static Noise key per connection: its only job is to be signed by the identity.
        var staticKey = X25519KeyPair.Generate();
        var state = new XXHandshakeState(initiator, staticKey, prologue: []);
        try
        {
            var ourPayload = new NoiseHandshakePayload(
                _identity.PublicKey.ToProtobuf(),
                _identity.Sign(NoiseHandshakePayload.SignedBytes(staticKey.PublicKey))).Encode();
            PublicKey? remoteKey = null;
            while (!state.IsComplete)
            {
                if (state.IsMyTurn)
                {
                    // Message 1 carries no payload: the initiator's identity waits until it can be encrypted.
                    var isFirstMessage = initiator && state.RemoteStaticKey is null;
                    var message = state.WriteMessage(isFirstMessage ? [] : ourPayload);
                    NoiseFrame.Write(connection.Output, message);
                    var flush = await connection.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (flush.IsCompleted)
                    {
                        throw new NoiseException(NoiseFailure.ConnectionClosed, "connection closed during the handshake");
                    }
                }
                else
                {
                    var frame = await NoiseFrame.ReadAsync(connection.Input, cancellationToken).ConfigureAwait(false);
                    var payload = state.ReadMessage(frame);
                    if (state.RemoteStaticKey is not null && remoteKey is null)
                    {
                        remoteKey = VerifyRemote(payload, state.RemoteStaticKey, expectedRemote);
                    }
                }
            }
            var (send, receive) = state.Split();
            return new NoiseConnection(connection, send, receive, _identity.PeerId, remoteKey!);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            connection.Abort(e);
            throw e is OverlayException ? e : new NoiseException(NoiseFailure.Malformed, e.Message, e);
        }
        catch (OperationCanceledException e)
        {
            connection.Abort(e);
            throw;
        }
        finally
        {
            state.Dispose();
        }
    }

    private static PublicKey VerifyRemote(byte[] payloadBytes, byte[] remoteStatic, PeerId? expectedRemote)
    {
        NoiseHandshakePayload payload;
        PublicKey key;
        try
        {
            payload = NoiseHandshakePayload.Decode(payloadBytes);
            key = PublicKey.FromProtobuf(payload.IdentityKey);
        }
        catch (MalformedDataException e)
        {
            throw new NoiseException(NoiseFailure.Malformed, $"bad handshake payload: {e.Message}", e);
        }
        if (key is not Ed25519PublicKey)
        {
            throw new NoiseException(NoiseFailure.UnsupportedKey, $"identity key type {key.Type} is not supported");
        }
        if (!key.Verify(NoiseHandshakePayload.SignedBytes(remoteStatic), payload.IdentitySignature))
        {
            throw new NoiseException(NoiseFailure.BadSignature, "identity signature over the static key does not verify");
        }
        var remotePeer = key.ToPeerId();
        if (expectedRemote is not null && remotePeer != expectedRemote)
        {
            throw new NoiseException(NoiseFailure.PeerIdMismatch, $"dialled {expectedRemote} but the remote is {remotePeer}");
        }
        return key;
    }
}
