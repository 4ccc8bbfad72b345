// Noise spec §5.2 (SymmetricState) with SHA-256 (§12.5) and HKDF as defined in §4.3.
using System.Security.Cryptography;
using System.Text;

namespace Overlay.Security.Noise;

internal sealed class SymmetricState : IDisposable
{
    private const int HashLength = 32;

    private byte[] _chainingKey;
    private byte[] _hash;

    public SymmetricState(string protocolName)
    {
        var name = Encoding.ASCII.GetBytes(protocolName);
        _hash = name.Length <= HashLength ? [.. name, .. new byte[HashLength - name.Length]] : SHA256.HashData(name);
        _chainingKey = (byte[])_hash.Clone();
    }

    public CipherState Cipher { get; } = new();

    public ReadOnlySpan<byte> HandshakeHash => _hash;

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        var (chainingKey, key) = Hkdf2(inputKeyMaterial);
        _chainingKey = chainingKey;
        Cipher.InitializeKey(key);
    }

    public void MixHash(ReadOnlySpan<byte> data)
    {
        var buffer = new byte[HashLength + data.Length];
        _hash.CopyTo(buffer, 0);
        data.CopyTo(buffer.AsSpan(HashLength));
        _hash = SHA256.HashData(buffer);
    }

    public byte[] EncryptAndHash(ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[plaintext.Length + (Cipher.HasKey ? CipherState.TagLength : 0)];
        Cipher.EncryptWithAd(_hash, plaintext, output);
        MixHash(output);
        return output;
    }

    public byte[] DecryptAndHash(ReadOnlySpan<byte> ciphertext)
    {
        var output = new byte[Math.Max(0, ciphertext.Length - (Cipher.HasKey ? CipherState.TagLength : 0))];
        Cipher.DecryptWithAd(_hash, ciphertext, output);
        MixHash(ciphertext);
        return output;
    }

    /// <summary>The two transport ciphers: the first encrypts initiator→responder.</summary>
    public (CipherState InitiatorToResponder, CipherState ResponderToInitiator) Split()
    {
        var (first, second) = Hkdf2([]);
        var c1 = new CipherState();
        var c2 = new CipherState();
        c1.InitializeKey(first);
        c2.InitializeKey(second);
        return (c1, c2);
    }

    private (byte[] First, byte[] Second) Hkdf2(ReadOnlySpan<byte> inputKeyMaterial)
    {
        // Written out with HMAC as Noise §4.3 defines it: OpenSSL's HKDF refuses an empty IKM, which Split uses.
        var tempKey = HMACSHA256.HashData(_chainingKey, inputKeyMaterial);
        var first = HMACSHA256.HashData(tempKey, new byte[] { 0x01 });
        var second = HMACSHA256.HashData(tempKey, (byte[])[.. first, 0x02]);
        return (first, second);
    }

    public void Dispose() => Cipher.Dispose();
}
