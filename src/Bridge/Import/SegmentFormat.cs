// Media types: specs/bundle.md §3.1; formats: RFC 8216 §3 (MPEG-TS, fMP4, packed audio, WebVTT).
using Overlay.Bridge.Hls;

namespace Overlay.Bridge.Import;

/// <summary>
/// Decides a segment's media type from its first bytes (and, for packed audio, whose ID3 header
/// says nothing of the codec, from the file extension), so a mislabelled file is caught at import
/// rather than at playback.
/// </summary>
internal static class SegmentFormat
{
    /// <summary>Bytes to read for <see cref="MediaType"/>: two MPEG-TS packets' sync bytes.</summary>
    public const int SniffLength = 189;

    private static readonly string[] Mp4Boxes = ["ftyp", "styp", "moof", "moov", "sidx", "emsg", "prft", "free", "skip"];

    public static string MediaType(ReadOnlySpan<byte> head, Uri uri, bool audioRendition)
    {
        if (head.Length > 0 && head[0] == 0x47 && (head.Length < 189 || head[188] == 0x47))
        {
            return "video/mp2t";
        }
        if (head.Length >= 8 && Mp4Boxes.Contains(System.Text.Encoding.ASCII.GetString(head[4..8])))
        {
            return audioRendition ? "audio/mp4" : "video/mp4";
        }
        var text = head.StartsWith("\uFEFF"u8) ? head[3..] : head;
        if (text.StartsWith("WEBVTT"u8))
        {
            return "text/vtt";
        }
        var extension = Path.GetExtension(uri.AbsolutePath).ToLowerInvariant();
        var packed = extension switch
        {
            ".aac" => "audio/aac",
            ".ac3" => "audio/ac3",
            ".ec3" => "audio/eac3",
            ".mp3" => "audio/mpeg",
            _ => null,
        };
        if (packed is not null && (head.StartsWith("ID3"u8) || (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0) || (head.Length >= 2 && head[0] == 0x0B && head[1] == 0x77)))
        {
            return packed;
        }
        throw new HlsUnsupportedException($"{uri} is neither MPEG-TS, fragmented MP4, packed audio nor WebVTT");
    }
}
