using System.Buffers;
using System.IO.Pipelines;
using Overlay.Addressing;
using Overlay.Transport;

namespace Overlay.Tests.Hostile;

/// <summary>
/// Wraps the attacker's TCP connection so that raw bytes can be slipped in between the whole
/// Noise frames an honest <c>NoiseConnection</c> writes: a pump copies what the layer above
/// flushes (always whole frames) and <see cref="InjectAsync"/> takes the same turn lock.
/// </summary>
internal sealed class InjectingConnection : IConnection
{
    private readonly IConnection _inner;
    private readonly Pipe _above = new(new PipeOptions(useSynchronizationContext: false));
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Task _pump;

    public InjectingConnection(IConnection inner)
    {
        _inner = inner;
        _pump = PumpAsync();
    }

    public PipeReader Input => _inner.Input;
    public PipeWriter Output => _above.Writer;
    public Multiaddr LocalAddress => _inner.LocalAddress;
    public Multiaddr RemoteAddress => _inner.RemoteAddress;
    public CancellationToken Closed => _inner.Closed;

    public void Abort(Exception? reason = null) => _inner.Abort(reason);

    /// <summary>Writes <paramref name="bytes"/> to the socket as they are, between two frames of the layer above.</summary>
    public async Task InjectAsync(ReadOnlyMemory<byte> bytes)
    {
        await _turn.WaitAsync();
        try
        {
            await _inner.Output.WriteAsync(bytes);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                var result = await _above.Reader.ReadAsync();
                await _turn.WaitAsync();
                try
                {
                    foreach (var segment in result.Buffer)
                    {
                        _inner.Output.Write(segment.Span);
                    }
                    await _inner.Output.FlushAsync();
                }
                finally
                {
                    _turn.Release();
                }
                _above.Reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception)
        {
            // The host cut the connection: exactly what these tests provoke.
        }
        await _above.Reader.CompleteAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _above.Writer.CompleteAsync();
        await _inner.DisposeAsync();
        await _pump;
    }
}
