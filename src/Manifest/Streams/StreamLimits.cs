namespace Overlay.Manifest.Streams;

/// <summary>The named limits of specs/bundle.md and specs/manifest.md, in one place.</summary>
public static class StreamLimits
{
    /// <summary>bundle.md §4: a valid bundle is under 400 bytes; 4 KiB leaves room and stops a hostile block early.</summary>
    public const int MaxBundleBytes = 4096;

    /// <summary>manifest.md §2.1: a valid head (16 renditions, 256-byte title) is under 4 KiB.</summary>
    public const int MaxHeadBytes = 8192;

    /// <summary>manifest.md §4: a full index node is 19 459 bytes, a full page 10 499.</summary>
    public const int MaxNodeBytes = 32768;

    /// <summary>manifest.md §4: children per page-tree node.</summary>
    public const int PageFanout = 256;

    /// <summary>bundle.md §1: integers stay exact in a JavaScript number (2^53 − 1).</summary>
    public const long MaxSafeInteger = (1L << 53) - 1;

    /// <summary>bundle.md §1: 9999-12-31T23:59:59.999Z, the last instant a DateTimeOffset (and ISO 8601's four-digit year) holds.</summary>
    public const long MaxUnixMilliseconds = 253_402_300_799_999;

    /// <summary>bundle.md §3: no HLS segment lasts an hour; longer is a broken importer.</summary>
    public static readonly TimeSpan MaxSegmentDuration = TimeSpan.FromHours(1);

    /// <summary>bundle.md §7 and manifest.md §2.3: how far in the future a signing time may be.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>manifest.md §2: the longest a head may be valid (the vod bundle maximum).</summary>
    public static readonly TimeSpan MaxHeadLifetime = TimeSpan.FromDays(3650);

    /// <summary>manifest.md §2: title length in UTF-8 bytes.</summary>
    public const int MaxTitleBytes = 256;

    /// <summary>manifest.md §2: renditions per stream (a large ABR ladder has 8–10).</summary>
    public const int MaxRenditions = 16;

    /// <summary>bundle.md §3 and manifest.md §2: rendition id length.</summary>
    public const int MaxRenditionIdBytes = 32;

    /// <summary>manifest.md §2: RFC 6381 codecs string length.</summary>
    public const int MaxCodecsBytes = 128;

    /// <summary>bundle.md §3.1: media type length.</summary>
    public const int MaxMediaTypeBytes = 64;
}
