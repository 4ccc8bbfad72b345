using Overlay.Bridge.Import;

namespace Overlay.Bridge.Ffmpeg;

/// <summary>A finished VOD import: what the input was, how it was encoded, and the stream.</summary>
public sealed record VodImportResult(MediaProbe Probe, VodEncodePlan Plan, HlsImportResult Stream)
{
    /// <summary>
    /// Set when a first pass copied the video and cut a segment this long (over
    /// <see cref="VodEncodePlan.MaxSegment"/>): that pass was discarded and <see cref="Plan"/> transcodes.
    /// </summary>
    public TimeSpan? CopiedLongestSegment { get; init; }
}
