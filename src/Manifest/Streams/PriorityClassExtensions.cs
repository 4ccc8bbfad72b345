namespace Overlay.Manifest.Streams;

/// <summary>Default and maximum lifetimes and wire names of <see cref="PriorityClass"/> (specs/bundle.md §5).</summary>
public static class PriorityClassExtensions
{
    /// <summary>What a publisher uses when not told otherwise: 30 minutes, 6 hours, 30 days (BRIEF §4).</summary>
    public static TimeSpan DefaultLifetime(this PriorityClass priority) => priority switch
    {
        PriorityClass.Live => TimeSpan.FromMinutes(30),
        PriorityClass.NearLive => TimeSpan.FromHours(6),
        PriorityClass.Vod => TimeSpan.FromDays(30),
        _ => throw new ArgumentOutOfRangeException(nameof(priority)),
    };

    /// <summary>The longest lifetime a verifier accepts, so a high-priority class cannot claim to live forever.</summary>
    public static TimeSpan MaxLifetime(this PriorityClass priority) => priority switch
    {
        PriorityClass.Live => TimeSpan.FromHours(24),
        PriorityClass.NearLive => TimeSpan.FromDays(7),
        PriorityClass.Vod => TimeSpan.FromDays(3650),
        _ => throw new ArgumentOutOfRangeException(nameof(priority)),
    };

    public static string WireName(this PriorityClass priority) => priority switch
    {
        PriorityClass.Live => "live",
        PriorityClass.NearLive => "near_live",
        PriorityClass.Vod => "vod",
        _ => throw new ArgumentOutOfRangeException(nameof(priority)),
    };

    internal static bool TryParse(string wireName, out PriorityClass priority)
    {
        (var known, priority) = wireName switch
        {
            "live" => (true, PriorityClass.Live),
            "near_live" => (true, PriorityClass.NearLive),
            "vod" => (true, PriorityClass.Vod),
            _ => (false, default),
        };
        return known;
    }
}
