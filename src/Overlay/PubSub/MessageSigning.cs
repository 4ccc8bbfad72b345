// Spec: https://github.com/libp2p/specs/blob/master/pubsub/README.md#message-signing
using System.Buffers.Binary;
using System.Text;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub;

/// <summary>
/// StrictSign: every message carries its author, a sequence number and the author's signature
/// over <c>"libp2p-pubsub:" || Message</c> (the protobuf without <c>signature</c> and <c>key</c>).
/// </summary>
public static class MessageSigning
{
    /// <summary>The seqno length the spec asks for (a 64-bit big-endian integer), and what we send.</summary>
    public const int SeqnoLength = 8;

    private static readonly byte[] Prefix = Encoding.ASCII.GetBytes("libp2p-pubsub:");

    public static RpcMessage Sign(Ed25519PrivateKey author, string topic, ReadOnlySpan<byte> data, ulong seqno)
    {
        ArgumentNullException.ThrowIfNull(author);
        var seqnoBytes = new byte[SeqnoLength];
        BinaryPrimitives.WriteUInt64BigEndian(seqnoBytes, seqno);
        var unsigned = new RpcMessage { From = author.PeerId.ToArray(), Data = data.ToArray(), Seqno = seqnoBytes, Topic = topic };
        // Ed25519 peer IDs inline the key (identity multihash), so the key field stays empty, as in js and go.
        return unsigned with { Signature = author.Sign(SignedBytes(unsigned)) };
    }

    /// <summary>The bytes the signature covers.</summary>
    public static byte[] SignedBytes(RpcMessage message)
    {
        var body = PubSubRpcCodec.EncodeMessage(message with { Signature = null, Key = null });
        var bytes = new byte[Prefix.Length + body.Length];
        Prefix.CopyTo(bytes, 0);
        body.CopyTo(bytes, Prefix.Length);
        return bytes;
    }

    /// <summary>
    /// Checks a received message under StrictSign and returns its author, or null with the
    /// reason it is invalid (no exceptions: a bad message is an expected, counted event).
    /// </summary>
    public static PeerId? Verify(RpcMessage message, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(message);
        failure = null;
        if (message.From is null || message.Signature is null || message.Seqno is null || message.Topic is null)
        {
            failure = "missing from, seqno, topic or signature";
            return null;
        }
        // js floodsub writes its random 64-bit seqno in as few bytes as the number needs, so about
        // one message in 256 carries 7 bytes or fewer; the signature covers those exact bytes, so
        // they are accepted here and the caller decides where such a message may go.
        if (message.Seqno.Length is 0 or > SeqnoLength)
        {
            failure = $"seqno is {message.Seqno.Length} bytes, not 1 to {SeqnoLength}";
            return null;
        }
        PeerId author;
        PublicKey? key;
        try
        {
            author = PeerId.Decode(message.From);
            if (message.Key is { } keyBytes)
            {
                key = PublicKey.FromProtobuf(keyBytes);
                if (!author.Matches(key))
                {
                    failure = "key does not match from";
                    return null;
                }
            }
            else if (!author.TryExtractPublicKey(out key))
            {
                failure = "from does not inline a key and no key was sent";
                return null;
            }
        }
        catch (MalformedDataException e)
        {
            failure = "from or key malformed: " + e.Message;
            return null;
        }
        if (key is null || !key.CanVerify || !key.Verify(SignedBytes(message), message.Signature))
        {
            failure = "bad signature";
            return null;
        }
        return author;
    }

    /// <summary>True when the seqno has the spec's 8 bytes (gossipsub peers refuse any other length).</summary>
    public static bool HasStandardSeqno(RpcMessage message) => message.Seqno is { Length: SeqnoLength };

    /// <summary>The seqno as a number; a short one (js floodsub) is a big-endian integer without its leading zero bytes.</summary>
    public static ulong SeqnoValue(RpcMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var seqno = message.Seqno ?? [];
        if (seqno.Length > SeqnoLength)
        {
            throw new ArgumentException($"seqno is {seqno.Length} bytes, more than {SeqnoLength}", nameof(message));
        }
        Span<byte> padded = stackalloc byte[SeqnoLength];
        padded.Clear();
        seqno.CopyTo(padded[(SeqnoLength - seqno.Length)..]);
        return BinaryPrimitives.ReadUInt64BigEndian(padded);
    }

    /// <summary>The default message ID: author bytes then seqno (js and go msgIdFnStrictSign).</summary>
    public static byte[] MessageId(RpcMessage message)
    {
        var from = message.From ?? [];
        var seqno = message.Seqno ?? [];
        var id = new byte[from.Length + seqno.Length];
        from.CopyTo(id, 0);
        seqno.CopyTo(id, from.Length);
        return id;
    }
}
