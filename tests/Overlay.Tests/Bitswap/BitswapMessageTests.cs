using System.Text.RegularExpressions;
using Overlay.Bitswap.Messages;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Protobuf;
using Overlay.Tests.Shared;

namespace Overlay.Tests.Bitswap;

public sealed partial class BitswapMessageTests
{
    private static Cid RawCid(int i) => Cid.Compute(Multicodec.Raw, BitConverter.GetBytes(i));

    private static BitswapMessage Sample() => new()
    {
        Wantlist =
        [
            BitswapWantlistEntry.WantBlock(RawCid(1), priority: 7),
            BitswapWantlistEntry.WantHave(RawCid(2), priority: -3, sendDontHave: false),
            BitswapWantlistEntry.CancelOf(RawCid(3)),
            new BitswapWantlistEntry(Cid.CreateV0(Multihash.Sha2_256([9]))) { Priority = 0 },
        ],
        FullWantlist = true,
        Blocks =
        [
            BitswapBlock.Of(Cid.Compute(Multicodec.Raw, "hello"u8), "hello"u8.ToArray()),
            BitswapBlock.Of(Cid.CreateV0(Multihash.Sha2_256([1, 2, 3])), new byte[] { 1, 2, 3 }),
            BitswapBlock.Of(Cid.Compute(Multicodec.Raw, []), Array.Empty<byte>()),
        ],
        Presences =
        [
            new BitswapBlockPresence(RawCid(4), BitswapPresenceType.Have),
            new BitswapBlockPresence(RawCid(5), BitswapPresenceType.DontHave),
        ],
        PendingBytes = 123_456,
    };

    private static void AssertSame(BitswapMessage expected, BitswapMessage actual)
    {
        Assert.Equal(expected.Wantlist, actual.Wantlist);
        Assert.Equal(expected.FullWantlist, actual.FullWantlist);
        Assert.Equal(expected.Blocks.Count, actual.Blocks.Count);
        for (var i = 0; i < expected.Blocks.Count; i++)
        {
            Assert.Equal(expected.Blocks[i].Prefix, actual.Blocks[i].Prefix);
            Assert.Equal(expected.Blocks[i].Data.ToArray(), actual.Blocks[i].Data.ToArray());
        }
        Assert.Equal(expected.Presences, actual.Presences);
        Assert.Equal(expected.PendingBytes, actual.PendingBytes);
    }

    [Fact]
    public void A_message_with_every_field_round_trips_and_its_length_is_exact()
    {
        var message = Sample();
        var bytes = message.Encode();
        Assert.Equal(bytes.Length, message.GetEncodedLength());
        AssertSame(message, BitswapMessage.Decode(bytes));
    }

    [Fact]
    public void Received_blocks_hash_to_the_CIDs_they_were_sent_under()
    {
        var decoded = BitswapMessage.Decode(Sample().Encode());
        Assert.Equal(Sample().Blocks.Select(b => b.ComputeCid()), decoded.Blocks.Select(b => b.ComputeCid()));
        Assert.Equal(Cid.Compute(Multicodec.Raw, "hello"u8), decoded.Blocks[0].ComputeCid());
    }

    [Fact]
    public void An_empty_message_is_zero_bytes()
    {
        var empty = new BitswapMessage();
        Assert.True(empty.IsEmpty);
        Assert.Empty(empty.Encode());
        Assert.True(BitswapMessage.Decode(Array.Empty<byte>()).IsEmpty);
    }

    [Fact]
    public void Version_1_1_turns_want_have_into_want_block_and_drops_presences()
    {
        var decoded = BitswapMessage.Decode(Sample().Encode(BitswapProtocolVersion.V110));
        Assert.All(decoded.Wantlist, e => Assert.Equal(BitswapWantType.Block, e.WantType));
        Assert.All(decoded.Wantlist, e => Assert.False(e.SendDontHave));
        Assert.Equal(Sample().Wantlist.Select(e => (e.Cid, e.Cancel, e.Priority)), decoded.Wantlist.Select(e => (e.Cid, e.Cancel, e.Priority)));
        Assert.Empty(decoded.Presences);
        Assert.Equal(0, decoded.PendingBytes);
        Assert.Equal(Sample().Blocks.Select(b => b.Prefix), decoded.Blocks.Select(b => b.Prefix));
    }

