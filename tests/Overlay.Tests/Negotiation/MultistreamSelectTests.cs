using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Overlay.Manifest.Errors;
using Overlay.Negotiation;

namespace Overlay.Tests.Negotiation;

public sealed class MultistreamSelectTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Dialer_and_listener_agree_on_the_first_common_protocol()
    {
        var (a, b) = CreatePair();
        using var cts = new CancellationTokenSource(Timeout);
        var listener = MultistreamSelect.HandleAsync(b, ["/noise", "/yamux/1.0.0"], cts.Token).AsTask();
        var chosen = await MultistreamSelect.SelectAsync(a, ["/tls/1.0.0", "/noise"], cts.Token);
        Assert.Equal("/noise", chosen);
        Assert.Equal("/noise", await listener);
    }

    [Fact]
    public async Task Wire_bytes_match_the_spec_example()
    {
        var (a, b) = CreatePair();
        using var cts = new CancellationTokenSource(Timeout);
        var dialer = MultistreamSelect.SelectAsync(a, ["/noise"], cts.Token).AsTask();
        var read = await b.Input.ReadAsync(cts.Token);
        while (read.Buffer.Length < 28)
        {
            b.Input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await b.Input.ReadAsync(cts.Token);
        }
        // 0x13 = 19 = "/multistream/1.0.0\n"; 0x07 = "/noise\n".
        Assert.Equal("\u0013/multistream/1.0.0\n\u0007/noise\n", Encoding.ASCII.GetString(read.Buffer.ToArray()));
        b.Input.AdvanceTo(read.Buffer.End);
        await b.Output.WriteAsync(Encoding.ASCII.GetBytes("\u0013/multistream/1.0.0\n\u0007/noise\n"), cts.Token);
        Assert.Equal("/noise", await dialer);
    }

    [Fact]
    public async Task No_common_protocol_fails_both_sides_clearly()
    {
        var (a, b) = CreatePair();
        using var cts = new CancellationTokenSource(Timeout);
        var listener = MultistreamSelect.HandleAsync(b, ["/yamux/1.0.0"], cts.Token).AsTask();
        var ex = await Assert.ThrowsAsync<NegotiationException>(() => MultistreamSelect.SelectAsync(a, ["/mplex/6.7.0", "/x"], cts.Token).AsTask());
        Assert.Contains("none of", ex.Message, StringComparison.Ordinal);
        a.Output.Complete();
        await Assert.ThrowsAsync<NegotiationException>(() => listener);
    }

    [Fact]
    public async Task Ls_lists_the_listeners_protocols()
    {
        var (a, b) = CreatePair();
        using var cts = new CancellationTokenSource(Timeout);
        var protocols = new List<string> { "/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/" + new string('x', 200) };
        var listener = MultistreamSelect.HandleAsync(b, protocols, cts.Token).AsTask();
        var listed = await MultistreamSelect.ListAsync(a, cts.Token);
        Assert.Equal(protocols, listed);
        a.Output.Complete();
        await Assert.ThrowsAsync<NegotiationException>(() => listener);
    }

    [Theory]
    [InlineData("\u0013/multistream/2.0.0\n")]
    [InlineData("\u0005hello")]
    [InlineData("\u0000")]
    [InlineData("\u0013/multistream/1.0.0X")]
    [InlineData("\u00ff\u00ff\u00ff\u00ff\u000f")]
    public async Task Junk_from_the_peer_is_a_negotiation_error(string junk)
    {
        var (a, b) = CreatePair();
        using var cts = new CancellationTokenSource(Timeout);
        var listener = MultistreamSelect.HandleAsync(b, ["/noise"], cts.Token).AsTask();
        await a.Output.WriteAsync(Encoding.Latin1.GetBytes(junk), cts.Token);
        a.Output.Complete();
        var ex = await Assert.ThrowsAnyAsync<OverlayException>(() => listener);
        Assert.True(ex is NegotiationException or LimitExceededException, ex.GetType().Name);
    }

    [Fact]
    public async Task Oversized_length_prefix_is_refused_before_buffering()
    {
        var (a, b) = CreatePair();
        using var cts = new CancellationTokenSource(Timeout);
        var listener = MultistreamSelect.HandleAsync(b, ["/noise"], cts.Token).AsTask();
        // Claims a 1 MiB message and sends only the prefix: must fail at once, not wait for 1 MiB.
        await a.Output.WriteAsync(new byte[] { 0x80, 0x80, 0x40 }, cts.Token);
        await Assert.ThrowsAnyAsync<OverlayException>(() => listener);
        Assert.False(cts.IsCancellationRequested);
    }

    [Fact]
    public async Task Endless_unknown_proposals_are_cut_off()
    {
        var (a, b) = CreatePair();
        using var cts = new CancellationTokenSource(Timeout);
        var listener = MultistreamSelect.HandleAsync(b, ["/noise"], cts.Token).AsTask();
        var junk = new StringBuilder("\u0013/multistream/1.0.0\n");
        for (var i = 0; i < MultistreamSelect.MaxProposals + 1; i++)
        {
            junk.Append("\u0004/no\n");
        }
        await a.Output.WriteAsync(Encoding.ASCII.GetBytes(junk.ToString()), cts.Token);
        var ex = await Assert.ThrowsAsync<NegotiationException>(() => listener);
        Assert.Contains("proposals", ex.Message, StringComparison.Ordinal);
    }

    private static (IDuplexPipe A, IDuplexPipe B) CreatePair()
    {
        var ab = new Pipe();
        var ba = new Pipe();
        return (new DuplexPipe(ba.Reader, ab.Writer), new DuplexPipe(ab.Reader, ba.Writer));
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
