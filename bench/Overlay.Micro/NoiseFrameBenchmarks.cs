using BenchmarkDotNet.Attributes;
using Overlay.Security.Noise;

namespace Overlay.Micro;

/// <summary>
/// One Noise transport message each way: ChaCha20-Poly1305 with the 64-bit counter nonce, as the
/// secure connection's send and receive loops call it. The largest frame is what bulk transfer
/// sends; 1 KiB is a typical control message.
/// </summary>
[MemoryDiagnoser]
public class NoiseFrameBenchmarks
{
    private readonly CipherState _sender = new();
    private readonly CipherState _receiver = new();
    private byte[] _plaintext = [];
    private byte[] _ciphertext = [];
    private byte[] _output = [];

    [Params(1024, NoiseFrame.MaxPlaintextLength)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var key = new byte[32];
        new Random(7).NextBytes(key);
        _sender.InitializeKey(key);
        _receiver.InitializeKey(key);
        _plaintext = new byte[Length];
        new Random(8).NextBytes(_plaintext);
        _ciphertext = new byte[Length + CipherState.TagLength];
        _output = new byte[Length];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }

    /// <summary>Encrypt then decrypt: the receiver's nonce follows the sender's, as on a connection.</summary>
    [Benchmark]
    public int EncryptAndDecrypt()
    {
        var written = _sender.EncryptWithAd([], _plaintext, _ciphertext);
        return _receiver.DecryptWithAd([], _ciphertext.AsSpan(0, written), _output);
    }
}
