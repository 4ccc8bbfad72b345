// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#protobuf and gossipsub-v1.2.md (field 5, IDONTWANT)
using Overlay.Manifest.Errors;
using Overlay.Manifest.Protobuf;

namespace Overlay.PubSub.Rpc;

/// <summary>Decodes <c>ControlMessage</c>, counting IDs and entries against the RPC's budget.</summary>
internal static class RpcControlDecoder
{
    private const string Format = PubSubRpcCodec.FormatName;

    /// <summary>Protobuf merges repeated occurrences of an embedded message, so a second control field appends.</summary>
    public static ControlMessage Decode(ReadOnlySpan<byte> source, RpcLimits limits, DecodeBudget budget, ControlMessage? previous)
    {
        var ihave = new List<ControlIHave>(previous?.IHave ?? []);
        var iwant = new List<ControlIWant>(previous?.IWant ?? []);
        var graft = new List<ControlGraft>(previous?.Graft ?? []);
        var prune = new List<ControlPrune>(previous?.Prune ?? []);
        var idontwant = new List<ControlIDontWant>(previous?.IDontWant ?? []);
        var reader = new ProtoReader(source, Format);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field is >= 1 and <= 5)
            {
                reader.Expect(wire, WireType.LengthDelimited, field);
                budget.Take(ref budget.ControlEntries, limits.MaxControlEntries, "control entries per RPC");
            }
            switch (field)
            {
                case 1: ihave.Add(DecodeIHave(reader.ReadBytes(source.Length, "ihave"), limits, budget)); break;
                case 2: iwant.Add(new ControlIWant(DecodeIds(reader.ReadBytes(source.Length, "iwant"), 1, limits, budget, out _))); break;
                case 3: graft.Add(new ControlGraft(DecodeTopicOnly(reader.ReadBytes(source.Length, "graft"), limits))); break;
                case 4: prune.Add(DecodePrune(reader.ReadBytes(source.Length, "prune"), limits)); break;
                case 5: idontwant.Add(new ControlIDontWant(DecodeIds(reader.ReadBytes(source.Length, "idontwant"), 1, limits, budget, out _))); break;
                default: reader.Skip(wire); break;
            }
        }
        return new ControlMessage { IHave = ihave, IWant = iwant, Graft = graft, Prune = prune, IDontWant = idontwant };
    }

    private static ControlIHave DecodeIHave(ReadOnlySpan<byte> source, RpcLimits limits, DecodeBudget budget)
    {
        var ids = DecodeIds(source, 2, limits, budget, out var topic);
        return new ControlIHave(topic ?? throw new MalformedDataException(Format, "IHAVE without a topic"), ids);
    }

    /// <summary>Reads the repeated ID field <paramref name="idField"/> and, for IHAVE, the topic in field 1.</summary>
    private static List<byte[]> DecodeIds(ReadOnlySpan<byte> source, int idField, RpcLimits limits, DecodeBudget budget, out string? topic)
    {
        topic = null;
        var ids = new List<byte[]>();
        var reader = new ProtoReader(source, Format);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == idField)
            {
                reader.Expect(wire, WireType.LengthDelimited, field);
                budget.Take(ref budget.MessageIds, limits.MaxMessageIds, "message IDs per RPC");
                ids.Add(reader.ReadBytes(limits.MaxMessageIdLength, "message ID").ToArray());
            }
            else if (field == 1 && idField == 2)
            {
                reader.Expect(wire, WireType.LengthDelimited, field);
                topic = reader.ReadString(limits.MaxTopicLength, "topic");
            }
            else
            {
                reader.Skip(wire);
            }
        }
        return ids;
    }

    private static string DecodeTopicOnly(ReadOnlySpan<byte> source, RpcLimits limits)
    {
        string? topic = null;
        var reader = new ProtoReader(source, Format);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1)
            {
                reader.Expect(wire, WireType.LengthDelimited, field);
                topic = reader.ReadString(limits.MaxTopicLength, "topic");
            }
            else
            {
                reader.Skip(wire);
            }
        }
        return topic ?? throw new MalformedDataException(Format, "GRAFT without a topic");
    }

    private static ControlPrune DecodePrune(ReadOnlySpan<byte> source, RpcLimits limits)
    {
        string? topic = null;
        ulong? backoff = null;
        var peers = new List<PeerExchangeEntry>();
        var reader = new ProtoReader(source, Format);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(wire, WireType.LengthDelimited, field);
                    topic = reader.ReadString(limits.MaxTopicLength, "topic");
                    break;
                case 2:
                    reader.Expect(wire, WireType.LengthDelimited, field);
                    if (peers.Count >= limits.MaxPeerExchange)
                    {
                        throw new LimitExceededException(Format, "peers per PRUNE", limits.MaxPeerExchange, peers.Count + 1);
                    }
                    peers.Add(DecodePeerInfo(reader.ReadBytes(source.Length, "peer info"), limits));
                    break;
                case 3:
                    reader.Expect(wire, WireType.Varint, field);
                    backoff = reader.ReadVarint();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return new ControlPrune(topic ?? throw new MalformedDataException(Format, "PRUNE without a topic"), peers, backoff);
    }

    private static PeerExchangeEntry DecodePeerInfo(ReadOnlySpan<byte> source, RpcLimits limits)
    {
        byte[]? peerId = null, record = null;
        var reader = new ProtoReader(source, Format);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(wire, WireType.LengthDelimited, field);
                    peerId = reader.ReadBytes(128, "PX peer ID").ToArray();
                    break;
                case 2:
                    reader.Expect(wire, WireType.LengthDelimited, field);
                    record = reader.ReadBytes(limits.MaxSignedPeerRecord, "signed peer record").ToArray();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return new PeerExchangeEntry(peerId ?? throw new MalformedDataException(Format, "PX entry without a peer ID"), record);
    }
}
