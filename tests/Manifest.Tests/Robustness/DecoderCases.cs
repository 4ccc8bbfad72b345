using System.Text;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Protobuf;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Robustness;

/// <summary>Every decoder that reads bytes from outside, with a corpus of valid inputs from the fixtures.</summary>
internal static class DecoderCases
{
    public static IEnumerable<DecoderCase> All()
    {
        yield return new DecoderCase("varint", VarintCorpus, bytes => Varint.Read(bytes, out _), typeof(MalformedDataException));
        yield return new DecoderCase("multihash", MultihashCorpus, bytes => Multihash.Decode(bytes), typeof(MalformedDataException));
        yield return new DecoderCase("cid-binary", CidCorpus, bytes => Cid.Decode(bytes), typeof(MalformedDataException));
        yield return new DecoderCase("cid-string", CidStringCorpus, bytes => Cid.Parse(Encoding.Latin1.GetString(bytes)), typeof(MalformedDataException));
        yield return new DecoderCase("multibase", MultibaseCorpus, bytes => Multibase.Decode(Encoding.Latin1.GetString(bytes)), typeof(MalformedDataException));
        yield return new DecoderCase("protobuf", ProtobufCorpus, WalkProtobuf, typeof(MalformedDataException));
    }

    private static IReadOnlyList<byte[]> VarintCorpus() => [[0x00], [0x7f], [0x80, 0x01], [0xac, 0x02], Varint.Encode(Varint.MaxValue)];

    private static IReadOnlyList<byte[]> MultihashCorpus() =>
        File.ReadLines(Fixtures.PathOf("multiformats-multihash", "tests", "values", "test_cases.csv")).Skip(1)
            .Select(line => Convert.FromHexString(line.Split(',')[3])).ToArray();

    private static IReadOnlyList<byte[]> CidCorpus() =>
    [
        Cid.Compute(Multicodec.Raw, "a"u8).ToArray(),
        Cid.Compute(Multicodec.DagCbor, "b"u8).ToArray(),
        Cid.Parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n").ToArray(),
        Cid.CreateV1(Multicodec.Libp2pKey, Multihash.Compute(new byte[36], MultihashAlgorithm.Identity)).ToArray(),
    ];

    private static IReadOnlyList<byte[]> CidStringCorpus() =>
        CidCorpus().Select(b => Cid.Decode(b)).SelectMany(c => c.Version == 0
            ? new[] { c.ToString() }
            : new[] { c.ToString(), c.ToString(MultibaseEncoding.Base58Btc), c.ToString(MultibaseEncoding.Base36), c.ToString(MultibaseEncoding.Base16) })
            .Select(Encoding.Latin1.GetBytes).ToArray();

    private static IReadOnlyList<byte[]> MultibaseCorpus() =>
        Enum.GetValues<MultibaseEncoding>().Select(e => Encoding.Latin1.GetBytes(Multibase.Encode("\0yes mani !"u8, e))).ToArray();

    private static IReadOnlyList<byte[]> ProtobufCorpus()
    {
        var writer = new ProtoWriter();
        writer.WriteVarint(1, 1);
        writer.WriteBytes(2, new byte[32]);
        writer.WriteString(3, "text");
        writer.WriteFixed64(4, 42);
        return [writer.ToArray()];
    }

    private static void WalkProtobuf(byte[] bytes)
    {
        var reader = new ProtoReader(bytes, "protobuf");
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 3 && wireType == WireType.LengthDelimited)
            {
                reader.ReadString(1024, "text");
            }
            else
            {
                reader.Skip(wireType);
            }
        }
    }
}
