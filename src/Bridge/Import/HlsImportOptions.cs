using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;

namespace Overlay.Bridge.Import;

/// <summary>How an HLS source becomes a stream.</summary>
public sealed record HlsImportOptions
{
    /// <summary>The stream key: signs every bundle and the head; its name is the stream's address.</summary>
    public required Ed25519PrivateKey Key { get; init; }

    /// <summary>Display title signed into the head.</summary>
    public string Title { get; init; } = "";

    /// <summary>Priority class of every bundle; its default lifetime sets <c>expires</c>.</summary>
    public PriorityClass Class { get; init; } = PriorityClass.Vod;

    /// <summary>Signing time of bundles and head.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>UnixFS settings for payloads; the <c>unixfs-v1-2025</c> profile unless told otherwise.</summary>
    public UnixFsImportOptions UnixFs { get; init; } = UnixFsImportOptions.Default;

    /// <summary>
    /// Largest segment or init section accepted: 1 GiB, far above any real segment (a 6 s 4K
    /// segment at 100 Mbit/s is 75 MB) and small enough that a hostile playlist cannot name a
    /// terabyte range.
    /// </summary>
    public long MaxSegmentBytes { get; init; } = 1L << 30;

    public IProgress<HlsImportProgress>? Progress { get; init; }
}
