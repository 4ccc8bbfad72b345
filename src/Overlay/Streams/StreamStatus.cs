namespace Overlay.Streams;

/// <summary>What this node knows of one stream: its newest verified head and what it holds under it.</summary>
public sealed record StreamStatus
{
    /// <summary>The stream key's name (<c>k51…</c>).</summary>
    public required string Address { get; init; }

    /// <summary>Published by this node (its key), rather than followed.</summary>
    public required bool Own { get; init; }

    public string Title { get; init; } = "";

    /// <summary>Whether the newest verified head is sealed (VOD); false while no head is known.</summary>
    public bool Sealed { get; init; }

    /// <summary>Whether the newest verified head is a growing (unsealed) one: a live stream.</summary>
    public bool Live { get; init; }

    /// <summary>This node is publishing the stream live right now (a <see cref="LivePublication"/> is running).</summary>
    public bool Publishing { get; init; }

    /// <summary>CID of the newest verified head, or null while none is known.</summary>
    public string? Head { get; init; }

    /// <summary>Leaves (bundles) under the newest verified head.</summary>
    public long Total { get; init; }

    /// <summary>Bundles verified and held here (bundle, inclusion and payload checked).</summary>
    public long Held { get; init; }

    /// <summary>Bundles whose lifetime is over: reaped or refused, never held again (specs/sync.md §6).</summary>
    public long Expired { get; init; }

    /// <summary>Taken from a sync peer to pass on rather than followed by request (specs/sync.md §4).</summary>
    public bool Carried { get; init; }

    /// <summary>Payload bytes of the held bundles.</summary>
    public long Bytes { get; init; }

    /// <summary>Peers that announced a HAVE for this stream.</summary>
    public int Peers { get; init; }

    public bool Complete => Total > 0 && Held + Expired >= Total;
}
