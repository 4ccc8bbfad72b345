using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Overlay.Host;

/// <summary>
/// Owns every background task of a component: each is started here, its failure is logged once,
/// and <see cref="StopAsync"/> cancels and awaits them all. Nothing is fire-and-forget.
/// </summary>
internal sealed class BackgroundTasks : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private long _nextId;

    public BackgroundTasks(ILogger logger) => _logger = logger;

    public CancellationToken Stopping => _stopping.Token;

    public void Run(string name, Func<CancellationToken, Task> work)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        var id = Interlocked.Increment(ref _nextId);
        var task = RunOneAsync(id, name, work);
        if (!task.IsCompleted)
        {
            _running.TryAdd(id, task);
            if (task.IsCompleted)
            {
                _running.TryRemove(id, out _);
            }
        }
    }

    private async Task RunOneAsync(long id, string name, Func<CancellationToken, Task> work)
    {
        await Task.Yield();
        try
        {
            await work(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            HostLog.BackgroundTaskFailed(_logger, name, e);
        }
        finally
        {
            _running.TryRemove(id, out _);
        }
    }

    public async Task StopAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
        while (!_running.IsEmpty)
        {
            await Task.WhenAll(_running.Values.ToArray()).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
