namespace Overlay.Manifest.Streams;

/// <summary>What a follower does with an offered head (specs/manifest.md §6) when it is not an error.</summary>
public enum HeadUpdate
{
    /// <summary>Accepted: a larger tree consistent with the held one.</summary>
    Extended,

    /// <summary>Accepted: the same tree with a newer time (new expiry, metadata or seal).</summary>
    Refreshed,

    /// <summary>Ignored: byte-for-byte the held head.</summary>
    Duplicate,

    /// <summary>Ignored: a smaller tree (a replay or a late message).</summary>
    OlderSize,

    /// <summary>Ignored: not newer in time than the held head (a replay, or a publisher clock gone back).</summary>
    OlderTime,
}
