// Number format: ECMA-262 §6.1.6.1.20 Number::toString, plus dag-json's ".0" for integral floats
// (https://ipld.io/specs/codecs/dag-json/spec/#numbers).
using System.Globalization;

namespace Overlay.Manifest.Codecs.DagJson;

/// <summary>
/// Formats floats exactly as @ipld/dag-json does (JavaScript's shortest round-trip form, with
/// ".0" appended when that form has neither a point nor an exponent), so that the same data
/// model gives the same dag-json bytes, and CID, in both implementations.
/// </summary>
internal static class DagJsonFloat
{
    public static string Format(double value)
    {
        // .NET's "R" is the shortest string that round-trips, like JavaScript's; only its layout
        // (where the point and exponent go) differs, so take its digits and exponent apart.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text[0] == '-';
        var body = negative ? text[1..] : text;
        var exponentAt = body.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? body : body[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(body[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.');
        var digits = point < 0 ? mantissa : string.Concat(mantissa.AsSpan(0, point), mantissa.AsSpan(point + 1));
        // n: the decimal exponent such that value = 0.d1d2… × 10^n.
        var n = (point < 0 ? mantissa.Length : point) + exponent;
        var trimmedStart = digits.TrimStart('0');
        n -= digits.Length - trimmedStart.Length;
        digits = trimmedStart.TrimEnd('0');
        if (digits.Length == 0)
        {
            return negative ? "-0.0" : "0.0";
        }
        var formatted = Layout(digits, n);
        if (!formatted.Contains('.') && !formatted.Contains('e'))
        {
            formatted += ".0";
        }
        return negative ? "-" + formatted : formatted;
    }

    private static string Layout(string digits, int n)
    {
        var k = digits.Length;
        if (k <= n && n <= 21)
        {
            return digits + new string('0', n - k);
        }
        if (0 < n && n <= 21)
        {
            return string.Concat(digits.AsSpan(0, n), ".", digits.AsSpan(n));
        }
        if (-6 < n && n <= 0)
        {
            return "0." + new string('0', -n) + digits;
        }
        var e = n - 1;
        var exponent = (e < 0 ? "e-" : "e+") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        return k == 1 ? digits + exponent : string.Concat(digits.AsSpan(0, 1), ".", digits.AsSpan(1), exponent);
    }
}
