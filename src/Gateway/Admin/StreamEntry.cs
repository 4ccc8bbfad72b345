using Overlay.Streams;

namespace Overlay.Gateway.Admin;

/// <summary>A known stream as <c>stream/ls</c> lists it and <c>stream/follow</c> reports it.</summary>
public sealed record StreamEntry
{
    public required string Address { get; init; }

    public string Title { get; init; } = "";

    public bool Own { get; init; }

    public bool Sealed { get; init; }

    /// <summary>The newest head is a growing one (a live stream).</summary>
    public bool Live { get; init; }

    /// <summary>This node is publishing the stream live right now.</summary>
    public bool Publishing { get; init; }

    public string? Head { get; init; }

    public long Held { get; init; }

    /// <summary>Leaves known expired (reaped or refused as expired): never fetched, served or pushed again.</summary>
    public long Expired { get; init; }

    /// <summary>Taken from a sync peer without being followed (specs/sync.md §4): relayed, read from the local store only.</summary>
    public bool Carried { get; init; }

    public long Total { get; init; }

    public long Bytes { get; init; }

    public int Peers { get; init; }

    public bool Complete { get; init; }

    public static StreamEntry From(StreamStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new StreamEntry
        {
            Address = status.Address,
            Title = status.Title,
            Own = status.Own,
            Sealed = status.Sealed,
            Live = status.Live,
            Publishing = status.Publishing,
            Head = status.Head,
            Held = status.Held,
            Expired = status.Expired,
            Carried = status.Carried,
            Total = status.Total,
            Bytes = status.Bytes,
            Peers = status.Peers,
            Complete = status.Complete,
        };
    }
}
