using System.Text;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Car;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Codecs.DagJson;
using Overlay.Manifest.DagPb;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipns;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Protobuf;
using Overlay.Manifest.Streams;
using Overlay.Manifest.Tests.Streams;
using Overlay.Manifest.UnixFs;
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
        yield return new DecoderCase("dag-cbor", () => CodecFixtures(".dag-cbor"), bytes => DagCbor.Decode(bytes), typeof(MalformedDataException));
        yield return new DecoderCase("dag-json", () => CodecFixtures(".dag-json"), bytes => DagJson.Decode(bytes), typeof(MalformedDataException));
        yield return new DecoderCase("dag-pb", () => CodecFixtures(".dag-pb"), bytes => Overlay.Manifest.DagPb.DagPb.Decode(bytes), typeof(MalformedDataException));
        yield return new DecoderCase("unixfs-data", UnixFsDataCorpus, bytes => UnixFsData.Decode(bytes), typeof(MalformedDataException));
        // A CAR block whose bytes do not hash to its CID is a verification failure, also declared.
        yield return new DecoderCase("car", CarCorpus, ReadCar, typeof(OverlayException));
        yield return new DecoderCase("public-key", KeyCorpus, bytes => PublicKey.FromProtobuf(bytes), typeof(MalformedDataException));
        yield return new DecoderCase("private-key", () => [Ed25519PrivateKey.FromSeed(new byte[32]).ToProtobuf()], bytes => Ed25519PrivateKey.FromProtobuf(bytes), typeof(MalformedDataException));
        yield return new DecoderCase("peer-id", () => KeyCorpus().Select(k => PeerId.FromPublicKey(PublicKey.FromProtobuf(k)).ToArray()).ToArray(), bytes => PeerId.Decode(bytes), typeof(MalformedDataException));
        // Records, bundles and heads may also fail verification: both are the declared outcomes.
        yield return new DecoderCase("ipns-record", IpnsCorpus, ValidateIpns, typeof(OverlayException));
        yield return new DecoderCase("bundle", () => StreamVectors.Bundles().Select(b => b.Bytes.ToArray()).ToArray(), bytes => SignedBundle.Decode(bytes, null, StreamVectors.At(StreamVectors.BaseTime + 200_000)), typeof(OverlayException));
        yield return new DecoderCase("tree-head", TreeHeadCorpus, bytes => SignedTreeHead.Decode(bytes, null, StreamVectors.At(StreamVectors.BaseTime + 200_000)), typeof(OverlayException));
    }

    private static IReadOnlyList<byte[]> CodecFixtures(string extension) =>
        Directory.EnumerateFiles(Fixtures.PathOf("ipld-codec-fixtures", "fixtures"), "*" + extension, SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();

    private static IReadOnlyList<byte[]> UnixFsDataCorpus() =>
    [
        new UnixFsData { Type = UnixFsType.File, FileSize = 3 << 20, BlockSizes = [1 << 20, 1 << 20, 1 << 20] }.Encode(),
        new UnixFsData { Type = UnixFsType.Directory }.Encode(),
        new UnixFsData { Type = UnixFsType.HamtShard, Fanout = 256, HashType = 0x22, Data = new byte[] { 1, 2 } }.Encode(),
    ];

    private static IReadOnlyList<byte[]> CarCorpus() =>
        Directory.EnumerateFiles(Fixtures.PathOf("ipld-go-car"), "simple-unixfs.car", SearchOption.AllDirectories)
            .Select(File.ReadAllBytes).ToArray();

    private static void ReadCar(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        var reader = CarReader.OpenAsync(stream).GetAwaiter().GetResult();
        var blocks = reader.ReadBlocksAsync().GetAsyncEnumerator();
        try
        {
            while (blocks.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
            }
        }
        finally
        {
            blocks.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static IReadOnlyList<byte[]> KeyCorpus() =>
    [
        Ed25519PrivateKey.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()).PublicKey.ToProtobuf(),
        .. Directory.EnumerateFiles(Fixtures.PathOf("go-libp2p"), "*.pub", SearchOption.AllDirectories).Select(File.ReadAllBytes),
    ];

    private static IReadOnlyList<byte[]> IpnsCorpus() =>
        Directory.EnumerateFiles(Fixtures.PathOf("ipfs-gateway-conformance"), IpnsName + "_v2.ipns-record", SearchOption.AllDirectories)
            .Select(File.ReadAllBytes).ToArray();

    private const string IpnsName = "k51qzi5uqu5dit2ku9mutlfgwyz8u730on38kd10m97m36bjt66my99hb6103f";

    private static void ValidateIpns(byte[] bytes)
    {
        var name = PeerId.Parse(IpnsName);
        IpnsRecord.Validate(bytes, name, DateTimeOffset.UnixEpoch);
    }

    private static IReadOnlyList<byte[]> TreeHeadCorpus() =>
        [StreamVectors.SealedHeadAsync(new MemoryBlockStore()).GetAwaiter().GetResult().Bytes.ToArray()];

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
