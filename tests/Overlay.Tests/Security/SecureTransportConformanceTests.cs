using System.Buffers;
using System.IO.Pipelines;
using Overlay.Manifest.Keys;
using Overlay.Security;
using Overlay.Security.Noise;
using Overlay.Tests.Support;
using Overlay.Transport;

namespace Overlay.Tests.Security;

/// <summary>
/// What every secure transport must do, run over an in-memory pipe pair and over TCP
/// (go-libp2p's sec/test suite idea).
/// </summary>
public abstract class SecureTransportConformanceTests
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    protected abstract Task<(IConnection Dialer, IConnection Listener)> ConnectAsync();

    protected abstract ISecureTransport CreateTransport(Ed25519PrivateKey identity);

    [Fact]
    public async Task Both_sides_learn_the_authenticated_peer_ids()
    {
        var (a, b) = await SecureAsync();
        await using (a)
        await using (b)
        {
            Assert.Equal(b.LocalPeer, a.RemotePeer);
            Assert.Equal(a.LocalPeer, b.RemotePeer);
            Assert.Equal(a.RemotePeer, a.RemotePublicKey.ToPeerId());
        }
    }

    [Fact]
    public async Task Large_transfers_arrive_byte_exact_in_both_directions()
    {
        var (a, b) = await SecureAsync();
        await using (a)
        await using (b)
        {
            var forward = RandomBytes(8 * 1024 * 1024 + 17, 1);
            var backward = RandomBytes(3 * 1024 * 1024 + 5, 2);
            var sendA = WriteAllAsync(a.Output, forward, complete: true);
            var sendB = WriteAllAsync(b.Output, backward, complete: true);
            var receivedAtB = ReadAllAsync(b.Input);
            var receivedAtA = ReadAllAsync(a.Input);
            await Task.WhenAll(sendA, sendB).WaitAsync(Timeout);
            Assert.Equal(forward, await receivedAtB.WaitAsync(Timeout));
            Assert.Equal(backward, await receivedAtA.WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task Half_close_lets_the_other_side_answer()
    {
        var (a, b) = await SecureAsync();
        await using (a)
        await using (b)
        {
            await WriteAllAsync(a.Output, "question"u8.ToArray(), complete: true);
            Assert.Equal("question"u8.ToArray(), await ReadAllAsync(b.Input).WaitAsync(Timeout));
            await WriteAllAsync(b.Output, "answer"u8.ToArray(), complete: true);
            Assert.Equal("answer"u8.ToArray(), await ReadAllAsync(a.Input).WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task Dialer_refuses_a_remote_that_is_not_the_peer_it_dialled()
    {
        var (dialer, listener) = await ConnectAsync();
        var someoneElse = Ed25519PrivateKey.Generate().PeerId;
        var inbound = CreateTransport(Ed25519PrivateKey.Generate()).SecureInboundAsync(listener, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<NoiseException>(() => CreateTransport(Ed25519PrivateKey.Generate()).SecureOutboundAsync(dialer, someoneElse, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(NoiseFailure.PeerIdMismatch, ex.Reason);
        await Assert.ThrowsAnyAsync<Exception>(() => inbound.WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_peer_that_stalls_mid_handshake_is_cut_off_by_the_deadline()
    {
        var (dialer, listener) = await ConnectAsync();
        await using var _ = dialer;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CreateTransport(Ed25519PrivateKey.Generate()).SecureInboundAsync(listener, deadline.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        await AssertClosedAsync(listener);
    }

    [Fact]
    public async Task Junk_instead_of_a_handshake_is_rejected()
    {
        var (dialer, listener) = await ConnectAsync();
        await using var _ = dialer;
        var inbound = CreateTransport(Ed25519PrivateKey.Generate()).SecureInboundAsync(listener, CancellationToken.None);
        // Too short to hold an ephemeral key. (A 32+ byte frame of junk is indistinguishable from an
        // ephemeral key; such a peer is caught by the MAC on message 3 or by the handshake deadline.)
        await dialer.Output.WriteAsync((byte[])[0x00, 0x10, .. RandomBytes(16, 3)]);
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => inbound.WaitAsync(Timeout));
        Assert.True(ex is NoiseException, ex.ToString());
        await AssertClosedAsync(listener);
    }

    [Fact]
    public async Task A_tampered_transport_frame_fails_authentication_and_closes()
    {
        var (dialerRaw, listenerRaw) = await ConnectAsync();
        // Put a tamper point between the raw dialer and the secure layer: after the handshake, flip a bit.
        var tamper = new TamperingConnection(dialerRaw);
        var inbound = CreateTransport(Ed25519PrivateKey.Generate()).SecureInboundAsync(listenerRaw, CancellationToken.None);
        var a = await CreateTransport(Ed25519PrivateKey.Generate()).SecureOutboundAsync(tamper, null, CancellationToken.None).WaitAsync(Timeout);
        var b = await inbound.WaitAsync(Timeout);
        await using (a)
        await using (b)
        {
            tamper.FlipNextByte = true;
            await WriteAllAsync(a.Output, "hello"u8.ToArray(), complete: false);
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => ReadAllAsync(b.Input).WaitAsync(Timeout));
            Assert.True(ex is NoiseException { Reason: NoiseFailure.DecryptionFailed }, ex.ToString());
        }
    }

    private async Task<(ISecureConnection Dialer, ISecureConnection Listener)> SecureAsync()
    {
        var (dialer, listener) = await ConnectAsync();
        var listenerKey = Ed25519PrivateKey.Generate();
        var inbound = CreateTransport(listenerKey).SecureInboundAsync(listener, CancellationToken.None);
        var outbound = CreateTransport(Ed25519PrivateKey.Generate()).SecureOutboundAsync(dialer, listenerKey.PeerId, CancellationToken.None);
        return (await outbound.WaitAsync(Timeout), await inbound.WaitAsync(Timeout));
    }

    private static async Task AssertClosedAsync(IConnection connection)
    {
        var tcs = new TaskCompletionSource();
        using var registration = connection.Closed.Register(() => tcs.TrySetResult());
        await tcs.Task.WaitAsync(Timeout);
    }

    protected static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected static async Task WriteAllAsync(PipeWriter writer, byte[] data, bool complete)
    {
        for (var offset = 0; offset < data.Length; offset += 100_000)
        {
            await writer.WriteAsync(data.AsMemory(offset, Math.Min(100_000, data.Length - offset)));
        }
        if (data.Length == 0)
        {
            await writer.FlushAsync();
        }
        if (complete)
        {
            await writer.CompleteAsync();
        }
    }

    protected static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        var output = new MemoryStream();
        while (true)
        {
            var result = await reader.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                output.Write(segment.Span);
            }
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return output.ToArray();
            }
        }
    }
}

public sealed class NoiseOverMemoryTests : SecureTransportConformanceTests
{
    protected override Task<(IConnection Dialer, IConnection Listener)> ConnectAsync()
    {
        var (a, b) = InMemoryConnection.CreatePair();
        return Task.FromResult<(IConnection, IConnection)>((a, b));
    }

    protected override ISecureTransport CreateTransport(Ed25519PrivateKey identity) => new NoiseSecureTransport(identity);
}

public sealed class NoiseOverTcpTests : SecureTransportConformanceTests
{
    protected override Task<(IConnection Dialer, IConnection Listener)> ConnectAsync() => TcpConnectionPair.CreateAsync();

    protected override ISecureTransport CreateTransport(Ed25519PrivateKey identity) => new NoiseSecureTransport(identity);
}
