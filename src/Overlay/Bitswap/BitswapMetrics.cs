using System.Collections.Concurrent;

namespace Overlay.Bitswap;

/// <summary>Counters of one bitswap service; every refusal is counted by a <see cref="BitswapRejectReason"/>.</summary>
public sealed class BitswapMetrics
{
    private readonly ConcurrentDictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private long _blocksReceived;
    private long _bytesReceived;
    private long _duplicateBlocks;
    private long _blocksSent;
    private long _bytesSent;
    private long _messagesReceived;
    private long _messagesSent;
    private long _havesReceived;
    private long _dontHavesReceived;
    private long _wantsReceived;
    private long _sendFailures;
    private long _peersCutOff;

    /// <summary>Verified blocks we wanted and stored.</summary>
    public long BlocksReceived => Interlocked.Read(ref _blocksReceived);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Verified blocks that arrived after their want was already satisfied or cancelled.</summary>
    public long DuplicateBlocks => Interlocked.Read(ref _duplicateBlocks);

    public long BlocksSent => Interlocked.Read(ref _blocksSent);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    public long HavesReceived => Interlocked.Read(ref _havesReceived);

    public long DontHavesReceived => Interlocked.Read(ref _dontHavesReceived);

    /// <summary>Wantlist entries received (wants and cancels).</summary>
    public long WantsReceived => Interlocked.Read(ref _wantsReceived);

    /// <summary>Outbound streams that failed (peer gone, reset, no bitswap).</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>Peers disconnected and banned for reaching <see cref="BitswapOptions.MaxStrikes"/>.</summary>
    public long PeersCutOff => Interlocked.Read(ref _peersCutOff);

    public IReadOnlyDictionary<string, long> Rejected => _rejected;

    public long RejectedFor(string reason) => _rejected.TryGetValue(reason, out var count) ? count : 0;

    internal void BlockReceived(int bytes)
    {
        Interlocked.Increment(ref _blocksReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    internal void DuplicateBlock() => Interlocked.Increment(ref _duplicateBlocks);

    internal void BlockSent(int bytes)
    {
        Interlocked.Increment(ref _blocksSent);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    internal void MessageReceived() => Interlocked.Increment(ref _messagesReceived);

    internal void MessageSent() => Interlocked.Increment(ref _messagesSent);

    internal void HaveReceived() => Interlocked.Increment(ref _havesReceived);

    internal void DontHaveReceived() => Interlocked.Increment(ref _dontHavesReceived);

    internal void WantReceived(int count) => Interlocked.Add(ref _wantsReceived, count);

    internal void SendFailed() => Interlocked.Increment(ref _sendFailures);

    internal void PeerCutOff() => Interlocked.Increment(ref _peersCutOff);

    internal void Reject(string reason) => _rejected.AddOrUpdate(reason, 1, (_, n) => n + 1);
}
