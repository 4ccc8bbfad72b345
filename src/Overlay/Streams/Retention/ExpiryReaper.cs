// Spec: specs/sync.md §6 (expiry reaping).
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Overlay.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;
using Overlay.Streams.Sync;

namespace Overlay.Streams.Retention;

/// <summary>
/// Every <c>interval</c> (and on demand, <see cref="ReapAsync"/>), finds held bundles whose
/// <c>expires</c> ≤ now (by the stream service's clock) and drops them: the follower stops
/// holding them (so sync never pushes them and HAVE never lists them) and remembers them as
/// expired (never fetched again); then their blocks (bundle and payload DAG) are removed through
/// <see cref="PinStore.CollectAsync"/>, which keeps whatever a pin, another held bundle (the
/// stream retention's tiers) or an operation in flight still uses. The same pass drops held
/// bundles whose blocks are gone (evicted), so they are fetched or pushed again.
/// </summary>
public sealed class ExpiryReaper : IAsyncDisposable
{
    private readonly StreamService _streams;
    private readonly PinStore _pins;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly Task _loop;

    public ExpiryReaper(StreamService streams, PinStore pins, TimeSpan interval, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(pins);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _streams = streams;
        _pins = pins;
        _logger = logger ?? NullLogger.Instance;
        _loop = RepeatAsync(interval, _stop.Token);
    }

    public RetentionMetrics Metrics { get; } = new();

    /// <summary>One pass over every stream; returns how many bundles were reaped.</summary>
    public async Task<int> ReapAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _streams.Options.Clock.GetUtcNow();
            var total = 0;
            foreach (var follower in _streams.Followers())
            {
                total += await ReapAsync(follower, now, cancellationToken).ConfigureAwait(false);
            }
            return total;
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task<int> ReapAsync(StreamFollower follower, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (head, held) = follower.Holdings();
        if (head is null || held.Length == 0)
        {
            return 0;
        }
        var local = _streams.LocalBlocks;
        IReadOnlyList<Cid> leaves;
        try
        {
            leaves = await new StreamManifestReader(local, head).GetLeavesAsync(0, head.Head.Size, cancellationToken).ConfigureAwait(false);
        }
        catch (OverlayException e)
        {
            StreamLog.Problem(_logger, follower.Address, $"reaper cannot read the page tree of {head.Cid}: {e.Message}");
            return 0;
        }
        var doomed = new List<BundleFacts>();
        foreach (var seq in held)
        {
            var facts = await _streams.Facts.GetAsync(local, leaves[(int)seq], cancellationToken).ConfigureAwait(false);
            // Facts may be cached from before an eviction: the files themselves are asked.
            if (facts is null || !await local.HasAsync(facts.Bundle, cancellationToken).ConfigureAwait(false)
                || !await local.HasAsync(facts.Payload, cancellationToken).ConfigureAwait(false))
            {
                // Evicted under quota: not held any more, so it is fetched or pushed again.
                follower.DropHeld(seq, facts?.Size ?? 0);
                Metrics.Lost();
                SyncLog.Lost(_logger, follower.Address, seq);
                continue;
            }
            if (facts.IsExpired(now))
            {
                follower.MarkExpired(seq, facts.Size);
                doomed.Add(facts);
            }
        }
        if (doomed.Count == 0)
        {
            return 0;
        }
        _streams.SaveExpired(follower);
        var candidates = new List<Cid>();
        foreach (var facts in doomed)
        {
            candidates.Add(facts.Bundle);
            candidates.AddRange(await _streams.Facts.PayloadBlocksAsync(local, facts.Payload, cancellationToken).ConfigureAwait(false));
        }
        var removed = await _pins.CollectAsync(candidates, cancellationToken).ConfigureAwait(false);
        Metrics.Reaped(doomed.Count, removed);
        SyncLog.Reaped(_logger, follower.Address, doomed.Count, removed);
        return doomed.Count;
    }

    private async Task RepeatAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await ReapAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OverlayException or IOException or UnauthorizedAccessException)
                {
                    StreamLog.Problem(_logger, "*", $"reaper pass failed: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _pass.Dispose();
    }
}
