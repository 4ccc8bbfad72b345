using System.Diagnostics;
using Overlay.Manifest.Keys;
using Overlay.Negotiation;
using Overlay.Security.Noise;
using Overlay.Transport;
using Xunit.Abstractions;

namespace Overlay.Tests.Hostile;

/// <summary>
/// Peers that lie about who they are: a listener that is not the peer we dialled, one whose
/// identity key does not match its signature, and dialers whose signature does not verify.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class PeerIdentityTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Dialling_a_listener_that_is_not_the_peer_asked_for_fails_with_PeerIdMismatch_and_registers_nothing()
    {
        await using var we = await TargetHost.StartAsync();
        await using var listener = await TargetHost.StartAsync();
        var asked = Ed25519PrivateKey.Generate().PeerId;

        var timer = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<NoiseException>(() => we.Host.ConnectAsync(listener.Host.ListenAddresses[0].WithPeer(asked.Bytes)));
        output.WriteLine($"peer id mismatch refused after {timer.Elapsed.TotalMilliseconds:0.0} ms");

        Assert.Equal(NoiseFailure.PeerIdMismatch, error.Reason);
        Assert.True(timer.Elapsed < Bound, $"took {timer.Elapsed}");
        Assert.Empty(we.Host.Connections);
        Assert.Null(we.Host.FindConnection(asked));
        Assert.False(we.Host.IsConnected(listener.Host.PeerId));
        Assert.Equal(1, we.Refusals("noise-peer-id-mismatch"));
        await we.Log.WaitForAsync(e => e.EventId.Id == HostileEvents.UpgradeFailed && e.Exception is NoiseException { Reason: NoiseFailure.PeerIdMismatch }, Bound);

        // The listener is left with nothing half-open, and the right peer ID at the same address works.
        await Eventually.TrueAsync(() => listener.Host.Connections.Count == 0, Bound, "the listener dropped the half-open connection");
        var connection = await we.Host.ConnectAsync(listener.Address).WaitAsync(Bound);
        Assert.Equal(listener.Host.PeerId, connection.RemotePeer);
    }

    [Fact]
    public async Task A_listener_whose_identity_key_does_not_match_its_signature_fails_with_BadSignature()
    {
        await using var we = await TargetHost.StartAsync();
        var shown = Ed25519PrivateKey.Generate();
        var signer = Ed25519PrivateKey.Generate();
        await using var socket = new TcpTransport().Listen(Overlay.Addressing.Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        var serving = Task.Run(async () =>
        {
            await using var connection = await socket.AcceptAsync(CancellationToken.None) ?? throw new InvalidOperationException("listener closed");
            await MultistreamSelect.HandleAsync(connection, [NoiseSecureTransport.Id], CancellationToken.None);
            try
            {
                await RawNoise.HandshakeAsync(connection, initiator: false, RawNoise.KeyOfOneSignatureOfAnother(shown, signer));
            }
            catch (Exception e) when (e is NoiseException or OperationCanceledException or ConnectionAbortedException or InvalidOperationException)
            {
                // The dialer hung up on us: the point of the test.
            }
        });

        var timer = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<NoiseException>(() => we.Host.ConnectAsync(socket.LocalAddress.WithPeer(shown.PeerId.Bytes)));
        output.WriteLine($"listener with a mismatched signature refused after {timer.Elapsed.TotalMilliseconds:0.0} ms");

        Assert.Equal(NoiseFailure.BadSignature, error.Reason);
        Assert.True(timer.Elapsed < Bound, $"took {timer.Elapsed}");
        Assert.Empty(we.Host.Connections);
        Assert.Equal(1, we.Refusals("noise-bad-signature"));
        await we.Log.WaitForAsync(e => e.EventId.Id == HostileEvents.UpgradeFailed && e.Exception is NoiseException { Reason: NoiseFailure.BadSignature }, Bound);
        await serving.WaitAsync(Bound);
    }

    public static TheoryData<string> BadSignatures() => ["signs another static key", "shows one key, signs with another"];

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task A_dialer_whose_signature_does_not_verify_is_cut_with_BadSignature(string how)
    {
        await using var target = await TargetHost.StartAsync();
        await using var witness = await Witness.ConnectAsync(target);
        await using var attacker = await Attacker.DialAsync(target.Address);
        var payload = how == "signs another static key"
            ? RawNoise.SignsAnotherStaticKey(attacker.Identity)
            : RawNoise.KeyOfOneSignatureOfAnother(attacker.Identity, Ed25519PrivateKey.Generate());
        await attacker.SelectAsync(attacker.Wire, NoiseSecureTransport.Id);

        var timer = Stopwatch.StartNew();
        await RawNoise.HandshakeAsync(attacker.Wire, initiator: true, payload);
        var cut = await attacker.WaitForCutAsync(timer, Bound);
        output.WriteLine($"{how}: cut after {cut.TotalMilliseconds:0.0} ms");

        var logged = await target.Log.WaitForAsync(e => e.EventId.Id == HostileEvents.UpgradeFailed && e.Exception is NoiseException, Bound);
        Assert.Equal(NoiseFailure.BadSignature, ((NoiseException)logged.Exception!).Reason);
        Assert.Equal(1, target.Refusals("noise-bad-signature"));
        Assert.False(target.Host.IsConnected(attacker.Identity.PeerId));
        await witness.AssertTargetStillServesAsync();
    }
}
