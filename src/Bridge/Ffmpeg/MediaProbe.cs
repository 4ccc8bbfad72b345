// Input: ffprobe -print_format json -show_format -show_streams (https://ffmpeg.org/ffprobe.html)
using System.Globalization;
using System.Text.Json;
using Overlay.Manifest.Errors;

namespace Overlay.Bridge.Ffmpeg;

/// <summary>What ffprobe says of an input: its container, duration and streams.</summary>
public sealed record MediaProbe(string Format, TimeSpan? Duration, IReadOnlyList<MediaStreamInfo> Streams)
{
    /// <summary>The first video stream, or null for audio-only input.</summary>
    public MediaStreamInfo? Video => Streams.FirstOrDefault(s => s.Type == "video");

    /// <summary>The first audio stream, or null.</summary>
    public MediaStreamInfo? Audio => Streams.FirstOrDefault(s => s.Type == "audio");

    /// <summary>Probes <paramref name="input"/> (a path or URL ffmpeg can read).</summary>
    public static async Task<MediaProbe> RunAsync(FfmpegRunner runner, string input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentException.ThrowIfNullOrEmpty(input);
        var result = await runner.FfprobeAsync(["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-i", input], cancellationToken).ConfigureAwait(false);
        return Parse(result.StandardOutput);
    }

    /// <summary>Parses ffprobe's JSON; anything unexpected is a <see cref="MalformedDataException"/>.</summary>
    public static MediaProbe Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            var streams = new List<MediaStreamInfo>();
            if (root.TryGetProperty("streams", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var stream in list.EnumerateArray().Take(64))
                {
                    streams.Add(new MediaStreamInfo(
                        Int(stream, "index"),
                        Text(stream, "codec_type"),
                        Text(stream, "codec_name"),
                        Int(stream, "width"),
                        Int(stream, "height")));
                }
            }
            var format = root.TryGetProperty("format", out var f) ? f : default;
            TimeSpan? duration = format.ValueKind == JsonValueKind.Object
                && double.TryParse(Text(format, "duration"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && seconds is >= 0 and < 1e9
                ? TimeSpan.FromSeconds(seconds)
                : null;
            return new MediaProbe(format.ValueKind == JsonValueKind.Object ? Text(format, "format_name") : "", duration, streams);
        }
        catch (JsonException e)
        {
            throw new MalformedDataException("ffprobe", "its output is not the expected JSON", e);
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : 0;
}
