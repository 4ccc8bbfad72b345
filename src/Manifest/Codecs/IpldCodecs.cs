using System.Diagnostics.CodeAnalysis;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Codecs.DagJson;
using Overlay.Manifest.DagPb;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Codecs;

/// <summary>
/// The block codecs and hash functions users name on the command line and in the RPC (kubo's
/// <c>dag put|get</c>, <c>block put</c>), and the data-model view of each codec: a raw block is
/// its bytes and a dag-pb block <c>{Data, Links: [{Hash, Name, Tsize}]}</c>, as kubo shows them.
/// </summary>
public static class IpldCodecs
{
    private static readonly Dictionary<string, ulong> CodecsByName = new(StringComparer.Ordinal)
    {
        ["dag-cbor"] = Multicodec.DagCbor,
        ["dag-json"] = Multicodec.DagJson,
        ["dag-pb"] = Multicodec.DagPb,
        ["raw"] = Multicodec.Raw,
    };

    private static readonly Dictionary<string, MultihashAlgorithm> HashesByName = new(StringComparer.Ordinal)
    {
        [MultihashAlgorithm.Sha2_256.Name] = MultihashAlgorithm.Sha2_256,
        [MultihashAlgorithm.Sha2_512.Name] = MultihashAlgorithm.Sha2_512,
    };

    /// <summary>Codec names, in the order help texts list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. CodecsByName.Keys];

    /// <summary>Hash function names a block may be put with.</summary>
    public static IReadOnlyList<string> HashNames { get; } = [.. HashesByName.Keys];

    public static bool TryGetCodec(string name, out ulong codec) => CodecsByName.TryGetValue(name, out codec);

    public static bool TryGetHash(string name, [NotNullWhen(true)] out MultihashAlgorithm? algorithm) => HashesByName.TryGetValue(name, out algorithm);

    /// <exception cref="OverlayException">The bytes are not valid in <paramref name="codec"/>, or the codec is not one of <see cref="Names"/>.</exception>
    public static IpldNode Decode(ulong codec, ReadOnlySpan<byte> block) => codec switch
    {
        Multicodec.DagCbor => DagCbor.DagCbor.Decode(block),
        Multicodec.DagJson => DagJson.DagJson.Decode(block),
        Multicodec.DagPb => DagPbDataModel.ToIpld(DagPb.DagPb.Decode(block)),
        Multicodec.Raw => new IpldBytes(block.ToArray()),
        _ => throw new MalformedDataException("ipld", $"cannot decode blocks with codec {Multicodec.NameOf(codec)}"),
    };

    /// <exception cref="OverlayException">The node has no form in <paramref name="codec"/> (raw takes only bytes, dag-pb only its logical form).</exception>
    public static byte[] Encode(ulong codec, IpldNode node) => codec switch
    {
        Multicodec.DagCbor => DagCbor.DagCbor.Encode(node),
        Multicodec.DagJson => DagJson.DagJson.EncodeUtf8(node),
        Multicodec.DagPb => DagPb.DagPb.Encode(DagPbDataModel.FromIpld(node)),
        Multicodec.Raw => node.AsBytes().ToArray(),
        _ => throw new MalformedDataException("ipld", $"cannot encode to codec {Multicodec.NameOf(codec)}"),
    };
}
