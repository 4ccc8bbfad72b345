namespace Overlay.Bridge.Ffmpeg;

/// <summary>The segment container ffmpeg writes (RFC 8216 §3.2 and §3.3).</summary>
public enum HlsSegmentType
{
    /// <summary>MPEG-2 transport stream segments (<c>.ts</c>), no init section.</summary>
    MpegTs,

    /// <summary>Fragmented MP4 / CMAF segments (<c>.m4s</c>) with an init section (<c>EXT-X-MAP</c>).</summary>
    Fmp4,
}
