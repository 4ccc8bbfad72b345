namespace Overlay.PubSub;

/// <summary>Counters of what the pubsub service has seen and done (read with the getters; updated atomically).</summary>
public sealed class PubSubMetrics
{
    private long _bytesReceived, _bytesSent;
    private long _delivered, _duplicates, _invalidSignatures, _rejected, _ignored, _malformedRpcs, _graylisted, _published, _forwarded, _spam, _dontWantReceived, _dontWantSent;

    public long Delivered => Interlocked.Read(ref _delivered);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long InvalidSignatures => Interlocked.Read(ref _invalidSignatures);
    public long Rejected => Interlocked.Read(ref _rejected);
    public long Ignored => Interlocked.Read(ref _ignored);
    public long MalformedRpcs => Interlocked.Read(ref _malformedRpcs);
    public long GraylistedRpcs => Interlocked.Read(ref _graylisted);
    public long Published => Interlocked.Read(ref _published);
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Control entries ignored as spam (IHAVE/IWANT over the per-heartbeat limits, GRAFT floods).</summary>
    public long SpamIgnored => Interlocked.Read(ref _spam);

    /// <summary>Message IDs peers told us not to send (gossipsub v1.2 IDONTWANT), within their budget.</summary>
    public long IDontWantReceived => Interlocked.Read(ref _dontWantReceived);

    /// <summary>IDONTWANT control messages we sent to mesh peers.</summary>
    public long IDontWantSent => Interlocked.Read(ref _dontWantSent);

    /// <summary>RPC bytes read from peers (the frames' payloads, before decoding).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>RPC bytes written to peers.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    internal void RpcReceived(int bytes) => Interlocked.Add(ref _bytesReceived, bytes);
    internal void RpcSent(int bytes) => Interlocked.Add(ref _bytesSent, bytes);
    internal void Delivery() => Interlocked.Increment(ref _delivered);
    internal void Duplicate() => Interlocked.Increment(ref _duplicates);
    internal void InvalidSignature() => Interlocked.Increment(ref _invalidSignatures);
    internal void Reject() => Interlocked.Increment(ref _rejected);
    internal void Ignore() => Interlocked.Increment(ref _ignored);
    internal void MalformedRpc() => Interlocked.Increment(ref _malformedRpcs);
    internal void Graylisted() => Interlocked.Increment(ref _graylisted);
    internal void Publish() => Interlocked.Increment(ref _published);
    internal void Forward(int peers) => Interlocked.Add(ref _forwarded, peers);
    internal void DontWantReceived() => Interlocked.Increment(ref _dontWantReceived);
    internal void DontWantSent() => Interlocked.Increment(ref _dontWantSent);
    internal void Spam(int entries = 1) => Interlocked.Add(ref _spam, entries);
}
