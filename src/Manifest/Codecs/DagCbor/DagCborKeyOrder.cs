namespace Overlay.Manifest.Codecs.DagCbor;

/// <summary>
/// dag-cbor's map key order: shorter UTF-8 first, then bytewise (RFC 7049 §3.9 canonical).
/// Compares the .NET strings directly: UTF-8 byte order equals code point order, which differs
/// from UTF-16 code unit order only between surrogates and U+E000..U+FFFF, fixed up here.
/// </summary>
internal static class DagCborKeyOrder
{
    public static int Compare(string a, int aUtf8Length, string b, int bUtf8Length)
    {
        if (aUtf8Length != bUtf8Length)
        {
            return aUtf8Length.CompareTo(bUtf8Length);
        }
        return CompareCodePoints(a, b);
    }

    /// <summary>Bytewise order of the UTF-8 forms of two valid strings (dag-json's key order).</summary>
    public static int CompareCodePoints(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x != y)
            {
                return CodePointRank(x).CompareTo(CodePointRank(y));
            }
        }
        return a.Length.CompareTo(b.Length);
    }

    // Surrogates (pairs, code points >= U+10000) must rank above U+E000..U+FFFF.
    private static int CodePointRank(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
