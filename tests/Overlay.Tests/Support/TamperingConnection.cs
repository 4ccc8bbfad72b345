using System.IO.Pipelines;
using Overlay.Addressing;
using Overlay.Transport;

namespace Overlay.Tests.Support;

/// <summary>Wraps a connection and, when asked, flips one bit of the next bytes it sends.</summary>
internal sealed class TamperingConnection : IConnection
{
    private readonly IConnection _inner;
    private readonly TamperingWriter _writer;

    public TamperingConnection(IConnection inner)
    {
        _inner = inner;
        _writer = new TamperingWriter(this, inner.Output);
    }

    public bool FlipNextByte { get; set; }

    public PipeReader Input => _inner.Input;
    public PipeWriter Output => _writer;
    public Multiaddr LocalAddress => _inner.LocalAddress;
    public Multiaddr RemoteAddress => _inner.RemoteAddress;
    public CancellationToken Closed => _inner.Closed;
    public void Abort(Exception? reason = null) => _inner.Abort(reason);
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private sealed class TamperingWriter(TamperingConnection owner, PipeWriter inner) : PipeWriter
    {
        private Memory<byte> _lastBuffer;

        public override void Advance(int bytes)
        {
            // Skip the 2-byte length prefix so the frame still parses and only its MAC fails.
            if (owner.FlipNextByte && bytes > 2)
            {
                _lastBuffer.Span[2] ^= 0x01;
                owner.FlipNextByte = false;
            }
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => _lastBuffer = inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => (_lastBuffer = inner.GetMemory(sizeHint)).Span;

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
    }
}
