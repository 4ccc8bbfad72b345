using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Codecs.DagJson;
using Overlay.Manifest.DagPb;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Admin;

/// <summary>
/// The IPLD codecs <c>dag/put</c> and <c>dag/get</c> read and write, by kubo's names; a raw
/// block is its bytes and a dag-pb block <c>{Data, Links: [{Hash, Name, Tsize}]}</c>, as kubo shows them.
/// </summary>
internal static class DagCodecs
{
    private static readonly string[] Names = ["dag-cbor", "dag-json", "dag-pb", "raw"];

    /// <summary>The multicodec named by option <paramref name="option"/>, or its default.</summary>
    public static ulong Option(Microsoft.AspNetCore.Http.HttpRequest request, string option, string defaultName)
    {
        var name = ApiOptions.Text(request, option) ?? defaultName;
        return name switch
        {
            "dag-cbor" => Multicodec.DagCbor,
            "dag-json" => Multicodec.DagJson,
            "dag-pb" => Multicodec.DagPb,
            "raw" => Multicodec.Raw,
            _ => throw new ApiArgumentException($"unsupported {option} \"{name}\"; one of: {string.Join(", ", Names)}"),
        };
    }

    /// <exception cref="OverlayException">The bytes are not valid in <paramref name="codec"/>.</exception>
    public static IpldNode Decode(ulong codec, ReadOnlySpan<byte> block) => codec switch
    {
        Multicodec.DagCbor => DagCbor.Decode(block),
        Multicodec.DagJson => DagJson.Decode(block),
        Multicodec.DagPb => DagPbDataModel.ToIpld(DagPb.Decode(block)),
        Multicodec.Raw => new IpldBytes(block.ToArray()),
        _ => throw new MalformedDataException("ipld", $"cannot decode blocks with codec {Multicodec.NameOf(codec)}"),
    };

    /// <exception cref="OverlayException">The node has no form in <paramref name="codec"/> (raw takes only bytes, dag-pb only its logical form).</exception>
    public static byte[] Encode(ulong codec, IpldNode node) => codec switch
    {
        Multicodec.DagCbor => DagCbor.Encode(node),
        Multicodec.DagJson => DagJson.EncodeUtf8(node),
        Multicodec.DagPb => DagPb.Encode(DagPbDataModel.FromIpld(node)),
        Multicodec.Raw => node.AsBytes().ToArray(),
        _ => throw new MalformedDataException("ipld", $"cannot encode to codec {Multicodec.NameOf(codec)}"),
    };
}
