using Overlay.Muxing.Yamux;
using Overlay.Muxing.Yamux.Frames;
using Overlay.Tests.Muxing.Yamux;
using Overlay.Tests.Support;

namespace Overlay.Tests.Hostile;

/// <summary>
/// The smallest reproduction of what <see cref="StreamFloodTests"/>' burst test finds, on a bare
/// yamux session over in-memory pipes: SYNs past the accept backlog are answered with RST, but
/// when more than <c>MaxPendingControlFrames</c> (1024) of them arrive in one read, the session
/// ends with a protocol violation although the remote reads everything. The receive loop queues
/// the RSTs faster than the send loop (which has not run yet) writes them, so "a remote that does
/// not read its refusals" is judged before the remote had a chance to read any.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class YamuxBurstReproTests
{
    [Fact]
    public async Task Two_thousand_SYNs_in_one_write_are_each_refused_and_the_session_stays_open()
    {
        const int syns = 2000;
        var transport = DuplexPipePair.Create();
        await using var session = new YamuxSession(transport.Server, isInitiator: false, RawConnection.QuietOptions);
        var drain = new FloodDrain();
        var reading = Task.Run(() => drain.RunAsync(transport.Client.Input));

        var frames = new byte[syns * YamuxFrame.HeaderLength];
        for (var i = 0; i < syns; i++)
        {
            YamuxFrame.WindowUpdate((uint)(2 * i + 1), YamuxFrameFlags.Syn, 0).WriteTo(frames.AsSpan(i * YamuxFrame.HeaderLength));
        }
        await transport.Client.Output.WriteAsync(frames);
        var backlog = RawConnection.QuietOptions.AcceptBacklog;
        await Eventually.TrueAsync(() => drain.Reset >= syns - backlog || session.Closed.IsCancellationRequested, TimeSpan.FromSeconds(5), "the session answered every SYN");

        Assert.True(session.CloseReason is null, $"the session ended: {session.CloseReason?.Message} after {drain.Reset} RSTs");
        Assert.Equal(syns - backlog, drain.Reset);
        await transport.Client.Output.CompleteAsync();
        await reading.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
