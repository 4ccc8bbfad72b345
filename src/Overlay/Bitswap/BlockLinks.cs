// Codecs: https://ipld.io/specs/codecs/dag-pb/spec/ , https://ipld.io/specs/codecs/dag-cbor/spec/ , https://ipld.io/specs/codecs/dag-json/spec/
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Codecs.DagJson;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap;

/// <summary>The CIDs a block links to, by its codec; leaves (raw, libp2p-key) have none.</summary>
internal static class BlockLinks
{
    public static IReadOnlyList<Cid> Of(Cid cid, ReadOnlySpan<byte> block) => cid.Codec switch
    {
        Multicodec.Raw or Multicodec.Libp2pKey => [],
        Multicodec.DagPb => Manifest.DagPb.DagPb.Decode(block).Links.Select(l => l.Hash).ToArray(),
        Multicodec.DagCbor => Collect(DagCbor.Decode(block), []),
        Multicodec.DagJson => Collect(DagJson.Decode(block), []),
        _ => throw new NotSupportedException($"cannot follow the links of {Multicodec.NameOf(cid.Codec)} block {cid}"),
    };

    private static List<Cid> Collect(IpldNode node, List<Cid> links)
    {
        // Iterative: decoders bound nesting, but a walk should not depend on that for its stack.
        var pending = new Stack<IpldNode>();
        pending.Push(node);
        while (pending.TryPop(out var current))
        {
            switch (current)
            {
                case IpldLink link:
                    links.Add(link.Cid);
                    break;
                case IpldList list:
                    for (var i = list.Items.Count - 1; i >= 0; i--)
                    {
                        pending.Push(list.Items[i]);
                    }
                    break;
                case IpldMap map:
                    for (var i = map.Entries.Count - 1; i >= 0; i--)
                    {
                        pending.Push(map.Entries[i].Value);
                    }
                    break;
            }
        }
        return links;
    }
}
