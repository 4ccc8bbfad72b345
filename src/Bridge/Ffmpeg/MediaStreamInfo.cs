namespace Overlay.Bridge.Ffmpeg;

/// <summary>One stream of a probed input, as ffprobe reports it.</summary>
/// <param name="Index">Stream index in the input.</param>
/// <param name="Type"><c>video</c>, <c>audio</c>, <c>subtitle</c>, <c>data</c>…</param>
/// <param name="Codec">ffmpeg's codec name: <c>h264</c>, <c>hevc</c>, <c>aac</c>, <c>vp9</c>…</param>
public sealed record MediaStreamInfo(int Index, string Type, string Codec, int Width, int Height);
