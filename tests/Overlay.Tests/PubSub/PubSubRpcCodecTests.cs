using System.Text.RegularExpressions;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Protobuf;
using Overlay.PubSub.Rpc;
using Overlay.Tests.Shared;

namespace Overlay.Tests.PubSub;

public sealed partial class PubSubRpcCodecTests
{
    internal static PubSubRpc Sample() => new()
    {
        Subscriptions = [new SubscriptionChange(true, "video"), new SubscriptionChange(false, "old")],
        Messages =
        [
            new RpcMessage { From = [0, 36, 8, 1], Data = [1, 2, 3], Seqno = [0, 0, 0, 0, 0, 0, 0, 7], Topic = "video", Signature = new byte[64], Key = null },
            new RpcMessage { Data = [], Topic = "t" },
        ],
        Control = new ControlMessage
        {
            IHave = [new ControlIHave("video", [[1, 2], [3]])],
            IWant = [new ControlIWant([[9, 9, 9]])],
            Graft = [new ControlGraft("video")],
            Prune = [new ControlPrune("old", [new PeerExchangeEntry([0, 1, 2], null), new PeerExchangeEntry([5], [7, 7])], 60)],
            IDontWant = [new ControlIDontWant([[4, 4], [5]])],
        },
    };

    [Fact]
    public void Round_trip_keeps_every_field()
    {
        var rpc = Sample();
        var bytes = PubSubRpcCodec.Encode(rpc);
        var decoded = PubSubRpcCodec.Decode(bytes);
        Assert.Equal(rpc.Subscriptions, decoded.Subscriptions);
        Assert.Equal(2, decoded.Messages.Count);
        Assert.Equal(rpc.Messages[0].From, decoded.Messages[0].From);
        Assert.Equal(rpc.Messages[0].Data, decoded.Messages[0].Data);
        Assert.Equal(rpc.Messages[0].Seqno, decoded.Messages[0].Seqno);
        Assert.Equal(rpc.Messages[0].Signature, decoded.Messages[0].Signature);
        Assert.Null(decoded.Messages[0].Key);
        Assert.NotNull(decoded.Messages[1].Data);
        Assert.Empty(decoded.Messages[1].Data!);
        Assert.Null(decoded.Messages[1].From);
        var control = decoded.Control!;
        Assert.Equal("video", control.IHave[0].Topic);
        Assert.Equal([[1, 2], [3]], control.IHave[0].MessageIds);
        Assert.Equal([9, 9, 9], control.IWant[0].MessageIds[0]);
        Assert.Equal("video", control.Graft[0].Topic);
        Assert.Equal(60UL, control.Prune[0].BackoffSeconds);
        Assert.Equal([5], control.Prune[0].Peers[1].PeerId);
        Assert.Equal([7, 7], control.Prune[0].Peers[1].SignedPeerRecord);
        Assert.Equal([[4, 4], [5]], control.IDontWant[0].MessageIds);
        Assert.Equal(bytes, PubSubRpcCodec.Encode(decoded));
    }

    [Fact]
    public void Field_numbers_match_the_reference_schema()
    {
        var proto = Fixtures.ReadText("go-libp2p-pubsub", "pb", "rpc.proto");
        var fields = FieldRegex().Matches(proto).Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        // (name, number) pairs this codec writes; the schema must declare each with that number.
        (string, int)[] used =
        [
            ("subscriptions", 1), ("publish", 2), ("control", 3), ("subscribe", 1), ("topicid", 2),
            ("from", 1), ("data", 2), ("seqno", 3), ("topic", 4), ("signature", 5), ("key", 6),
            ("ihave", 1), ("iwant", 2), ("graft", 3), ("prune", 4), ("topicID", 1), ("messageIDs", 2),
            ("peers", 2), ("backoff", 3), ("peerID", 1), ("signedPeerRecord", 2), ("idontwant", 5), ("messageIDs", 1),
        ];
        Assert.All(used, u => Assert.Contains(u, fields));
    }

    [Fact]
    public void Idontwant_is_read_and_unknown_fields_are_skipped()
    {
        var writer = new ProtoWriter();
        writer.WriteBytes(1, [0x08, 0x01, 0x12, 0x01, (byte)'a']);
        var control = new ProtoWriter();
        control.WriteBytes(5, [0x0a, 0x02, 1, 2]); // IDONTWANT (gossipsub v1.2) with one ID
        control.WriteBytes(6, [0x0a, 0x00]); // v1.3 extensions: not ours to read
        writer.WriteBytes(3, control.WrittenSpan);
        writer.WriteBytes(6492434, []); // experimental extension with a 4-byte tag
        var decoded = PubSubRpcCodec.Decode(writer.WrittenSpan);
        Assert.Equal(new SubscriptionChange(true, "a"), decoded.Subscriptions.Single());
        Assert.Equal([1, 2], decoded.Control!.IDontWant.Single().MessageIds.Single());
    }

