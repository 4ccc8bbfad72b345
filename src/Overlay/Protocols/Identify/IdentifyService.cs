// Spec: https://github.com/libp2p/specs/blob/master/identify/README.md
using Overlay.Host;
using Overlay.Manifest.Errors;

namespace Overlay.Protocols.Identify;

/// <summary>
/// `/ipfs/id/1.0.0` and `/ipfs/id/push/1.0.0`: answers who we are, asks every new peer who it
/// is, and pushes our protocol list when it changes.
/// </summary>
public sealed class IdentifyService
{
    public const string ProtocolId = "/ipfs/id/1.0.0";
    public const string PushProtocolId = "/ipfs/id/push/1.0.0";
    public const string ProtocolVersion = "ipfs/0.1.0";

    private readonly Libp2pHost _host;

    public IdentifyService(Libp2pHost host)
    {
        _host = host;
        host.SetStreamHandler(ProtocolId, AnswerAsync);
        host.SetStreamHandler(PushProtocolId, ReceivePushAsync);
        host.Connected += connection => host.RunBackground($"identify {connection.RemotePeer}", token => IdentifyAsync(connection, token));
        host.ProtocolsChanged += () => host.RunBackground("identify push", PushToAllAsync);
    }

    /// <summary>Completes when a peer's identify answer has been stored (or failed).</summary>
    public event Action<PeerConnection, IdentifyMessage>? Identified;

    /// <summary>Asks <paramref name="connection"/>'s peer who it is and records the answer.</summary>
    public async Task<IdentifyMessage> IdentifyAsync(PeerConnection connection, CancellationToken cancellationToken)
    {
        await using var stream = await connection.OpenStreamAsync([ProtocolId], cancellationToken).ConfigureAwait(false);
        await stream.Output.CompleteAsync().ConfigureAwait(false);
        var bytes = await LengthPrefixedMessage.ReadAsync(stream.Input, IdentifyMessage.MaxLength, "identify", cancellationToken).ConfigureAwait(false)
            ?? throw new MalformedDataException("identify", "peer closed the stream without answering");
        var message = IdentifyMessage.Decode(bytes);
        Record(connection, message);
        Identified?.Invoke(connection, message);
        return message;
    }

    private IdentifyMessage Describe(PeerConnection connection) => new()
    {
        ProtocolVersion = ProtocolVersion,
        AgentVersion = _host.AgentVersion,
        PublicKey = _host.Identity.PublicKey,
        ListenAddresses = _host.AnnouncedAddresses,
        ObservedAddress = connection.RemoteAddress,
        Protocols = _host.Protocols.ToArray(),
    };

    private async Task AnswerAsync(PeerStream stream, CancellationToken cancellationToken)
    {
        LengthPrefixedMessage.Write(stream.Output, Describe(stream.Connection).Encode());
        await stream.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        await stream.Output.CompleteAsync().ConfigureAwait(false);
    }

    private async Task ReceivePushAsync(PeerStream stream, CancellationToken cancellationToken)
    {
        var bytes = await LengthPrefixedMessage.ReadAsync(stream.Input, IdentifyMessage.MaxLength, "identify", cancellationToken).ConfigureAwait(false);
        if (bytes is not null)
        {
            Record(stream.Connection, IdentifyMessage.Decode(bytes));
        }
    }

    private async Task PushToAllAsync(CancellationToken cancellationToken)
    {
        foreach (var connection in _host.Connections)
        {
            try
            {
                await using var stream = await connection.OpenStreamAsync([PushProtocolId], cancellationToken).ConfigureAwait(false);
                LengthPrefixedMessage.Write(stream.Output, Describe(connection).Encode());
                await stream.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                await stream.Output.CompleteAsync().ConfigureAwait(false);
            }
            catch (OverlayException)
            {
                // A peer without push support (or gone) simply misses the update.
            }
        }
    }

    private void Record(PeerConnection connection, IdentifyMessage message)
    {
        // The key must be the one the secure channel authenticated; anything else is a lie.
        if (message.PublicKey is not null && message.PublicKey.ToPeerId() != connection.RemotePeer)
        {
            throw new VerificationException($"identify from {connection.RemotePeer} carries another peer's key");
        }
        _host.Peers.Update(connection.RemotePeer, info => info with
        {
            AgentVersion = message.AgentVersion ?? info.AgentVersion,
            ProtocolVersion = message.ProtocolVersion ?? info.ProtocolVersion,
            Protocols = message.Protocols.Count > 0 ? message.Protocols : info.Protocols,
        });
        _host.Peers.AddAddresses(connection.RemotePeer, message.ListenAddresses);
    }
}
