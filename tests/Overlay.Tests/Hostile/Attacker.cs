using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Overlay.Addressing;
using Overlay.Manifest.Keys;
using Overlay.Muxing.Yamux;
using Overlay.Muxing.Yamux.Frames;
using Overlay.Negotiation;
using Overlay.Security.Noise;
using Overlay.Tests.Muxing.Yamux;
using Overlay.Transport;

namespace Overlay.Tests.Hostile;

/// <summary>
/// A hand-built client made of our own pieces (TCP, multistream-select, the Noise handshake state,
/// raw yamux frames), taken up the stack one step at a time so a test can misbehave at any layer.
/// </summary>
internal sealed class Attacker : IAsyncDisposable
{
    /// <summary>How long an honest step of the attacker may take; the host is not slow on loopback.</summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(5);

    private Attacker(TcpConnection tcp)
    {
        Tcp = tcp;
        Wire = new InjectingConnection(tcp);
    }

    public Ed25519PrivateKey Identity { get; } = Ed25519PrivateKey.Generate();

    public TcpConnection Tcp { get; }

    /// <summary>The raw connection; bytes written here (or injected) go to the socket as they are.</summary>
    public InjectingConnection Wire { get; }

    /// <summary>The Noise transport after <see cref="SecureAsync"/>.</summary>
    public NoiseConnection? Secure { get; private set; }

    /// <summary>Raw yamux frames over <see cref="Secure"/> after <see cref="MuxAsync"/>.</summary>
    public RawYamuxPeer? Yamux { get; private set; }

    public static async Task<Attacker> DialAsync(Multiaddr target) =>
        new(await new TcpTransport().DialAsync(target.WithoutPeer(), CancellationToken.None).WaitAsync(StepTimeout));

    /// <summary>Dials and takes the connection all the way to raw yamux, honestly.</summary>
    public static async Task<Attacker> UpgradeAsync(Multiaddr target)
    {
        var attacker = await DialAsync(target);
        await attacker.SecureAsync();
        await attacker.MuxAsync();
        return attacker;
    }

    public async Task SelectAsync(IDuplexPipe pipe, string protocol)
    {
        using var timeout = new CancellationTokenSource(StepTimeout);
        await MultistreamSelect.SelectAsync(pipe, [protocol], timeout.Token);
    }

    /// <summary>Negotiates /noise and runs the handshake with <paramref name="payload"/> (honest by default).</summary>
    public async Task SecureAsync(RawNoise.PayloadFor? payload = null)
    {
        await SelectAsync(Wire, NoiseSecureTransport.Id);
        using var timeout = new CancellationTokenSource(StepTimeout);
        var keys = await RawNoise.HandshakeAsync(Wire, initiator: true, payload ?? RawNoise.Honest(Identity), cancellationToken: timeout.Token)
            ?? throw new InvalidOperationException("handshake stopped early");
        Secure = new NoiseConnection(Wire, keys.Send, keys.Receive, Identity.PeerId, keys.Remote);
    }

    public async Task MuxAsync()
    {
        var secure = Secure ?? throw new InvalidOperationException("secure the connection first");
        await SelectAsync(secure, YamuxSession.ProtocolId);
        Yamux = new RawYamuxPeer(secure);
    }

    /// <summary>
    /// Reads (and discards) until the host ends the connection, by close or by reset; returns how
    /// long after <paramref name="since"/> that was. Fails the test past <paramref name="bound"/>.
    /// </summary>
    public async Task<TimeSpan> WaitForCutAsync(Stopwatch since, TimeSpan bound)
    {
        var input = Secure?.Input ?? Wire.Input;
        await DrainAsync(input).WaitAsync(bound);
        return since.Elapsed;
    }

    /// <summary>
    /// Reads yamux frames until the host ends the connection and returns them, so a test can see
    /// the go-away (or the resets) the host sent before hanging up.
    /// </summary>
    public async Task<List<YamuxFrame>> ReadFramesUntilCutAsync(TimeSpan bound)
    {
        var input = (Secure ?? throw new InvalidOperationException("not secured")).Input;
        var frames = new List<YamuxFrame>();
        await ReadFramesAsync(input, frames).WaitAsync(bound);
        return frames;
    }

    private static async Task DrainAsync(PipeReader input)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            // A reset is as much a cut as a close.
        }
    }

    private static async Task ReadFramesAsync(PipeReader input, List<YamuxFrame> frames)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                while (TryReadFrame(ref buffer, out var frame))
                {
                    frames.Add(frame);
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            // A reset after the frames is still a cut; the frames read so far are the evidence.
        }
    }

    private static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out YamuxFrame frame)
    {
        var rest = buffer;
        if (!YamuxFrame.TryRead(ref rest, uint.MaxValue, out frame))
        {
            return false;
        }
        var payload = frame.Type == YamuxFrameType.Data ? frame.Length : 0;
        if (rest.Length < payload)
        {
            return false;
        }
        buffer = rest.Slice(payload);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (Secure is not null)
        {
            await Secure.DisposeAsync();
        }
        else
        {
            await Wire.DisposeAsync();
        }
    }
}
