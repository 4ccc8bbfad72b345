// Spec: https://github.com/libp2p/specs/blob/master/pubsub/README.md#the-rpc (schema: go-libp2p-pubsub pb/rpc.proto)
using Overlay.Manifest.Errors;
using Overlay.Manifest.Protobuf;

namespace Overlay.PubSub.Rpc;

/// <summary>
/// Encodes and decodes pubsub RPC protobufs. Decoding counts every repeated entry against
/// <see cref="RpcLimits"/> as it goes, so a hostile RPC is refused before its lists are built.
/// Unknown fields (IDONTWANT, extensions, partial messages) are skipped.
/// </summary>
public static class PubSubRpcCodec
{
    public const string FormatName = "pubsub";

    private const int MaxFromLength = 128;
    private const int MaxSeqnoLength = 64;
    private const int MaxSignatureLength = 1024;
    private const int MaxKeyLength = 8192 + 16;

    public static byte[] Encode(PubSubRpc rpc)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        var writer = new ProtoWriter();
        foreach (var sub in rpc.Subscriptions)
        {
            var inner = new ProtoWriter(32);
            inner.WriteBool(1, sub.Subscribe);
            inner.WriteString(2, sub.Topic);
            writer.WriteBytes(1, inner.WrittenSpan);
        }
        foreach (var message in rpc.Messages)
        {
            writer.WriteBytes(2, EncodeMessage(message));
        }
        if (rpc.Control is { IsEmpty: false } control)
        {
            writer.WriteBytes(3, EncodeControl(control));
        }
        return writer.ToArray();
    }

    /// <summary>The <c>Message</c> protobuf, fields in schema order (what signatures cover, minus 5 and 6).</summary>
    public static byte[] EncodeMessage(RpcMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new ProtoWriter(64 + (message.Data?.Length ?? 0));
        if (message.From is { } from) writer.WriteBytes(1, from);
        if (message.Data is { } data) writer.WriteBytes(2, data);
        if (message.Seqno is { } seqno) writer.WriteBytes(3, seqno);
        if (message.Topic is { } topic) writer.WriteString(4, topic);
        if (message.Signature is { } signature) writer.WriteBytes(5, signature);
        if (message.Key is { } key) writer.WriteBytes(6, key);
        return writer.ToArray();
    }

    private static byte[] EncodeControl(ControlMessage control)
    {
        var writer = new ProtoWriter();
        foreach (var ihave in control.IHave)
        {
            var inner = new ProtoWriter();
            inner.WriteString(1, ihave.Topic);
            foreach (var id in ihave.MessageIds) inner.WriteBytes(2, id);
            writer.WriteBytes(1, inner.WrittenSpan);
        }
        foreach (var iwant in control.IWant)
        {
            var inner = new ProtoWriter();
            foreach (var id in iwant.MessageIds) inner.WriteBytes(1, id);
            writer.WriteBytes(2, inner.WrittenSpan);
        }
        foreach (var graft in control.Graft)
        {
            var inner = new ProtoWriter(32);
            inner.WriteString(1, graft.Topic);
            writer.WriteBytes(3, inner.WrittenSpan);
        }
        foreach (var prune in control.Prune)
        {
            var inner = new ProtoWriter();
            inner.WriteString(1, prune.Topic);
            foreach (var peer in prune.Peers)
            {
                var info = new ProtoWriter(64);
                info.WriteBytes(1, peer.PeerId);
                if (peer.SignedPeerRecord is { } record) info.WriteBytes(2, record);
                inner.WriteBytes(2, info.WrittenSpan);
            }
            if (prune.BackoffSeconds is { } backoff) inner.WriteVarint(3, backoff);
            writer.WriteBytes(4, inner.WrittenSpan);
        }
        foreach (var idontwant in control.IDontWant)
        {
            var inner = new ProtoWriter();
            foreach (var id in idontwant.MessageIds) inner.WriteBytes(1, id);
            writer.WriteBytes(5, inner.WrittenSpan);
        }
        return writer.ToArray();
    }

    public static PubSubRpc Decode(ReadOnlySpan<byte> source, RpcLimits? limits = null)
    {
        limits ??= RpcLimits.Default;
        if (source.Length > limits.MaxRpcSize)
        {
            throw new LimitExceededException(FormatName, "RPC size", limits.MaxRpcSize, source.Length);
        }
        var budget = new DecodeBudget(limits);
        var subscriptions = new List<SubscriptionChange>();
        var messages = new List<RpcMessage>();
        ControlMessage? control = null;
        var reader = new ProtoReader(source, FormatName);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(wire, WireType.LengthDelimited, field);
                    budget.Take(ref budget.Subscriptions, limits.MaxSubscriptions, "subscriptions per RPC");
                    subscriptions.Add(DecodeSubscription(reader.ReadBytes(source.Length, "subscription"), limits));
                    break;
                case 2:
                    reader.Expect(wire, WireType.LengthDelimited, field);
                    budget.Take(ref budget.Messages, limits.MaxMessages, "messages per RPC");
                    messages.Add(DecodeMessage(reader.ReadBytes(source.Length, "message"), limits));
                    break;
                case 3:
                    reader.Expect(wire, WireType.LengthDelimited, field);
                    control = RpcControlDecoder.Decode(reader.ReadBytes(source.Length, "control"), limits, budget, control);
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return new PubSubRpc { Subscriptions = subscriptions, Messages = messages, Control = control };
    }

    private static SubscriptionChange DecodeSubscription(ReadOnlySpan<byte> source, RpcLimits limits)
    {
        var subscribe = false;
        string? topic = null;
        var reader = new ProtoReader(source, FormatName);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(wire, WireType.Varint, field);
                    subscribe = reader.ReadBool();
                    break;
                case 2:
                    reader.Expect(wire, WireType.LengthDelimited, field);
                    topic = reader.ReadString(limits.MaxTopicLength, "topic");
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return new SubscriptionChange(subscribe, topic ?? throw new MalformedDataException(FormatName, "subscription without a topic"));
    }

    public static RpcMessage DecodeMessage(ReadOnlySpan<byte> source, RpcLimits? limits = null)
    {
        limits ??= RpcLimits.Default;
        byte[]? from = null, data = null, seqno = null, signature = null, key = null;
        string? topic = null;
        var reader = new ProtoReader(source, FormatName);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field is >= 1 and <= 6)
            {
                reader.Expect(wire, WireType.LengthDelimited, field);
            }
            switch (field)
            {
                case 1: from = reader.ReadBytes(MaxFromLength, "from").ToArray(); break;
                case 2: data = reader.ReadBytes(limits.MaxDataSize, "message data").ToArray(); break;
                case 3: seqno = reader.ReadBytes(MaxSeqnoLength, "seqno").ToArray(); break;
                case 4: topic = reader.ReadString(limits.MaxTopicLength, "topic"); break;
                case 5: signature = reader.ReadBytes(MaxSignatureLength, "signature").ToArray(); break;
                case 6: key = reader.ReadBytes(MaxKeyLength, "key").ToArray(); break;
                default: reader.Skip(wire); break;
            }
        }
        return new RpcMessage { From = from, Data = data, Seqno = seqno, Topic = topic, Signature = signature, Key = key };
    }
}
