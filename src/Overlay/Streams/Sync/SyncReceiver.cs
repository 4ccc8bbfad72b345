// Spec: specs/sync.md §5 (what the receiver checks before a pushed bundle counts as held).
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Overlay.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;
using Overlay.Protocols;

namespace Overlay.Streams.Sync;

/// <summary>
/// Takes a peer's pushes: heads are verified (encoding, signature, lifetime) and offered to the
/// stream's follower, or the stream is taken as carried; blocks are staged in memory (bounded)
/// and never stored on their own; at each bundle frame the bundle is verified against the
/// follower's head exactly as a follower verifies it, reading staged blocks first, and only then
/// are the staged blocks it used stored and the bundle held. Anything refused is counted by
/// reason and logged; a malformed frame or a staging overflow ends the session.
/// </summary>
internal sealed class SyncReceiver(StreamService streams, SyncOptions options, SyncMetrics metrics, ILogger logger, FileBlockStore? repoBlocks)
{
    /// <summary>Blocks of one bundle written at once (bench/analysis.md: durable puts scale to about 8 writers on this disk).</summary>
    private const int PutParallelism = 8;

    public async Task ReceiveAsync(PipeReader input, PeerId peer, CancellationToken cancellationToken)
    {
        var staged = new Dictionary<Multihash, byte[]>();
        long stagedBytes = 0;
        long takenBytes = 0;
        var taken = 0;
        try
        {
            while (true)
            {
                var bytes = await LengthPrefixedMessage.ReadAsync(input, SyncLimits.MaxFrameBytes, SyncCodec.Format, cancellationToken).ConfigureAwait(false);
                if (bytes is null)
                {
                    SyncLog.Ended(logger, peer.ToString(), "the peer closed the stream without an end frame");
                    return;
                }
                var frame = SyncCodec.DecodeFrame(bytes);
                switch (frame.Kind)
                {
                    case SyncFrameKind.End:
                        return;
                    case SyncFrameKind.Head:
                        await TakeHeadAsync(frame.Data, peer, cancellationToken).ConfigureAwait(false);
                        break;
                    case SyncFrameKind.Block:
                        stagedBytes += frame.Data.Length;
                        if (stagedBytes > SyncLimits.MaxStagedBytes || takenBytes + stagedBytes > options.MaxSessionBytes)
                        {
                            Refuse(peer, SyncRejection.Staging, $"more than {Math.Min(SyncLimits.MaxStagedBytes, options.MaxSessionBytes)} bytes pushed without verifying into bundles");
                            return;
                        }
                        staged[Multihash.Sha2_256(frame.Data.Span)] = frame.Data.ToArray();
                        break;
                    case SyncFrameKind.Bundle:
                        var size = await TakeBundleAsync(frame.Stream!, frame.Seq, staged, peer, cancellationToken).ConfigureAwait(false);
                        if (size is { } held)
                        {
                            taken++;
                            takenBytes += held;
                            stagedBytes = staged.Values.Sum(b => (long)b.Length);
                        }
                        break;
                }
            }
        }
        catch (MalformedDataException e)
        {
            Refuse(peer, SyncRejection.Malformed, e.Message);
        }
        catch (StorageQuotaExceededException e)
        {
            // The repo is full of things it keeps: nothing wrong with the peer, the rest waits.
            SyncLog.Ended(logger, peer.ToString(), e.Message);
        }
        finally
        {
            if (taken > 0)
            {
                SyncLog.Took(logger, peer.ToString(), taken, takenBytes);
            }
        }
    }

    private async Task TakeHeadAsync(ReadOnlyMemory<byte> bytes, PeerId peer, CancellationToken cancellationToken)
    {
        SignedTreeHead head;
        try
        {
            head = SignedTreeHead.Decode(bytes.Span);
        }
        catch (OverlayException e)
        {
            Refuse(peer, SyncRejection.BadHead, e.Message);
            return;
        }
        var now = streams.Options.Clock.GetUtcNow();
        if (head.Head.IsExpired(now) || head.Head.Time > now + StreamLimits.MaxClockSkew)
        {
            Refuse(peer, SyncRejection.Expired, $"{head} lives from {head.Head.Time:O} to {head.Head.Expires:O}, outside now {now:O}");
            return;
        }
        if (streams.TakeFromSync(head, peer, options.CarryNew, options.MaxCarriedStreams) is null)
        {
            Refuse(peer, SyncRejection.NotCarried, $"stream {head.Head.Stream.ToBase36Name()} is not followed and not taken to carry");
            return;
        }
        await streams.LocalBlocks.PutAsync(head.Cid, head.Bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The bundle's payload size once it is verified, stored and held; null when refused (counted) or already held.</summary>
    private async Task<long?> TakeBundleAsync(PeerId stream, long seq, Dictionary<Multihash, byte[]> staged, PeerId peer, CancellationToken cancellationToken)
    {
        var follower = streams.Find(stream);
        var head = follower?.CurrentHead;
        if (follower is null || head is null)
        {
            Refuse(peer, SyncRejection.NoHead, $"bundle {seq} of {stream.ToBase36Name()}, a stream without a held head");
            return null;
        }
        if (follower.IsExpired(seq) || follower.Holdings().Held.Contains(seq))
        {
            // Held already, or known expired (a sender with a slower clock pushes it again): nothing to do.
            return null;
        }
        var recorder = new RecordingBlockStore(streams.LocalBlocks, staged);
        SignedBundle bundle;
        try
        {
            bundle = await BundleVerifier.VerifyAsync(recorder, head, seq, streams.Options.Clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (BundleRefusedException e)
        {
            if (e.Reason == SyncRejection.Expired)
            {
                // A real leaf whose lifetime ended in transit: never held, never asked for again.
                follower.MarkExpired(seq, 0);
                streams.SaveExpired(follower);
            }
            Refuse(peer, e.Reason, $"{follower.Address}: {e.Message}");
            return null;
        }
        // Leased from before the first put until the bundle is held (then the stream retention keeps them).
        using var operation = repoBlocks?.BeginOperation();
        foreach (var (cid, _) in recorder.Read)
        {
            operation?.Lease(cid);
        }
        var fresh = recorder.Read.Where(b => staged.Remove(b.Cid.Hash)).ToArray();
        // Durable puts are fsync-bound: several at once use the disk better than one after another.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = PutParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(fresh, parallel, async (block, token) =>
            await streams.LocalBlocks.PutAsync(block.Cid, block.Data, token).ConfigureAwait(false)).ConfigureAwait(false);
        follower.MarkHeld(seq, bundle.Bundle.Size);
        metrics.Taken(bundle.Bundle.Size);
        return bundle.Bundle.Size;
    }

    private void Refuse(PeerId peer, string reason, string detail)
    {
        metrics.Refuse(reason);
        SyncLog.Refused(logger, peer.ToString(), reason, detail);
    }
}
