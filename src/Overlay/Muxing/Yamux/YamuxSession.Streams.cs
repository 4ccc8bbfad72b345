// https://github.com/libp2p/specs/blob/master/yamux/README.md#ack-backlog--backpressure
using System.Threading.Channels;
using Overlay.Manifest.Errors;
using Overlay.Muxing.Yamux.Frames;

namespace Overlay.Muxing.Yamux;

/// <summary>Opening, accepting and forgetting streams.</summary>
public sealed partial class YamuxSession
{
    private readonly Dictionary<uint, YamuxStream> _streams = [];
    private readonly Channel<YamuxStream> _accepted = Channel.CreateUnbounded<YamuxStream>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly SemaphoreSlim _unacknowledged;
    private long _nextStreamId;
    private int _inboundStreams;
    private int _acceptBacklog;

    /// <summary>Streams currently known (open in at least one direction).</summary>
    internal int StreamCount
    {
        get
        {
            lock (_sync)
            {
                return _streams.Count;
            }
        }
    }

    public async ValueTask<IMuxedStream> OpenStreamAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        if (!_unacknowledged.Wait(0))
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closedToken);
            try
            {
                await _unacknowledged.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                ThrowIfClosed();
                throw;
            }
        }

        YamuxStream stream;
        lock (_sync)
        {
            if (_closeReason is { } reason)
            {
                _unacknowledged.Release();
                throw reason;
            }

            if (_nextStreamId > uint.MaxValue)
            {
                _unacknowledged.Release();
                throw new InvalidOperationException("this yamux session has used up its stream ids; open a new connection");
            }

            var id = (uint)_nextStreamId;
            _nextStreamId += 2;
            stream = new YamuxStream(this, id, outbound: true, _options, Now);
            _streams.Add(id, stream);
        }

        // Sends the SYN (with a window update) at once, so the remote learns of the stream even
        // if we wait for it to speak first.
        Schedule(stream);
        return stream;
    }

    public async ValueTask<IMuxedStream?> AcceptStreamAsync(CancellationToken cancellationToken = default)
    {
        var reader = _accepted.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var stream))
            {
                lock (_sync)
                {
                    _acceptBacklog--;
                }

                if (stream.TryAccept())
                {
                    return stream;
                }
            }
        }

        return null;
    }

    internal void ReleaseAckSlot() => _unacknowledged.Release();

    internal void RemoveStream(YamuxStream stream)
    {
        lock (_sync)
        {
            if (_streams.TryGetValue(stream.StreamId, out var known) && ReferenceEquals(known, stream))
            {
                _streams.Remove(stream.StreamId);
                if (!stream.IsOutbound)
                {
                    _inboundStreams--;
                }
            }
        }
    }

    /// <summary>Receive loop: a frame without SYN; null for a stream we do not know (any more).</summary>
    private YamuxStream? FindStream(uint id)
    {
        lock (_sync)
        {
            return _streams.GetValueOrDefault(id);
        }
    }

    /// <summary>
    /// Receive loop: the remote opens stream <paramref name="id"/>. Returns null when the stream
    /// is refused (an RST is queued) or the session is closing.
    /// </summary>
    private YamuxStream? OpenInboundStream(uint id)
    {
        // The initiator (client) opens odd ids, the listener even ones.
        if ((id % 2 == 1) == IsInitiator)
        {
            throw new MalformedDataException(YamuxFrame.Format, $"SYN for stream {id}, an id only this side may open");
        }

        YamuxStream? stream = null;
        lock (_sync)
        {
            if (_closeReason is not null)
            {
                return null;
            }

            if (_streams.ContainsKey(id))
            {
                throw new MalformedDataException(YamuxFrame.Format, $"SYN for stream {id}, which is already open");
            }

            if (_inboundStreams < _options.MaxConcurrentStreams && _acceptBacklog < _options.AcceptBacklog)
            {
                stream = new YamuxStream(this, id, outbound: false, _options, Now);
                _streams.Add(id, stream);
                _inboundStreams++;
                _acceptBacklog++;
            }
        }

        if (stream is null)
        {
            EnqueueRefusal(id);
            return null;
        }

        _accepted.Writer.TryWrite(stream);
        return stream;
    }

    private void ThrowIfClosed()
    {
        if (CloseReason is { } reason)
        {
            throw reason;
        }
    }
}