    [Fact]
    public void Version_1_0_sends_bare_blocks_that_decode_as_CIDv0()
    {
        var block = BitswapBlock.Of(Cid.CreateV0(Multihash.Sha2_256([1, 2, 3])), new byte[] { 1, 2, 3 });
        var message = new BitswapMessage { Blocks = [block] };
        var bytes = message.Encode(BitswapProtocolVersion.V100);
        Assert.Equal(bytes.Length, message.GetEncodedLength(BitswapProtocolVersion.V100));
        Assert.Equal(0x12, bytes[0]); // field 2, length-delimited
        var decoded = Assert.Single(BitswapMessage.Decode(bytes).Blocks);
        Assert.Equal(CidPrefix.V0, decoded.Prefix);
        Assert.Equal(Cid.CreateV0(Multihash.Sha2_256([1, 2, 3])), decoded.ComputeCid());
    }

    [Fact]
    public void Block_bytes_are_slices_of_the_message_not_copies()
    {
        var bytes = new BitswapMessage { Blocks = [BitswapBlock.Of(Cid.Compute(Multicodec.Raw, new byte[100]), new byte[100])] }.Encode();
        var decoded = BitswapMessage.Decode(bytes);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(decoded.Blocks[0].Data, out var segment));
        Assert.Same(bytes, segment.Array);
    }

    [Fact]
    public void Field_numbers_and_enum_values_are_those_of_boxos_message_proto()
    {
        var numbers = ProtoNumbers(Fixtures.ReadText("ipfs-boxo", "bitswap", "message", "pb", "message.proto"));
        Assert.Equal((int)BitswapWantType.Block, numbers["Message.Wantlist.WantType.Block"]);
        Assert.Equal((int)BitswapWantType.Have, numbers["Message.Wantlist.WantType.Have"]);
        Assert.Equal((int)BitswapPresenceType.Have, numbers["Message.BlockPresenceType.Have"]);
        Assert.Equal((int)BitswapPresenceType.DontHave, numbers["Message.BlockPresenceType.DontHave"]);

        // The same message written by hand from the proto's numbers, field by field.
        var cid = RawCid(1);
        var data = "abc"u8.ToArray();
        var prefix = CidPrefix.Of(cid).Encode();
        var entry = new ProtoWriter();
        entry.WriteBytes(numbers["Message.Wantlist.Entry.block"], cid.Bytes);
        entry.WriteVarint(numbers["Message.Wantlist.Entry.priority"], 5);
        entry.WriteVarint(numbers["Message.Wantlist.Entry.wantType"], 1);
        entry.WriteBool(numbers["Message.Wantlist.Entry.sendDontHave"], true);
        var wantlist = new ProtoWriter();
        wantlist.WriteBytes(numbers["Message.Wantlist.entries"], entry.WrittenSpan);
        wantlist.WriteBool(numbers["Message.Wantlist.full"], true);
        var block = new ProtoWriter();
        block.WriteBytes(numbers["Message.Block.prefix"], prefix);
        block.WriteBytes(numbers["Message.Block.data"], data);
        var presence = new ProtoWriter();
        presence.WriteBytes(numbers["Message.BlockPresence.cid"], cid.Bytes);
        presence.WriteVarint(numbers["Message.BlockPresence.type"], 1);
        var message = new ProtoWriter();
        message.WriteBytes(numbers["Message.wantlist"], wantlist.WrittenSpan);
        message.WriteBytes(numbers["Message.payload"], block.WrittenSpan);
        message.WriteBytes(numbers["Message.blockPresences"], presence.WrittenSpan);
        message.WriteVarint(numbers["Message.pendingBytes"], 9);

        var ours = new BitswapMessage
        {
            Wantlist = [BitswapWantlistEntry.WantHave(cid, priority: 5)],
            FullWantlist = true,
            Blocks = [BitswapBlock.Of(cid, data)],
            Presences = [new BitswapBlockPresence(cid, BitswapPresenceType.DontHave)],
            PendingBytes = 9,
        };
        Assert.Equal(message.ToArray(), ours.Encode());
        AssertSame(ours, BitswapMessage.Decode(message.ToArray()));

        var legacy = new ProtoWriter();
        legacy.WriteBytes(numbers["Message.blocks"], data);
        Assert.Equal(data, Assert.Single(BitswapMessage.Decode(legacy.ToArray()).Blocks).Data.ToArray());
    }

    /// <summary>Field and enum numbers of a .proto file by scoped name ("Message.Wantlist.Entry.block" = 1).</summary>
    private static Dictionary<string, int> ProtoNumbers(string proto)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var scope = new Stack<string>();
        foreach (var raw in proto.Split('\n'))
        {
            var line = raw.Split("//")[0].Trim();
            if (ScopePattern().Match(line) is { Success: true } open)
            {
                scope.Push(open.Groups["name"].Value);
            }
            else if (line == "}")
            {
                scope.Pop();
            }
            else if (FieldPattern().Match(line) is { Success: true } field)
            {
                var path = string.Join('.', scope.Reverse().Append(field.Groups["name"].Value));
                numbers[path] = int.Parse(field.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return numbers;
    }

    [GeneratedRegex(@"^(message|enum)\s+(?<name>\w+)\s*\{$")]
    private static partial Regex ScopePattern();

    [GeneratedRegex(@"(?<name>\w+)\s*=\s*(?<number>\d+)\s*;$")]
    private static partial Regex FieldPattern();

    [Fact]
    public void Unknown_fields_are_skipped()
    {
        var writer = new ProtoWriter();
        writer.WriteVarint(15, 1);
        writer.WriteBytes(14, [1, 2, 3]);
        writer.WriteRaw(new BitswapMessage { Presences = [new BitswapBlockPresence(RawCid(1), BitswapPresenceType.Have)] }.Encode());
        Assert.Single(BitswapMessage.Decode(writer.ToArray()).Presences);
    }

    public static TheoryData<int> AcceptedEntryCounts => new() { 1, 1024 };

    [Theory]
    [MemberData(nameof(AcceptedEntryCounts))]
    public void Up_to_1024_wantlist_entries_are_accepted(int count)
    {
        var message = new BitswapMessage { Wantlist = Enumerable.Range(0, count).Select(i => BitswapWantlistEntry.WantHave(RawCid(i))).ToArray() };
        Assert.Equal(count, BitswapMessage.Decode(message.Encode()).Wantlist.Count);
    }

    [Theory]
    [InlineData(1025)]
    [InlineData(10_000)]
    public void A_wantlist_flood_is_refused(int count)
    {
        var message = new BitswapMessage { Wantlist = Enumerable.Range(0, count).Select(i => BitswapWantlistEntry.WantBlock(RawCid(i))).ToArray() };
        var e = Assert.Throws<LimitExceededException>(() => BitswapMessage.Decode(message.Encode()));
        Assert.Equal("bitswap", e.Format);
        Assert.Equal(BitswapLimits.MaxWantlistEntries, e.Limit);
    }

    [Fact]
    public void A_block_declared_past_2_MiB_is_refused_before_its_bytes_are_read()
    {
        // Declares a 3 MiB block but carries 4 bytes: the limit fires, not "truncated".
        var block = new ProtoWriter();
        block.WriteBytes(1, CidPrefix.Of(RawCid(1)).Encode());
        block.WriteTag(2, WireType.LengthDelimited);
        block.WriteRawVarint(3 * 1024 * 1024);
        block.WriteRaw([1, 2, 3, 4]);
        var message = new ProtoWriter();
        message.WriteBytes(3, block.WrittenSpan);
        var e = Assert.Throws<LimitExceededException>(() => BitswapMessage.Decode(message.ToArray()));
        Assert.Equal(BitswapLimits.MaxBlockSize, e.Limit);
        Assert.Equal(3 * 1024 * 1024, e.Declared);

        var legacy = new ProtoWriter();
        legacy.WriteTag(2, WireType.LengthDelimited);
        legacy.WriteRawVarint(2 * 1024 * 1024 + 1);
        Assert.Throws<LimitExceededException>(() => BitswapMessage.Decode(legacy.ToArray()));
    }

    [Fact]
    public void A_2_MiB_block_is_accepted()
    {
        var data = new byte[BitswapLimits.MaxBlockSize];
        var message = new BitswapMessage { Blocks = [BitswapBlock.Of(Cid.Compute(Multicodec.Raw, data), data)] };
        Assert.Equal(data.Length, Assert.Single(BitswapMessage.Decode(message.Encode()).Blocks).Data.Length);
    }

    [Fact]
    public void A_message_past_4_MiB_is_refused()
    {
        var e = Assert.Throws<LimitExceededException>(() => BitswapMessage.Decode(new byte[BitswapLimits.MaxMessageSize + 1]));
        Assert.Equal(BitswapLimits.MaxMessageSize, e.Limit);
    }

    [Fact]
    public void Too_many_blocks_or_presences_are_refused()
    {
        var presences = new BitswapMessage { Presences = Enumerable.Range(0, BitswapLimits.MaxPresences + 1).Select(i => new BitswapBlockPresence(RawCid(i), BitswapPresenceType.Have)).ToArray() };
        Assert.Throws<LimitExceededException>(() => BitswapMessage.Decode(presences.Encode()));
        var empty = BitswapBlock.Of(Cid.Compute(Multicodec.Raw, []), Array.Empty<byte>());
        var blocks = new BitswapMessage { Blocks = Enumerable.Repeat(empty, BitswapLimits.MaxBlocks + 1).ToArray() };
        Assert.Throws<LimitExceededException>(() => BitswapMessage.Decode(blocks.Encode()));
    }

    [Fact]
    public void A_CID_longer_than_boxos_maximum_is_refused()
    {
        var entry = new ProtoWriter();
        entry.WriteBytes(1, new byte[BitswapLimits.MaxCidLength + 1]);
        var wantlist = new ProtoWriter();
        wantlist.WriteBytes(1, entry.WrittenSpan);
        var message = new ProtoWriter();
        message.WriteBytes(1, wantlist.WrittenSpan);
        Assert.Throws<LimitExceededException>(() => BitswapMessage.Decode(message.ToArray()));
    }

    public static TheoryData<string, byte[]> MalformedMessages()
    {
        var cid = RawCid(1).ToArray();
        byte[] Wrap(int field, byte[] body) { var w = new ProtoWriter(); w.WriteBytes(field, body); return w.ToArray(); }
        byte[] Entry(Action<ProtoWriter> fields) { var w = new ProtoWriter(); fields(w); return Wrap(1, Wrap(1, w.ToArray())); }
        byte[] Fields(Action<ProtoWriter> fields) { var w = new ProtoWriter(); fields(w); return w.ToArray(); }
        return new TheoryData<string, byte[]>
        {
            { "entry without a CID", Entry(w => w.WriteVarint(2, 1)) },
            { "unknown want type", Entry(w => { w.WriteBytes(1, cid); w.WriteVarint(4, 2); }) },
            { "CID that is not a CID", Entry(w => w.WriteBytes(1, [0x01, 0x55, 0x12, 0x20, 0x00])) },
            { "CID with trailing bytes", Entry(w => w.WriteBytes(1, [.. cid, 0])) },
            { "priority with the wrong wire type", Entry(w => { w.WriteBytes(1, cid); w.WriteBytes(2, [1]); }) },
            { "payload without a prefix", Wrap(3, Fields(w => w.WriteBytes(2, [1]))) },
            { "prefix of CID version 2", Wrap(3, Fields(w => w.WriteBytes(1, [2, 0x55, 0x12, 0x20]))) },
            { "CIDv0 prefix with the raw codec", Wrap(3, Fields(w => w.WriteBytes(1, [0, 0x55, 0x12, 0x20]))) },
            { "sha2-256 prefix asking 33 bytes", Wrap(3, Fields(w => w.WriteBytes(1, [1, 0x55, 0x12, 33]))) },
            { "prefix with a zero digest length", Wrap(3, Fields(w => w.WriteBytes(1, [1, 0x55, 0x12, 0]))) },
            { "prefix with a trailing byte", Wrap(3, Fields(w => w.WriteBytes(1, [1, 0x55, 0x12, 0x20, 0]))) },
            { "truncated prefix", Wrap(3, Fields(w => w.WriteBytes(1, [1, 0x55, 0x92]))) },
            { "non-minimal prefix varint", Wrap(3, Fields(w => w.WriteBytes(1, [1, 0xD5, 0x00, 0x12, 0x20]))) },
            { "presence without a CID", Wrap(4, Fields(w => w.WriteVarint(2, 1))) },
            { "unknown presence type", Wrap(4, Fields(w => { w.WriteBytes(1, cid); w.WriteVarint(2, 5); })) },
            { "wantlist with the wrong wire type", Fields(w => w.WriteVarint(1, 1)) },
            { "length past the end", [0x0A, 0x05, 0x01] },
            { "truncated varint", [0x28, 0x80] },
            { "field number zero", [0x00, 0x01] },
            { "wire type 7", [0x0F] },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedMessages))]
    public void Malformed_messages_throw_MalformedDataException_for_bitswap(string what, byte[] bytes)
    {
        var e = Assert.ThrowsAny<MalformedDataException>(() => BitswapMessage.Decode(bytes));
        Assert.True(e.Format == "bitswap", $"{what}: format {e.Format}");
    }

    [Fact]
    public void Every_truncation_and_byte_mutation_either_decodes_or_throws_MalformedDataException()
    {
        var bytes = Sample().Encode();
        for (var length = 0; length < bytes.Length; length++)
        {
            DecodesOrRefuses(bytes.AsMemory(0, length));
        }
        var mutated = new byte[bytes.Length];
        foreach (var replacement in new byte[] { 0x00, 0xFF, 0x80, 0x7F, 0x01 })
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes.CopyTo(mutated, 0);
                mutated[i] = replacement;
                DecodesOrRefuses(mutated);
            }
        }
        var random = new Random(4);
        var noise = new byte[64];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(noise);
            DecodesOrRefuses(noise.AsMemory(0, random.Next(noise.Length)));
        }
    }

    private static void DecodesOrRefuses(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var message = BitswapMessage.Decode(bytes);
            // Whatever decoded must encode again without surprises.
            message.Encode();
        }
        catch (MalformedDataException e)
        {
            Assert.Equal("bitswap", e.Format);
        }
    }
}
