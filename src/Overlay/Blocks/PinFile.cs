using System.Text;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

/// <summary>
/// The pins file: ASCII lines, a header, one "recursive CID" or "direct CID" line per pin (sorted)
/// and a trailer with the count, so a truncated or concatenated file is refused rather than read
/// as fewer pins:
/// <code>
/// overlay-pins 1
/// recursive bafy…
/// direct bafk…
/// end 2
/// </code>
/// The file is replaced whole (temp, fsync, rename), so a crash leaves the old or the new set.
/// Decoding treats it as hostile: bounded size and line length, strict tokens, no duplicates.
/// </summary>
internal static class PinFile
{
    public const string Header = "overlay-pins 1";

    /// <summary>A CIDv1 in base32 with a 64-byte digest is ~120 characters; past this a line is not a pin.</summary>
    public const int MaxLineLength = 256;

    /// <summary>Enough for a million pins; past it the file is not one we wrote.</summary>
    public const int MaxFileLength = MaxLineLength * 1_000_000;

    private const string Format = "pins file";
    private const string Trailer = "end ";

    public static byte[] Encode(IReadOnlyDictionary<Cid, PinType> pins)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var (cid, type) in pins.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
        {
            text.Append(type == PinType.Recursive ? "recursive " : "direct ").Append(cid).Append('\n');
        }
        text.Append(Trailer).Append(pins.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <exception cref="MalformedDataException">Anything but a whole, well-formed pins file.</exception>
    public static Dictionary<Cid, PinType> Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxFileLength)
        {
            throw new LimitExceededException(Format, "file length", MaxFileLength, bytes.Length);
        }
        foreach (var b in bytes)
        {
            if (b is not ((>= 0x20 and < 0x7F) or (byte)'\n'))
            {
                throw new MalformedDataException(Format, $"byte 0x{b:x2} is not printable ASCII");
            }
        }
        if (bytes.Length == 0 || bytes[^1] != '\n')
        {
            throw new MalformedDataException(Format, "the file is empty or does not end with a newline (truncated?)");
        }
        var lines = Encoding.ASCII.GetString(bytes[..^1]).Split('\n');
        if (lines[0] != Header)
        {
            throw new MalformedDataException(Format, $"the first line is not \"{Header}\"");
        }
        if (lines.Length < 2 || !lines[^1].StartsWith(Trailer, StringComparison.Ordinal)
            || !int.TryParse(lines[^1].AsSpan(Trailer.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            || count != lines.Length - 2)
        {
            throw new MalformedDataException(Format, "the last line is not \"end <count>\" with the number of pins (truncated?)");
        }
        var pins = new Dictionary<Cid, PinType>(count);
        for (var i = 1; i < lines.Length - 1; i++)
        {
            var (cid, type) = ParseLine(lines[i], i + 1);
            if (!pins.TryAdd(cid, type))
            {
                throw new MalformedDataException(Format, $"line {i + 1}: {cid} is pinned twice");
            }
        }
        return pins;
    }

    private static (Cid, PinType) ParseLine(string line, int number)
    {
        if (line.Length > MaxLineLength)
        {
            throw new LimitExceededException(Format, $"line {number} length", MaxLineLength, line.Length);
        }
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var type = space < 0 ? null : line[..space] switch
        {
            "recursive" => (PinType?)PinType.Recursive,
            "direct" => PinType.Direct,
            _ => null,
        };
        if (type is null)
        {
            throw new MalformedDataException(Format, $"line {number} is not \"recursive CID\" or \"direct CID\"");
        }
        if (!Cid.TryParse(line[(space + 1)..], out var cid))
        {
            throw new MalformedDataException(Format, $"line {number}: \"{line[(space + 1)..]}\" is not a CID");
        }
        return (cid!, type.Value);
    }
}
