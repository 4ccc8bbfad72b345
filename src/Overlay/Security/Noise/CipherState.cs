// Noise spec §5.1 (CipherState) with §12.3 ChaChaPoly: 96-bit nonce = 32 zero bits || 64-bit little-endian counter.
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Overlay.Security.Noise;

/// <summary>One direction's key and nonce. Not thread-safe: each direction has one owner loop.</summary>
internal sealed class CipherState : IDisposable
{
    public const int TagLength = 16;

    private ChaCha20Poly1305? _aead;
    private ulong _nonce;

    public bool HasKey => _aead is not null;

    public void InitializeKey(ReadOnlySpan<byte> key)
    {
        _aead?.Dispose();
        _aead = new ChaCha20Poly1305(key);
        _nonce = 0;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="destination"/> (plaintext + 16-byte tag); returns bytes written.</summary>
    public int EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (_aead is null)
        {
            plaintext.CopyTo(destination);
            return plaintext.Length;
        }
        Span<byte> nonce = stackalloc byte[12];
        NextNonce(nonce);
        _aead.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination.Slice(plaintext.Length, TagLength), ad);
        return plaintext.Length + TagLength;
    }

    /// <summary>Decrypts <paramref name="ciphertext"/> (payload + tag) into <paramref name="destination"/>; returns bytes written.</summary>
    public int DecryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext, Span<byte> destination)
    {
        if (_aead is null)
        {
            ciphertext.CopyTo(destination);
            return ciphertext.Length;
        }
        if (ciphertext.Length < TagLength)
        {
            throw new NoiseException("ciphertext shorter than its tag");
        }
        Span<byte> nonce = stackalloc byte[12];
        NextNonce(nonce);
        var length = ciphertext.Length - TagLength;
        try
        {
            _aead.Decrypt(nonce, ciphertext[..length], ciphertext[length..], destination[..length], ad);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new NoiseException(NoiseFailure.DecryptionFailed, "message authentication failed", e);
        }
        return length;
    }

    private void NextNonce(Span<byte> nonce)
    {
        // 2^64-1 is reserved (Noise §5.1); a connection never gets near it, but wrapping would reuse nonces.
        if (_nonce == ulong.MaxValue)
        {
            throw new NoiseException("nonce space exhausted");
        }
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], _nonce++);
    }

    public void Dispose() => _aead?.Dispose();
}
