// Spec: https://specs.ipfs.tech/ipns/ipns-record/#record-creation (IpnsEntry.data DAG-CBOR document)
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;

namespace Overlay.Manifest.Ipns;

/// <summary>
/// The signed DAG-CBOR map in <c>IpnsEntry.data</c>: <c>{Value, Validity, ValidityType,
/// Sequence, TTL}</c>. Extra keys are allowed and ignored, as the spec requires; the codec's
/// canonical key order makes the encoding deterministic, which matters because these bytes are
/// what the V2 signature covers.
/// </summary>
internal sealed record IpnsData(byte[] Value, byte[] Validity, ulong ValidityType, ulong Sequence, ulong Ttl)
{
    public byte[] Encode() => DagCbor.Encode(IpldMap.Of(
        ("Value", new IpldBytes(Value)),
        ("Validity", new IpldBytes(Validity)),
        ("ValidityType", ValidityType),
        ("Sequence", Sequence),
        ("TTL", Ttl)));

    public static IpnsData Decode(ReadOnlySpan<byte> cbor)
    {
        try
        {
            var map = DagCbor.Decode(cbor).AsMap();
            return new IpnsData(
                map["Value"].AsBytes().ToArray(),
                map["Validity"].AsBytes().ToArray(),
                map["ValidityType"].AsUInt64(),
                map["Sequence"].AsUInt64(),
                map["TTL"].AsUInt64());
        }
        catch (MalformedDataException e) when (e.Format != IpnsEntry.FormatName)
        {
            throw new MalformedDataException(IpnsEntry.FormatName, $"data is not a valid IPNS DAG-CBOR document: {e.Message}", e);
        }
    }
}
