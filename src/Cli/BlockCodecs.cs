using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Codecs.DagJson;
using Overlay.Manifest.DagPb;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli;

/// <summary>The IPLD codecs the <c>dag</c> commands read and write, by multicodec name and code.</summary>
internal static class BlockCodecs
{
    public static IReadOnlyList<string> Names { get; } = ["dag-cbor", "dag-json", "dag-pb", "raw"];

    public static ulong CodeOf(string name) => name switch
    {
        "dag-cbor" => Multicodec.DagCbor,
        "dag-json" => Multicodec.DagJson,
        "dag-pb" => Multicodec.DagPb,
        "raw" => Multicodec.Raw,
        _ => throw new CliException($"unsupported codec \"{name}\"; one of: {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// Decodes a block into the data model; a raw block is its bytes and a dag-pb block is
    /// <c>{Data, Links: [{Hash, Name, Tsize}]}</c>, as kubo shows them.
    /// </summary>
    public static IpldNode Decode(ulong codec, ReadOnlySpan<byte> block) => codec switch
    {
        Multicodec.DagCbor => DagCbor.Decode(block),
        Multicodec.DagJson => DagJson.Decode(block),
        Multicodec.DagPb => DagPbDataModel.ToIpld(DagPb.Decode(block)),
        Multicodec.Raw => new IpldBytes(block.ToArray()),
        _ => throw new CliException($"cannot decode blocks with codec {Multicodec.NameOf(codec)}"),
    };

    /// <summary>Encodes a data-model node; raw takes only bytes, dag-pb only its logical form.</summary>
    public static byte[] Encode(ulong codec, IpldNode node) => codec switch
    {
        Multicodec.DagCbor => DagCbor.Encode(node),
        Multicodec.DagJson => DagJson.EncodeUtf8(node),
        Multicodec.DagPb => DagPb.Encode(DagPbDataModel.FromIpld(node)),
        Multicodec.Raw => node.AsBytes().ToArray(),
        _ => throw new CliException($"cannot encode to codec {Multicodec.NameOf(codec)}"),
    };
}
