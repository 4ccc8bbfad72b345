// Spec: https://ipld.io/specs/transport/car/carv1/#header
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Car;

/// <summary>The CARv1 header: <c>{version: 1, roots: [&amp;Any]}</c> as dag-cbor.</summary>
public sealed record CarHeader
{
    internal const string FormatName = "car";

    public CarHeader(IReadOnlyList<Cid> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        foreach (var root in roots)
        {
            ArgumentNullException.ThrowIfNull(root, nameof(roots));
        }
        Roots = roots.ToArray();
    }

    public IReadOnlyList<Cid> Roots { get; }

    /// <summary>The header block (without its length prefix), canonical dag-cbor.</summary>
    public byte[] Encode() => DagCbor.Encode(IpldMap.Of(
        ("roots", new IpldList(Roots.Select(r => (IpldNode)new IpldLink(r)))),
        ("version", 1)));

    /// <summary>
    /// Decodes the header block and returns its version: 1 with the roots, or 2 for the CARv2
    /// pragma <c>{version: 2}</c> (then <paramref name="header"/> is null). Anything else —
    /// another version, extra or missing keys, wrong kinds, no roots unless allowed — is malformed.
    /// </summary>
    internal static int Decode(ReadOnlySpan<byte> bytes, bool allowEmptyRoots, out CarHeader? header)
    {
        header = null;
        IpldNode node;
        try
        {
            node = DagCbor.Decode(bytes);
        }
        catch (MalformedDataException e)
        {
            throw new MalformedDataException(FormatName, "header is not valid dag-cbor: " + e.Message, e);
        }
        if (node is not IpldMap map || !map.TryGetValue("version", out var versionNode) || versionNode is not IpldInteger version)
        {
            throw new MalformedDataException(FormatName, "header is not a map with an integer version");
        }
        if (version.Value == 2 && map.Count == 1)
        {
            return 2;
        }
        if (version.Value != 1)
        {
            throw new MalformedDataException(FormatName, $"Invalid CAR version: {version.Value}");
        }
        // A missing roots key reads as no roots (as go-car and js-car treat it); nothing else may be present.
        IpldList list;
        if (map.TryGetValue("roots", out var rootsNode))
        {
            list = rootsNode as IpldList ?? throw new MalformedDataException(FormatName, "header roots is not a list");
        }
        else
        {
            list = IpldList.Empty;
        }
        if (map.Count != (map.ContainsKey("roots") ? 2 : 1))
        {
            throw new MalformedDataException(FormatName, "CARv1 header has keys other than version and roots");
        }
        var roots = new Cid[list.Items.Count];
        for (var i = 0; i < roots.Length; i++)
        {
            roots[i] = list.Items[i] is IpldLink link ? link.Cid : throw new MalformedDataException(FormatName, "header root is not a CID");
        }
        if (roots.Length == 0 && !allowEmptyRoots)
        {
            throw new MalformedDataException(FormatName, "header has no roots");
        }
        header = new CarHeader(roots);
        return 1;
    }
}
