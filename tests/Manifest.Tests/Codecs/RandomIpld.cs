using System.Text;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Tests.Codecs;

/// <summary>
/// Seeded generator of data-model values that JavaScript can carry without loss, for the
/// cross-checks against @ipld/dag-cbor and @ipld/dag-json: floats are never integral (JS would
/// encode 1.0 as the integer 1), no lone surrogates, and map keys avoid U+E000..U+FFFF next to
/// astral characters (@ipld/dag-json orders keys by UTF-16 units, the spec by UTF-8 bytes).
/// </summary>
internal sealed class RandomIpld
{
    private static readonly Int128[] IntegerAnchors =
    [
        0, 1, -1, 23, 24, -24, -25, 255, 256, -256, -257, 65535, 65536, uint.MaxValue, (Int128)uint.MaxValue + 1,
        (1L << 53) - 1, 1L << 53, (1L << 53) + 1, -((1L << 53) - 1), -(1L << 53), -(1L << 53) - 1,
        long.MaxValue, (Int128)long.MaxValue + 1, long.MinValue, (Int128)long.MinValue - 1,
        ulong.MaxValue, IpldInteger.MinValue,
    ];

    private static readonly double[] FloatAnchors =
    [
        0.5, -0.5, 0.1, 1.1, -1.1, 1.5e-7, 1e-7, 8.940696716308594e-8, 5e-324, -5e-324, 2.2250738585072014e-308,
        1e-300, 4503599627370495.5, -4503599627370495.5, 82497.63712086187, 0.9999999999999999,
    ];

    private static readonly string[] Fragments =
    [
        "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u001f", "\u007f", "é", "ß", "Č",
        "水", "\u2028", "\uFF61", "\uFFFD", "😀", "𐅑", "\U0010FFFF",
    ];

    private readonly Random _random;

    public RandomIpld(int seed) => _random = new Random(seed);

    public IpldNode Next(int depth = 0)
    {
        var kinds = depth < 4 ? 11 : 9;
        return _random.Next(kinds) switch
        {
            0 => IpldNode.Null,
            1 => _random.Next(2) == 0,
            2 or 3 => Integer(),
            4 => Float(),
            5 => Text(_random.Next(12), forKey: false),
            6 => Bytes(),
            7 => Link(),
            8 => _random.Next(2) == 0 ? Integer() : Text(_random.Next(4), forKey: false),
            9 => new IpldList(Enumerable.Range(0, _random.Next(6)).Select(_ => Next(depth + 1)).ToArray()),
            _ => Map(depth),
        };
    }

    private IpldInteger Integer()
    {
        if (_random.Next(3) == 0)
        {
            return new IpldInteger(_random.NextInt64(long.MinValue, long.MaxValue));
        }
        var value = IntegerAnchors[_random.Next(IntegerAnchors.Length)] + _random.Next(-2, 3);
        return new IpldInteger(Int128.Clamp(value, IpldInteger.MinValue, IpldInteger.MaxValue));
    }

    private IpldFloat Float()
    {
        if (_random.Next(3) == 0)
        {
            return new IpldFloat(FloatAnchors[_random.Next(FloatAnchors.Length)]);
        }
        while (true)
        {
            var value = (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-12, 16));
            if (Math.Abs(value) < 4e15 && value != Math.Floor(value))
            {
                return new IpldFloat(value);
            }
        }
    }

    private IpldString Text(int fragments, bool forKey)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < fragments; i++)
        {
            var fragment = Fragments[_random.Next(Fragments.Length)];
            if (forKey && fragment is "\uFF61" or "\uFFFD")
            {
                fragment = "k";
            }
            builder.Append(fragment);
        }
        return new IpldString(builder.ToString());
    }

    private IpldBytes Bytes()
    {
        var bytes = new byte[_random.Next(40)];
        _random.NextBytes(bytes);
        return new IpldBytes(bytes);
    }

    private IpldLink Link()
    {
        var content = new byte[8];
        _random.NextBytes(content);
        ulong[] codecs = [Multicodec.DagCbor, Multicodec.Raw, Multicodec.DagPb, Multicodec.DagJson];
        var cid = _random.Next(5) == 0
            ? Cid.CreateV0(Multihash.Sha2_256(content))
            : Cid.Compute(codecs[_random.Next(codecs.Length)], content);
        return new IpldLink(cid);
    }

    private IpldMap Map(int depth)
    {
        var entries = new Dictionary<string, IpldNode>(StringComparer.Ordinal);
        for (var count = _random.Next(7); entries.Count < count;)
        {
            var key = Text(_random.Next(5), forKey: true).Value;
            // A "/" key is the reserved namespace of dag-json; it is covered by DagJsonTests.
            if (key != "/")
            {
                entries.TryAdd(key, Next(depth + 1));
            }
        }
        return new IpldMap(entries);
    }
}
