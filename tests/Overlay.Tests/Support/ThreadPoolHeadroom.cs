namespace Overlay.Tests.Support;

/// <summary>
/// Raises the thread pool's minimum for tests that measure time. The vstest host runs its
/// message loop on a pool thread that blocks in a synchronous one-second socket poll; on a
/// 2-core machine the pool's default goal of two busy threads then leaves queued work (ours)
/// waiting up to a second. A production node has no such blocked thread.
/// </summary>
public sealed class ThreadPoolHeadroom
{
    private const int MinimumWorkers = 8;

    public ThreadPoolHeadroom()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < MinimumWorkers)
        {
            ThreadPool.SetMinThreads(MinimumWorkers, completionPorts);
        }
    }
}
