// Spec: specs/sync.md §2.2-§2.3 (what the answering side pushes, in which order).
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;
using Overlay.Protocols;

namespace Overlay.Streams.Sync;

/// <summary>
/// Answers a peer's summary: every held, unexpired bundle the peer does not list, in
/// <see cref="PushOrder"/>, each checked again here exactly as the receiver will check it (so
/// nothing corrupt or expired leaves this node), preceded by the heads they are pushed under and
/// followed by the blocks the receiver needs that this session has not sent yet.
/// </summary>
internal sealed class SyncSender(StreamService streams, SyncOptions options, SyncMetrics metrics, ILogger logger)
{
    public async Task PushAsync(PipeWriter output, SyncSummary summary, PeerId peer, CancellationToken cancellationToken)
    {
        var now = streams.Options.Clock.GetUtcNow();
        var theirs = ReadSummary(summary, peer, now);
        var candidates = new List<PushCandidate>();
        var heads = new List<(SignedTreeHead Head, int Rank)>();
        foreach (var follower in streams.Followers())
        {
            var (head, held) = follower.Holdings();
            if (head is null || head.Head.IsExpired(now))
            {
                continue;
            }
            if (!theirs.TryGetValue(head.Head.Stream, out var known) && !summary.Carry)
            {
                // The peer takes only streams it already has: nothing of this one would be kept.
                continue;
            }
            var lacking = held.Where(seq => !follower.IsExpired(seq) && !(known.Ranges?.Any(r => r.Start <= seq && seq < r.End) ?? false)).ToArray();
            var mine = await CandidatesAsync(head, lacking, now, cancellationToken).ConfigureAwait(false);
            candidates.AddRange(mine);
            if (mine.Count > 0 || (known.Ranges is not null && known.Size < head.Head.Size))
            {
                heads.Add((head, mine.Count > 0 ? mine.Min(c => PushOrder.Rank(c.Facts.Class)) : 3));
            }
        }
        foreach (var (head, _) in heads.OrderBy(h => h.Rank))
        {
            Write(output, new SyncFrame { Kind = SyncFrameKind.Head, Data = head.Bytes });
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);

        var sent = new HashSet<Multihash>();
        long bytes = 0;
        var bundles = 0;
        foreach (var candidate in candidates.OrderBy(c => c.Facts, PushOrder.Instance))
        {
            if (bytes >= options.MaxSessionBytes)
            {
                break;
            }
            var recorder = new RecordingBlockStore(streams.LocalBlocks);
            try
            {
                await BundleVerifier.VerifyAsync(recorder, candidate.Head, candidate.Facts.Seq, now, cancellationToken).ConfigureAwait(false);
            }
            catch (BundleRefusedException e)
            {
                // Our own copy is gone or bad: the reaper or the follower sorts it out; it is not pushed.
                SyncLog.Ended(logger, peer.ToString(), $"not pushing {e.Message}");
                continue;
            }
            if (recorder.Read.Any(b => b.Data.Length > SyncLimits.MaxBlockBytes) || recorder.Read.Sum(b => (long)b.Data.Length) > SyncLimits.MaxStagedBytes / 2)
            {
                continue;
            }
            foreach (var (cid, data) in recorder.Read)
            {
                if (sent.Add(cid.Hash))
                {
                    Write(output, new SyncFrame { Kind = SyncFrameKind.Block, Data = data });
                    bytes += data.Length;
                }
            }
            Write(output, new SyncFrame { Kind = SyncFrameKind.Bundle, Stream = candidate.Head.Head.Stream, Seq = candidate.Facts.Seq });
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            bundles++;
            metrics.Pushed(candidate.Facts.Size);
        }
        Write(output, new SyncFrame { Kind = SyncFrameKind.End });
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (bundles > 0)
        {
            SyncLog.Pushed(logger, peer.ToString(), bundles, bytes);
        }
    }

    /// <summary>
    /// The peer's heads and held ranges by stream. A head that does not verify is counted and its
    /// entry ignored; a valid one of a stream we know is offered to its follower, so a newer head
    /// travels with the summary too.
    /// </summary>
    private Dictionary<PeerId, (long Size, IReadOnlyList<LeafRange>? Ranges)> ReadSummary(SyncSummary summary, PeerId peer, DateTimeOffset now)
    {
        var theirs = new Dictionary<PeerId, (long, IReadOnlyList<LeafRange>?)>();
        foreach (var entry in summary.Streams)
        {
            SignedTreeHead head;
            try
            {
                head = SignedTreeHead.Decode(entry.Head.Span);
            }
            catch (OverlayException e)
            {
                metrics.Refuse(SyncRejection.BadHead);
                SyncLog.Refused(logger, peer.ToString(), SyncRejection.BadHead, $"summary head: {e.Message}");
                continue;
            }
            theirs[head.Head.Stream] = (head.Head.Size, entry.Held);
            if (!head.Head.IsExpired(now) && head.Head.Time <= now + StreamLimits.MaxClockSkew)
            {
                streams.Find(head.Head.Stream)?.Offer(head, peer);
            }
        }
        return theirs;
    }

    private async Task<List<PushCandidate>> CandidatesAsync(SignedTreeHead head, long[] lacking, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = new List<PushCandidate>();
        if (lacking.Length == 0)
        {
            return found;
        }
        IReadOnlyList<Manifest.Multiformats.Cid> leaves;
        try
        {
            leaves = await new StreamManifestReader(streams.LocalBlocks, head).GetLeavesAsync(0, head.Head.Size, cancellationToken).ConfigureAwait(false);
        }
        catch (OverlayException)
        {
            return found;
        }
        foreach (var seq in lacking)
        {
            if (await streams.Facts.GetAsync(streams.LocalBlocks, leaves[(int)seq], cancellationToken).ConfigureAwait(false) is { } facts && !facts.IsExpired(now))
            {
                found.Add(new PushCandidate(head, facts));
            }
        }
        return found;
    }

    private static void Write(PipeWriter output, SyncFrame frame) => LengthPrefixedMessage.Write(output, SyncCodec.EncodeFrame(frame));
}
