using Overlay.Bridge.Import;

namespace Overlay.Bridge.Ffmpeg;

/// <summary>A finished VOD import: what the input was, how it was encoded, and the stream.</summary>
public sealed record VodImportResult(MediaProbe Probe, VodEncodePlan Plan, HlsImportResult Stream);
