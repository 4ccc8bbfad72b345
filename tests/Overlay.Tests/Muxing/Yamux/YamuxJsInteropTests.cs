using System.Net;
using Overlay.Muxing;
using Overlay.Muxing.Yamux;
using Overlay.Tests.Shared;
using Overlay.Tests.Support;

namespace Overlay.Tests.Muxing.Yamux;

/// <summary>
/// Our yamux against the real @chainsafe/libp2p-yamux (tests/js/yamux-peer.mjs) over plain TCP,
/// with no Noise or multistream-select in between: we dial, so we are the initiator.
/// </summary>
[Collection(MuxingCollection.Name)]
public sealed class YamuxJsInteropTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Streams_both_ways_echo_byte_exact_and_pings_are_answered()
    {
        await using var peer = await JsYamuxPeer.StartAsync();
        var echoing = EchoEverythingAsync(peer.Session);

        var theirs = await peer.Js.CommandAsync("echo", new { streams = 100, size = 1 << 20 }, Patience);
        Assert.Equal(100L << 20, (long)theirs["bytes"]!);

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            var stream = await peer.Session.OpenStreamAsync();
            Assert.Equal(1L, stream.Id % 2);
            var data = StreamData.Pattern(i, 1 << 20);
            var reading = StreamData.ReadToEndAsync(stream.Input);
            await StreamData.WriteAllAsync(stream.Output, data);
            StreamData.AssertSame(data, await reading);
        }))).WaitAsync(Patience);

        await peer.Session.PingAsync().WaitAsync(Patience);
        await peer.Js.CommandAsync("ping", null, Patience);
        Assert.Null(peer.Session.CloseReason);

        await peer.Session.CloseAsync();
        await peer.Js.WaitForEventAsync(e => (string?)e["event"] == "closed", Patience);
        Assert.Equal(0, await echoing.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_reset_and_a_go_away_from_js_reach_us_typed()
    {
        await using var peer = await JsYamuxPeer.StartAsync();
        var reset = peer.Js.CommandAsync("reset", new { text = "doomed" }, Patience);

        // js resets the stream once it has our answer.
        var stream = (await peer.Session.AcceptStreamAsync().AsTask().WaitAsync(Patience))!;
        Assert.Equal("doomed"u8.ToArray(), await StreamData.ReadExactlyAsync(stream.Input, 6).WaitAsync(Patience));
        await stream.Output.WriteAsync("ok"u8.ToArray());
        Assert.Equal((long)(await reset)["stream"]!, stream.Id);
        Assert.Equal(0L, stream.Id % 2);
        var error = await Assert.ThrowsAsync<StreamResetException>(() => StreamData.ReadToEndAsync(stream.Input).WaitAsync(Patience));
        Assert.True(error.Remote);

        var closed = new TaskCompletionSource();
        using var registration = peer.Session.Closed.Register(closed.SetResult);
        await peer.Js.CommandAsync("close", null, Patience);
        await closed.Task.WaitAsync(Patience);
        Assert.Equal(MuxerCloseKind.RemoteGoAway, peer.Session.CloseReason?.Kind);
        Assert.Equal((uint)YamuxGoAwayCode.Normal, peer.Session.RemoteGoAwayCode);
    }

    /// <summary>Echoes every stream js opens; returns how many failed.</summary>
    private static async Task<int> EchoEverythingAsync(YamuxSession session)
    {
        var echoes = new List<Task>();
        while (await session.AcceptStreamAsync() is { } stream)
        {
            echoes.Add(StreamData.EchoAsync(stream));
        }

        var failed = 0;
        foreach (var echo in echoes)
        {
            try
            {
                await echo;
            }
            catch (StreamResetException)
            {
                failed++;
            }
        }

        return failed;
    }

    private sealed class JsYamuxPeer : IAsyncDisposable
    {
        private JsYamuxPeer(JsProcess js, SocketDuplexPipe transport, YamuxSession session)
        {
            Js = js;
            Transport = transport;
            Session = session;
        }

        public JsProcess Js { get; }

        public SocketDuplexPipe Transport { get; }

        public YamuxSession Session { get; }

        public static async Task<JsYamuxPeer> StartAsync()
        {
            var js = JsProcess.Start("yamux-peer.mjs");
            var ready = await js.WaitForEventAsync(e => (string?)e["event"] == "ready", Patience);
            var transport = await SocketDuplexPipe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, (int)ready["port"]!));
            await js.WaitForEventAsync(e => (string?)e["event"] == "connected", Patience);
            return new JsYamuxPeer(js, transport, new YamuxSession(transport, isInitiator: true));
        }

        public async ValueTask DisposeAsync()
        {
            await Session.DisposeAsync();
            await Transport.DisposeAsync();
            await Js.DisposeAsync();
        }
    }
}
