using Overlay.Manifest.Keys;
using Overlay.PubSub;
using Overlay.PubSub.Rpc;

namespace Overlay.Tests.PubSub;

public sealed class MessageSigningTests
{
    private static readonly Ed25519PrivateKey Author = Ed25519PrivateKey.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void Signed_message_verifies_and_names_its_author()
    {
        var message = MessageSigning.Sign(Author, "video", [1, 2, 3], 0x0102030405060708);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], message.Seqno);
        Assert.Null(message.Key);
        Assert.Equal(64, message.Signature!.Length);
        Assert.Equal(Author.PeerId, MessageSigning.Verify(message, out var failure));
        Assert.Null(failure);
        Assert.Equal([.. Author.PeerId.ToArray(), 1, 2, 3, 4, 5, 6, 7, 8], MessageSigning.MessageId(message));
    }

    [Fact]
    public void Signed_bytes_are_the_prefix_and_the_message_without_signature()
    {
        var message = MessageSigning.Sign(Author, "t", [0xAA], 1);
        var signed = MessageSigning.SignedBytes(message);
        Assert.Equal("libp2p-pubsub:"u8.ToArray(), signed[..14]);
        // from (field 1), data (2), seqno (3), topic (4) in schema order, then nothing else.
        var from = Author.PeerId.ToArray();
        byte[] expected = [0x0A, (byte)from.Length, .. from, 0x12, 1, 0xAA, 0x1A, 8, 0, 0, 0, 0, 0, 0, 0, 1, 0x22, 1, (byte)'t'];
        Assert.Equal(expected, signed[14..]);
        Assert.True(Author.PublicKey.Verify(signed, message.Signature));
    }

    [Fact]
    public void Tampered_fields_fail_verification()
    {
        var message = MessageSigning.Sign(Author, "video", [1, 2, 3], 9);
        var other = Ed25519PrivateKey.Generate();
        Assert.Null(MessageSigning.Verify(message with { Data = [1, 2, 4] }, out var f1));
        Assert.Equal("bad signature", f1);
        Assert.Null(MessageSigning.Verify(message with { Topic = "audio" }, out _));
        Assert.Null(MessageSigning.Verify(message with { Seqno = [0, 0, 0, 0, 0, 0, 0, 10] }, out _));
        Assert.Null(MessageSigning.Verify(message with { From = other.PeerId.ToArray() }, out _));
        Assert.Null(MessageSigning.Verify(message with { Signature = null }, out _));
        Assert.Null(MessageSigning.Verify(message with { Seqno = null }, out _));
        Assert.Null(MessageSigning.Verify(message with { Seqno = [1, 2] }, out _));
        Assert.Null(MessageSigning.Verify(message with { From = [1, 2, 3] }, out var f2));
        Assert.StartsWith("from or key malformed", f2, StringComparison.Ordinal);
        Assert.Null(MessageSigning.Verify(message with { Key = other.PublicKey.ToProtobuf() }, out var f3));
        Assert.Equal("key does not match from", f3);
        var flipped = (byte[])message.Signature!.Clone();
        flipped[0] ^= 1;
        Assert.Null(MessageSigning.Verify(message with { Signature = flipped }, out _));
    }

    [Fact]
    public void A_short_seqno_as_js_floodsub_writes_it_verifies_and_reads_as_its_number()
    {
        // js floodsub encodes a random 64-bit seqno with its leading zero bytes dropped.
        var message = SignWithSeqno(Author, "video", [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE]);
        Assert.Equal(Author.PeerId, MessageSigning.Verify(message, out var failure));
        Assert.Null(failure);
        Assert.False(MessageSigning.HasStandardSeqno(message));
        Assert.Equal(0x123456789ABCDEUL, MessageSigning.SeqnoValue(message));
        Assert.Equal(0x0102030405060708UL, MessageSigning.SeqnoValue(MessageSigning.Sign(Author, "t", [], 0x0102030405060708)));

        Assert.Null(MessageSigning.Verify(SignWithSeqno(Author, "video", []), out var empty));
        Assert.Equal("seqno is 0 bytes, not 1 to 8", empty);
        Assert.Null(MessageSigning.Verify(SignWithSeqno(Author, "video", new byte[9]), out var long9));
        Assert.Equal("seqno is 9 bytes, not 1 to 8", long9);
    }

    /// <summary>A correctly signed message with any seqno bytes, as another implementation may send it.</summary>
    internal static RpcMessage SignWithSeqno(Ed25519PrivateKey author, string topic, byte[] seqno)
    {
        var unsigned = new RpcMessage { From = author.PeerId.ToArray(), Data = [7], Seqno = seqno, Topic = topic };
        return unsigned with { Signature = author.Sign(MessageSigning.SignedBytes(unsigned)) };
    }

    [Fact]
    public void An_explicit_matching_key_is_accepted()
    {
        var message = MessageSigning.Sign(Author, "video", [5], 1) with { Key = Author.PublicKey.ToProtobuf() };
        Assert.Equal(Author.PeerId, MessageSigning.Verify(message, out _));
    }
}
