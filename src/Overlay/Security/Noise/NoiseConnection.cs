// Spec: https://github.com/libp2p/specs/blob/master/noise/README.md#encryption-and-io
using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Overlay.Addressing;
using Overlay.Manifest.Keys;
using Overlay.Transport;

namespace Overlay.Security.Noise;

/// <summary>
/// The transport phase: one loop decrypts frames from the inner connection into <see cref="Input"/>,
/// one loop encrypts what the application writes to <see cref="Output"/> into frames of at most
/// 65535 bytes. Completing <see cref="Output"/> half-closes the inner connection.
/// </summary>
internal sealed class NoiseConnection : ISecureConnection
{
    private const long PauseThreshold = 1024 * 1024;

    /// <summary>
    /// How long disposal waits for frames written before it (a muxer's go-away) to be handed to
    /// the transport; a peer that does not read gets no longer than this.
    /// </summary>
    private static readonly TimeSpan CloseLinger = TimeSpan.FromSeconds(1);

    private readonly IConnection _inner;
    private readonly CipherState _send;
    private readonly CipherState _receive;
    private readonly Pipe _plainIn;
    private readonly Pipe _plainOut;
    private readonly Task _decryptLoop;
    private readonly Task _encryptLoop;
    private int _disposed;

    public NoiseConnection(IConnection inner, CipherState send, CipherState receive, PeerId localPeer, PublicKey remoteKey)
    {
        _inner = inner;
        _send = send;
        _receive = receive;
        LocalPeer = localPeer;
        RemotePublicKey = remoteKey;
        RemotePeer = remoteKey.ToPeerId();
        // Block-sized segments: a frame rarely spans two, so it is seldom copied before the AEAD call.
        var options = BlockMemoryPool.CreatePipeOptions(PauseThreshold);
        _plainIn = new Pipe(options);
        _plainOut = new Pipe(options);
        _decryptLoop = DecryptLoopAsync();
        _encryptLoop = EncryptLoopAsync();
    }

    public PeerId LocalPeer { get; }
    public PeerId RemotePeer { get; }
    public PublicKey RemotePublicKey { get; }
    public PipeReader Input => _plainIn.Reader;
    public PipeWriter Output => _plainOut.Writer;
    public Multiaddr LocalAddress => _inner.LocalAddress;
    public Multiaddr RemoteAddress => _inner.RemoteAddress;
    public CancellationToken Closed => _inner.Closed;

    public void Abort(Exception? reason = null) => _inner.Abort(reason);

    private async Task DecryptLoopAsync()
    {
        Exception? error = null;
        try
        {
            var scratch = new byte[NoiseFrame.MaxMessageLength];
            while (true)
            {
                var result = await _inner.Input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                var produced = false;
                while (NoiseFrame.TryRead(ref buffer, out var body))
                {
                    var ciphertext = body.IsSingleSegment ? body.FirstSpan : Copy(body, scratch);
                    var plaintext = _plainIn.Writer.GetSpan(Math.Max(1, ciphertext.Length));
                    var length = _receive.DecryptWithAd([], ciphertext, plaintext);
                    _plainIn.Writer.Advance(length);
                    produced = true;
                }
                _inner.Input.AdvanceTo(buffer.Start, buffer.End);
                if (produced)
                {
                    var flush = await _plainIn.Writer.FlushAsync().ConfigureAwait(false);
                    if (flush.IsCompleted)
                    {
                        break;
                    }
                }
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        throw new NoiseException(NoiseFailure.ConnectionClosed, "connection closed inside a frame");
                    }
                    break;
                }
            }
        }
        catch (Exception e)
        {
            error = e;
            _inner.Abort(e);
        }
        await _inner.Input.CompleteAsync().ConfigureAwait(false);
        await _plainIn.Writer.CompleteAsync(error).ConfigureAwait(false);
    }

    private async Task EncryptLoopAsync()
    {
        Exception? error = null;
        try
        {
            var scratch = new byte[NoiseFrame.MaxPlaintextLength];
            while (true)
            {
                var result = await _plainOut.Reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (!buffer.IsEmpty)
                {
                    var chunk = buffer.Slice(0, Math.Min(buffer.Length, NoiseFrame.MaxPlaintextLength));
                    var plaintext = chunk.IsSingleSegment ? chunk.FirstSpan : Copy(chunk, scratch);
                    var frame = _inner.Output.GetSpan(2 + plaintext.Length + CipherState.TagLength);
                    var length = _send.EncryptWithAd([], plaintext, frame[2..]);
                    BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)length);
                    _inner.Output.Advance(2 + length);
                    buffer = buffer.Slice(chunk.End);
                }
                _plainOut.Reader.AdvanceTo(buffer.End);
                var flush = await _inner.Output.FlushAsync().ConfigureAwait(false);
                if (result.IsCompleted || flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            error = e;
            _inner.Abort(e);
        }
        await _plainOut.Reader.CompleteAsync(error).ConfigureAwait(false);
        await _inner.Output.CompleteAsync(error).ConfigureAwait(false);
    }

    private static ReadOnlySpan<byte> Copy(ReadOnlySequence<byte> source, byte[] scratch)
    {
        source.CopyTo(scratch);
        return scratch.AsSpan(0, (int)source.Length);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _plainOut.Writer.CompleteAsync().ConfigureAwait(false);
        // The encrypt loop is the inner connection's only writer: let it send what is left and
        // complete the inner output before the inner connection is disposed, or the last frames
        // (the go-away telling a hostile peer why it is cut) are lost in a race with the close.
        try
        {
            await _encryptLoop.WaitAsync(CloseLinger).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _inner.Abort(new ConnectionAbortedException($"the peer did not take our last frames within {CloseLinger.TotalSeconds:0.#} s"));
        }
        await _plainIn.Reader.CompleteAsync().ConfigureAwait(false);
        await _inner.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_decryptLoop, _encryptLoop).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Each loop already reported its error through the pipes; disposal only waits.
        }
        _send.Dispose();
        _receive.Dispose();
    }
}