    [Fact]
    public void Idontwant_ids_count_against_the_per_rpc_id_budget()
    {
        var ids = Enumerable.Range(0, RpcLimits.Default.MaxMessageIds + 1).Select(i => BitConverter.GetBytes(i)).ToList();
        var bytes = PubSubRpcCodec.Encode(new PubSubRpc { Control = new ControlMessage { IDontWant = [new ControlIDontWant(ids)] } });
        Assert.Throws<LimitExceededException>(() => PubSubRpcCodec.Decode(bytes));
    }

    [Fact]
    public void Every_truncation_and_byte_flip_throws_only_malformed_data()
    {
        var bytes = PubSubRpcCodec.Encode(Sample());
        for (var length = 0; length < bytes.Length; length++)
        {
            TryDecode(bytes.AsSpan(0, length).ToArray());
        }
        var random = new Random(4);
        for (var i = 0; i < 5000; i++)
        {
            var mutated = (byte[])bytes.Clone();
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            TryDecode(mutated);
        }
    }

    private static void TryDecode(byte[] bytes)
    {
        try
        {
            PubSubRpcCodec.Decode(bytes);
        }
        catch (MalformedDataException)
        {
            // The only exception a hostile RPC may cause.
        }
    }

    [Fact]
    public void Oversized_rpc_and_data_are_refused_by_their_limits()
    {
        var limits = new RpcLimits { MaxRpcSize = 100, MaxDataSize = 10 };
        var big = PubSubRpcCodec.Encode(new PubSubRpc { Messages = [new RpcMessage { Data = new byte[200] }] });
        Assert.Equal("RPC size", Assert.Throws<LimitExceededException>(() => PubSubRpcCodec.Decode(big, limits)).LimitName);
        var data = PubSubRpcCodec.Encode(new PubSubRpc { Messages = [new RpcMessage { Data = new byte[11] }] });
        Assert.Equal("message data", Assert.Throws<LimitExceededException>(() => PubSubRpcCodec.Decode(data, limits)).LimitName);
    }

    [Fact]
    public void A_declared_length_past_the_buffer_is_refused_without_allocating_it()
    {
        // Message field claiming 2^40 bytes of data: refused on the declared length alone.
        byte[] bytes = [0x12, 0x08, 0x12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x00];
        Assert.Throws<LimitExceededException>(() => PubSubRpcCodec.Decode(bytes));
    }

    [Fact]
    public void Id_and_entry_floods_hit_the_per_rpc_caps()
    {
        var limits = new RpcLimits { MaxMessageIds = 100, MaxControlEntries = 10, MaxSubscriptions = 5 };
        var ids = Enumerable.Range(0, 101).Select(i => new byte[] { (byte)i }).ToList();
        var ihave = PubSubRpcCodec.Encode(new PubSubRpc { Control = new ControlMessage { IHave = [new ControlIHave("t", ids)] } });
        Assert.Equal("message IDs per RPC", Assert.Throws<LimitExceededException>(() => PubSubRpcCodec.Decode(ihave, limits)).LimitName);
        var grafts = PubSubRpcCodec.Encode(new PubSubRpc { Control = new ControlMessage { Graft = Enumerable.Range(0, 11).Select(i => new ControlGraft($"t{i}")).ToList() } });
        Assert.Equal("control entries per RPC", Assert.Throws<LimitExceededException>(() => PubSubRpcCodec.Decode(grafts, limits)).LimitName);
        var subs = PubSubRpcCodec.Encode(new PubSubRpc { Subscriptions = Enumerable.Range(0, 6).Select(i => new SubscriptionChange(true, $"t{i}")).ToList() });
        Assert.Equal("subscriptions per RPC", Assert.Throws<LimitExceededException>(() => PubSubRpcCodec.Decode(subs, limits)).LimitName);
    }

    [GeneratedRegex(@"(?:optional|repeated|required)\s+\S+\s+(\w+)\s*=\s*(\d+)\s*;")]
    private static partial Regex FieldRegex();
}
