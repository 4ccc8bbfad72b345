using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Streams;
using Overlay.Streams;

namespace Overlay.Tests.Streams;

public sealed class StreamMessageCodecTests
{
    [Fact]
    public void Each_kind_round_trips()
    {
        var head = StreamMessageCodec.Decode(StreamMessageCodec.Encode(new StreamMessage { Kind = StreamMessageKind.Head, Head = new byte[] { 1, 2, 3 } }));
        Assert.Equal(StreamMessageKind.Head, head.Kind);
        Assert.Equal([1, 2, 3], head.Head.ToArray());
        var have = StreamMessageCodec.Decode(StreamMessageCodec.Encode(new StreamMessage { Kind = StreamMessageKind.Have, HeadSize = 10, Ranges = [new(0, 3), new(5, 10)] }));
        Assert.Equal(10, have.HeadSize);
        Assert.Equal([new LeafRange(0, 3), new LeafRange(5, 10)], have.Ranges);
        Assert.Equal(StreamMessageKind.Request, StreamMessageCodec.Decode(StreamMessageCodec.Encode(new StreamMessage { Kind = StreamMessageKind.Request })).Kind);
    }

    [Fact]
    public void Oversized_unknown_and_misshapen_messages_are_refused()
    {
        Assert.Throws<LimitExceededException>(() => StreamMessageCodec.Decode(new byte[StreamMessageCodec.MaxMessageBytes + 1]));
        Assert.Throws<MalformedDataException>(() => StreamMessageCodec.Decode(Encode(("v", new IpldInteger(2)), ("t", new IpldString("request")))));
        Assert.Throws<MalformedDataException>(() => StreamMessageCodec.Decode(Encode(("v", new IpldInteger(1)), ("t", new IpldString("gossip")))));
        Assert.Throws<MalformedDataException>(() => StreamMessageCodec.Decode(Encode(("v", new IpldInteger(1)), ("t", new IpldString("request")), ("x", new IpldInteger(0)))));
        Assert.Throws<MalformedDataException>(() => StreamMessageCodec.Decode(Encode(("v", new IpldInteger(1)), ("t", new IpldString("head")), ("head", new IpldString("no")))));
        // Ranges must be ascending, disjoint, non-empty and within the head's size.
        Assert.Throws<MalformedDataException>(() => StreamMessageCodec.Decode(Have(10, (3, 5), (4, 6))));
        Assert.Throws<MalformedDataException>(() => StreamMessageCodec.Decode(Have(10, (3, 3))));
        Assert.Throws<MalformedDataException>(() => StreamMessageCodec.Decode(Have(10, (8, 11))));
        var many = Enumerable.Range(0, StreamMessageCodec.MaxRanges + 1).Select(i => ((long)i * 2, (long)i * 2 + 1)).ToArray();
        Assert.Throws<LimitExceededException>(() => StreamMessageCodec.Decode(Have(1000, many)));
        Assert.Throws<MalformedDataException>(() => StreamMessageCodec.Decode([0xa1, 0x61, 0x76, 0x02]));
    }

    private static byte[] Encode(params (string, IpldNode)[] entries) => DagCbor.Encode(IpldMap.Of(entries));

    private static byte[] Have(long size, params (long Start, long End)[] ranges) => Encode(
        ("v", new IpldInteger(1)), ("t", new IpldString("have")), ("size", new IpldInteger(size)),
        ("ranges", new IpldList(ranges.Select(r => (IpldNode)new IpldList(new IpldInteger(r.Start), new IpldInteger(r.End))))));
}
