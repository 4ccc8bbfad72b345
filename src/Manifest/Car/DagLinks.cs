// Codecs: https://ipld.io/specs/codecs/dag-pb/spec/ , https://ipld.io/specs/codecs/dag-cbor/spec/ , https://ipld.io/specs/codecs/dag-json/spec/
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Codecs.DagJson;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Car;

/// <summary>The links of a block in the order a depth-first walk follows them.</summary>
public static class DagLinks
{
    public static IReadOnlyList<Cid> Of(Cid cid, ReadOnlySpan<byte> block) => cid.Codec switch
    {
        Multicodec.Raw or Multicodec.Libp2pKey => [],
        Multicodec.DagPb => DagPb.DagPb.Decode(block).Links.Select(l => l.Hash).ToArray(),
        Multicodec.DagCbor => Collect(DagCbor.Decode(block), []),
        Multicodec.DagJson => Collect(DagJson.Decode(block), []),
        _ => throw new NotSupportedException($"cannot walk the links of {Multicodec.NameOf(cid.Codec)} block {cid}"),
    };

    private static List<Cid> Collect(IpldNode node, List<Cid> links)
    {
        switch (node)
        {
            case IpldLink link:
                links.Add(link.Cid);
                break;
            case IpldList list:
                foreach (var item in list.Items)
                {
                    Collect(item, links);
                }
                break;
            case IpldMap map:
                // Decoded maps keep the block's (canonical) key order: the order of the bytes.
                foreach (var (_, value) in map.Entries)
                {
                    Collect(value, links);
                }
                break;
        }
        return links;
    }
}
