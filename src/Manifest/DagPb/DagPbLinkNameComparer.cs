using System.Buffers;
using System.Text;

namespace Overlay.Manifest.DagPb;

/// <summary>
/// Orders links the way the dag-pb spec requires on encode: by the UTF-8 bytes of
/// <see cref="DagPbLink.Name"/>, a missing name counting as "". UTF-16 ordinal order differs from
/// UTF-8 byte order for characters above U+FFFF, hence the byte comparison.
/// </summary>
public sealed class DagPbLinkNameComparer : IComparer<DagPbLink>, IComparer<string?>
{
    public static DagPbLinkNameComparer Instance { get; } = new();

    private DagPbLinkNameComparer() { }

    public int Compare(DagPbLink? x, DagPbLink? y) => Compare(x?.Name, y?.Name);

    public int Compare(string? x, string? y)
    {
        x ??= "";
        y ??= "";
        if (IsAscii(x) && IsAscii(y))
        {
            // For ASCII, UTF-16 ordinal order is UTF-8 byte order; the common case needs no encoding.
            return string.CompareOrdinal(x, y);
        }
        var xLength = Encoding.UTF8.GetByteCount(x);
        var yLength = Encoding.UTF8.GetByteCount(y);
        var rented = ArrayPool<byte>.Shared.Rent(xLength + yLength);
        try
        {
            var xBytes = rented.AsSpan(0, xLength);
            var yBytes = rented.AsSpan(xLength, yLength);
            Encoding.UTF8.GetBytes(x, xBytes);
            Encoding.UTF8.GetBytes(y, yBytes);
            return xBytes.SequenceCompareTo(yBytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool IsAscii(string s) => Ascii.IsValid(s);
}
