namespace Overlay.Names;

/// <summary>How long our records live and how often they are spread again.</summary>
public sealed record NameServiceOptions
{
    /// <summary>Validity of a record we sign: 48 h, kubo's default, so a follower that was away a day still resolves.</summary>
    public TimeSpan RecordLifetime { get; init; } = TimeSpan.FromHours(48);

    /// <summary>How long resolvers may cache a record: 5 min, as kubo now signs them (stream heads move).</summary>
    public TimeSpan RecordTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often our own records are sent again on their topics, for peers that missed them.</summary>
    public TimeSpan RepublishInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Names of others whose topics we subscribe to (by resolving them), at most: each is a
    /// subscription announced to every peer, and <c>/ipns/&lt;anything&gt;</c> on the gateway would
    /// otherwise let any web client add one. Our own names are not counted.
    /// </summary>
    public int MaxWatchedNames { get; init; } = 1024;
}
