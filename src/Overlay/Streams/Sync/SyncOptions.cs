namespace Overlay.Streams.Sync;

/// <summary>When a node syncs and what it takes (specs/sync.md §4).</summary>
public sealed record SyncOptions
{
    /// <summary>How often a sync runs again with every connected peer (also once on each new connection).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Take streams this node does not follow yet, to carry them to others (a delay-tolerant relay).</summary>
    public bool CarryNew { get; init; } = true;

    /// <summary>Most streams carried at once; pushes of further new streams are refused.</summary>
    public int MaxCarriedStreams { get; init; } = 64;

    /// <summary>Most bytes one session pushes (sender) or takes (receiver); the rest waits for the next session.</summary>
    public long MaxSessionBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>A session that takes longer is cut; what was verified so far is kept.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
