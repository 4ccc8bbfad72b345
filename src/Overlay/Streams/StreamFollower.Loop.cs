// Spec: specs/stream-protocol.md §5 (follower state machine).
using Overlay.Blocks;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;

namespace Overlay.Streams;

internal sealed partial class StreamFollower
{
    private DateTimeOffset _lastAnswer = DateTimeOffset.MinValue;

    /// <summary>
    /// WAITING (no head: REQUEST after <see cref="StreamServiceOptions.RequestDelay"/>, again and
    /// again) → FETCHING (every bundle not held, in seq order, several at once) → HOLDING (pinned;
    /// HAVE, and HEAD when ours, every <see cref="StreamServiceOptions.AnnounceInterval"/>;
    /// REQUESTs answered with HEAD). A new head goes back to FETCHING.
    /// </summary>
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var options = _service.Options;
        var lastAnnounce = DateTimeOffset.MinValue;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                SignedTreeHead? head, pending;
                bool changed, requested;
                lock (_gate)
                {
                    (head, pending, changed, requested) = (_head, _pending, _headChanged, _requested);
                    (_pending, _headChanged, _requested) = (null, false, false);
                }
                if (pending is not null && head is not null)
                {
                    await CheckPendingAsync(head, pending, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (head is null)
                {
                    if (!await WaitAsync(options.RequestDelay, cancellationToken).ConfigureAwait(false))
                    {
                        Publish(new StreamMessage { Kind = StreamMessageKind.Request });
                    }
                    continue;
                }
                if (changed && !await GuardAsync(() => KeepHeadAsync(head, cancellationToken), cancellationToken).ConfigureAwait(false))
                {
                    lock (_gate)
                    {
                        _headChanged = true;
                    }
                    continue;
                }
                if (requested)
                {
                    AnswerRequest(head);
                }
                if (!Settled(head))
                {
                    await GuardAsync(() => FetchMissingAsync(head, cancellationToken), cancellationToken).ConfigureAwait(false);
                    if (!Settled(head))
                    {
                        await WaitAsync(options.RetryDelay, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    Completed(head);
                    lastAnnounce = DateTimeOffset.MinValue;
                }
                var now = options.Clock.GetUtcNow();
                if (now - lastAnnounce >= options.AnnounceInterval)
                {
                    Announce(head);
                    lastAnnounce = now;
                }
                await WaitAsync(options.AnnounceInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One pass of <see cref="RunAsync"/>'s work; a store or disk failure is logged and the pass tried again later.</summary>
    private async Task<bool> GuardAsync(Func<Task> step, CancellationToken cancellationToken)
    {
        try
        {
            await step().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OverlayException or IOException or UnauthorizedAccessException && !cancellationToken.IsCancellationRequested)
        {
            StreamLog.Problem(Logger, Address, e.Message);
            await WaitAsync(_service.Options.RetryDelay, cancellationToken).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>True when woken by news (a head, a REQUEST), false when the time ran out.</summary>
    private Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        _wake.WaitAsync(delay, cancellationToken);

    /// <summary>A larger head over an unsealed one: adopted only when the held head's tree is a prefix of it.</summary>
    private async Task CheckPendingAsync(SignedTreeHead held, SignedTreeHead offered, CancellationToken cancellationToken)
    {
        try
        {
            var reader = new StreamManifestReader(_service.NetworkBlocks(), offered);
            var proof = await reader.ProveConsistencyAsync(held.Head.Size, cancellationToken).ConfigureAwait(false);
            TreeHeadSuccession.Check(held, offered, proof);
            lock (_gate)
            {
                if (ReferenceEquals(_head, held))
                {
                    SetHead(offered);
                }
            }
        }
        catch (ForkDetectedException e)
        {
            Refuse(HeadRejection.Fork, _service.PubSub.PeerId, e.Message, PubSub.ValidationResult.Reject);
        }
        catch (SealedStreamException e)
        {
            Refuse(HeadRejection.Sealed, _service.PubSub.PeerId, e.Message, PubSub.ValidationResult.Reject);
        }
        catch (Exception e) when (e is OverlayException or TimeoutException)
        {
            // The page tree could not be read or did not verify: the head stays unproven.
            StreamLog.Problem(Logger, Address, $"could not check the head of size {offered.Head.Size}: {e.Message}");
        }
    }

    /// <summary>The head block into the store (so it can be served and pinned) and into the repo's stream state.</summary>
    private async Task KeepHeadAsync(SignedTreeHead head, CancellationToken cancellationToken)
    {
        await _service.LocalBlocks.PutAsync(head.Cid, head.Bytes, cancellationToken).ConfigureAwait(false);
        _service.State.Save(Stream, head.Bytes.Span, Own);
    }

    private async Task FetchMissingAsync(SignedTreeHead head, CancellationToken cancellationToken)
    {
        // A carried stream comes from sync pushes and the local store only (specs/sync.md §4).
        var store = Carried ? _service.LocalBlocks : _service.NetworkBlocks();
        var reader = new StreamManifestReader(store, head);
        IReadOnlyList<Cid> leaves;
        try
        {
            leaves = await reader.GetLeavesAsync(0, head.Head.Size, cancellationToken).ConfigureAwait(false);
        }
        catch (OverlayException e)
        {
            StreamLog.Problem(Logger, Address, $"page tree of head {head.Cid}: {e.Message}");
            return;
        }
        long[] missing;
        lock (_gate)
        {
            missing = Enumerable.Range(0, leaves.Count).Select(i => (long)i).Where(i => !_held.Contains(i) && !_expired.Contains(i)).ToArray();
        }
        if (!head.Head.Sealed)
        {
            // Deadline order at the live edge: the newest window first (a viewer plays there), then the back catalogue.
            var edge = head.Head.Size - _service.Options.LiveWindow;
            missing = [.. missing.Where(i => i >= edge), .. missing.Where(i => i < edge)];
        }
        using var readerGate = new SemaphoreSlim(1);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _service.Options.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(missing, parallel, async (seq, ct) =>
        {
            var size = await VerifyBundleAsync(head, store, reader, readerGate, seq, leaves[(int)seq], ct).ConfigureAwait(false);
            if (size is { } bytes)
            {
                lock (_gate)
                {
                    if (_held.Add(seq))
                    {
                        _heldBytes += bytes;
                        _heldAt[seq] = System.Diagnostics.Stopwatch.GetTimestamp();
                    }
                }
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Fetches and checks bundle <paramref name="seq"/>: the block hashes to the leaf's CID, the
    /// stream key signed it, it is leaf seq of the head (inclusion proof from the verified page
    /// tree), and its payload's blocks hash to their CIDs and add up to the signed size. Returns
    /// the payload size, or null when it is not held (missing, or refused and counted).
    /// </summary>
    private async Task<long?> VerifyBundleAsync(
        SignedTreeHead head, IBlockStore store, StreamManifestReader reader, SemaphoreSlim readerGate, long seq, Cid leaf, CancellationToken cancellationToken)
    {
        var stage = "bundle";
        try
        {
            var bytes = await VerifyingBlockStore.GetVerifiedAsync(store, leaf, cancellationToken).ConfigureAwait(false);
            stage = "signature";
            var bundle = SignedBundle.Decode(bytes.Span, Stream);
            if (bundle.Bundle.IsExpired(_service.Options.Clock.GetUtcNow()))
            {
                // Its lifetime is over: never held, served or asked for again (specs/sync.md §6).
                stage = "expired";
                MarkExpired(seq, 0);
                throw new VerificationException($"bundle {seq} expired at {bundle.Bundle.Expires:O}");
            }
            stage = "inclusion";
            IReadOnlyList<byte[]> proof;
            await readerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                proof = await reader.ProveInclusionAsync(seq, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                readerGate.Release();
            }
            head.VerifyInclusion(bundle, proof);
            stage = "payload";
            var length = 0L;
            var payloads = new UnixFsReader(new VerifyingBlockStore(store));
            await foreach (var chunk in payloads.ReadAsync(bundle.Bundle.Payload, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                length += chunk.Length;
                if (length > bundle.Bundle.Size)
                {
                    break;
                }
            }
            if (length != bundle.Bundle.Size)
            {
                throw new VerificationException($"payload {bundle.Bundle.Payload} has {length} bytes, the bundle signs {bundle.Bundle.Size}");
            }
            Metrics.BundleVerified();
            return length;
        }
        catch (BlockNotFoundException e)
        {
            StreamLog.BundleMissing(Logger, Address, seq, e.Message);
            return null;
        }
        catch (StorageQuotaExceededException e)
        {
            // The repo is full: nothing wrong with the bundle, it is just not held.
            StreamLog.BundleMissing(Logger, Address, seq, e.Message);
            return null;
        }
        catch (Exception e) when (e is OverlayException or TimeoutException)
        {
            Metrics.BundleRejected(stage);
            StreamLog.BundleRejected(Logger, Address, seq, stage, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Nothing to pin here: the publisher pins each of its own heads before announcing it
    /// (StreamService.PublishAsync, LivePublication), and followed and carried streams are kept by
    /// the class-ranked stream retention, not a pin (specs/sync.md §7).
    /// </summary>
    private void Completed(SignedTreeHead head) => StreamLog.Completed(Logger, Address, head.Head.Size);

    private void AnswerRequest(SignedTreeHead head)
    {
        var now = _service.Options.Clock.GetUtcNow();
        if (now - _lastAnswer < _service.Options.AnswerInterval)
        {
            return;
        }
        _lastAnswer = now;
        Publish(new StreamMessage { Kind = StreamMessageKind.Head, Head = head.Bytes });
    }

    /// <summary>HEAD when we publish the stream; HAVE with our held ranges from everyone holding any.</summary>
    private void Announce(SignedTreeHead head)
    {
        if (Own)
        {
            Publish(new StreamMessage { Kind = StreamMessageKind.Head, Head = head.Bytes });
        }
        long[] held;
        lock (_gate)
        {
            held = _held.Order().ToArray();
        }
        var ranges = new List<LeafRange>();
        foreach (var seq in held)
        {
            if (ranges.Count > 0 && ranges[^1].End == seq)
            {
                ranges[^1] = ranges[^1] with { End = seq + 1 };
            }
            else if (ranges.Count < StreamMessageCodec.MaxRanges)
            {
                ranges.Add(new LeafRange(seq, seq + 1));
            }
        }
        if (ranges.Count > 0)
        {
            Publish(new StreamMessage { Kind = StreamMessageKind.Have, HeadSize = head.Head.Size, Ranges = ranges });
        }
    }

    private void Publish(StreamMessage message) => _service.PubSub.Publish(Topic, StreamMessageCodec.Encode(message));
}
