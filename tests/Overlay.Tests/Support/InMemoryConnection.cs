using System.IO.Pipelines;
using Overlay.Addressing;
using Overlay.Transport;

namespace Overlay.Tests.Support;

/// <summary>Two connected <see cref="IConnection"/>s over in-memory pipes, for protocol tests without sockets.</summary>
internal sealed class InMemoryConnection : IConnection
{
    private readonly CancellationTokenSource _closed = new();
    private readonly Pipe _incoming;
    private readonly Pipe _outgoing;
    private InMemoryConnection? _peer;

    private InMemoryConnection(Pipe incoming, Pipe outgoing, int port)
    {
        _incoming = incoming;
        _outgoing = outgoing;
        LocalAddress = Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}");
        RemoteAddress = Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{3 - port}");
    }

    public static (InMemoryConnection Dialer, InMemoryConnection Listener) CreatePair()
    {
        var options = new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false);
        var ab = new Pipe(options);
        var ba = new Pipe(options);
        var a = new InMemoryConnection(ba, ab, 1);
        var b = new InMemoryConnection(ab, ba, 2);
        a._peer = b;
        b._peer = a;
        return (a, b);
    }

    public PipeReader Input => _incoming.Reader;
    public PipeWriter Output => _outgoing.Writer;
    public Multiaddr LocalAddress { get; }
    public Multiaddr RemoteAddress { get; }
    public CancellationToken Closed => _closed.Token;

    public void Abort(Exception? reason = null)
    {
        var error = reason ?? new ConnectionAbortedException("aborted");
        _incoming.Writer.Complete(error);
        _outgoing.Reader.Complete(error);
        _outgoing.Writer.Complete(error);
        _closed.Cancel();
        if (_peer is { _closed.IsCancellationRequested: false } peer)
        {
            peer.Abort(new ConnectionAbortedException("reset by peer"));
        }
    }

    public ValueTask DisposeAsync()
    {
        Abort(new ConnectionAbortedException("disposed"));
        return ValueTask.CompletedTask;
    }
}
