// Noise spec §5.3 (HandshakeState) for pattern XX (§7.5):  -> e;  <- e, ee, s, es;  -> s, se.
namespace Overlay.Security.Noise;

/// <summary>
/// The XX handshake for one side. Messages are produced and consumed strictly in turn; the
/// payload of each is handed to the caller (libp2p puts its signed identity in messages 2 and 3).
/// </summary>
internal sealed class XXHandshakeState : IDisposable
{
    public const string ProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256";

    private readonly SymmetricState _symmetric = new(ProtocolName);
    private readonly X25519KeyPair _static;
    private readonly X25519KeyPair _ephemeral;
    private byte[]? _remoteEphemeral;
    private int _messageIndex;

    public XXHandshakeState(bool initiator, X25519KeyPair staticKey, ReadOnlySpan<byte> prologue, X25519KeyPair? ephemeral = null)
    {
        IsInitiator = initiator;
        _static = staticKey;
        _ephemeral = ephemeral ?? X25519KeyPair.Generate();
        _symmetric.MixHash(prologue);
    }

    public bool IsInitiator { get; }

    public bool IsComplete => _messageIndex == 3;

    /// <summary>The remote's static X25519 key, known after message 2 (initiator) or 3 (responder).</summary>
    public byte[]? RemoteStaticKey { get; private set; }

    public ReadOnlySpan<byte> HandshakeHash => _symmetric.HandshakeHash;

    /// <summary>True when it is this side's turn to write.</summary>
    public bool IsMyTurn => IsInitiator == (_messageIndex % 2 == 0);

    public byte[] WriteMessage(ReadOnlySpan<byte> payload)
    {
        if (!IsMyTurn || IsComplete)
        {
            throw new InvalidOperationException("not this side's turn to write a handshake message");
        }
        var output = new List<byte>();
        switch (_messageIndex)
        {
            case 0:
                WriteEphemeral(output);
                break;
            case 1:
                WriteEphemeral(output);
                _symmetric.MixKey(_ephemeral.Agree(_remoteEphemeral!));
                output.AddRange(_symmetric.EncryptAndHash(_static.PublicKey));
                _symmetric.MixKey(_static.Agree(_remoteEphemeral!));
                break;
            case 2:
                output.AddRange(_symmetric.EncryptAndHash(_static.PublicKey));
                _symmetric.MixKey(_static.Agree(_remoteEphemeral!));
                break;
        }
        output.AddRange(_symmetric.EncryptAndHash(payload));
        _messageIndex++;
        return [.. output];
    }

    public byte[] ReadMessage(ReadOnlySpan<byte> message)
    {
        if (IsMyTurn || IsComplete)
        {
            throw new InvalidOperationException("not this side's turn to read a handshake message");
        }
        var position = 0;
        switch (_messageIndex)
        {
            case 0:
                ReadEphemeral(message, ref position);
                break;
            case 1:
                ReadEphemeral(message, ref position);
                _symmetric.MixKey(_ephemeral.Agree(_remoteEphemeral!));
                RemoteStaticKey = ReadStatic(message, ref position);
                _symmetric.MixKey(_ephemeral.Agree(RemoteStaticKey));
                break;
            case 2:
                RemoteStaticKey = ReadStatic(message, ref position);
                _symmetric.MixKey(_ephemeral.Agree(RemoteStaticKey));
                break;
        }
        var payload = _symmetric.DecryptAndHash(message[position..]);
        _messageIndex++;
        return payload;
    }

    /// <summary>The transport ciphers after message 3: (send, receive) for this side.</summary>
    public (CipherState Send, CipherState Receive) Split()
    {
        if (!IsComplete)
        {
            throw new InvalidOperationException("handshake not complete");
        }
        var (i2r, r2i) = _symmetric.Split();
        return IsInitiator ? (i2r, r2i) : (r2i, i2r);
    }

    private void WriteEphemeral(List<byte> output)
    {
        output.AddRange(_ephemeral.PublicKey);
        _symmetric.MixHash(_ephemeral.PublicKey);
    }

    private void ReadEphemeral(ReadOnlySpan<byte> message, ref int position)
    {
        if (message.Length - position < X25519KeyPair.KeyLength)
        {
            throw new NoiseException("handshake message too short for an ephemeral key");
        }
        _remoteEphemeral = message.Slice(position, X25519KeyPair.KeyLength).ToArray();
        position += X25519KeyPair.KeyLength;
        _symmetric.MixHash(_remoteEphemeral);
    }

    private byte[] ReadStatic(ReadOnlySpan<byte> message, ref int position)
    {
        const int encryptedLength = X25519KeyPair.KeyLength + CipherState.TagLength;
        if (message.Length - position < encryptedLength)
        {
            throw new NoiseException("handshake message too short for a static key");
        }
        var key = _symmetric.DecryptAndHash(message.Slice(position, encryptedLength));
        position += encryptedLength;
        return key;
    }

    public void Dispose() => _symmetric.Dispose();
}
