// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-2-0-wire-format (fields 1-5; 1.0.0 uses field 2, later versions field 3)
using System.Buffers;

namespace Overlay.Bitswap.Messages;

public sealed partial class BitswapMessage
{
    private const int WantlistField = 1;
    private const int RawBlocksField = 2;
    private const int PayloadField = 3;
    private const int PresencesField = 4;
    private const int PendingBytesField = 5;

    private const int EntriesField = 1;
    private const int FullField = 2;

    private const int EntryBlockField = 1;
    private const int EntryPriorityField = 2;
    private const int EntryCancelField = 3;
    private const int EntryWantTypeField = 4;
    private const int EntrySendDontHaveField = 5;

    private const int PrefixField = 1;
    private const int DataField = 2;

    private const int PresenceCidField = 1;
    private const int PresenceTypeField = 2;

    /// <summary>Bytes <see cref="WriteTo"/> writes for <paramref name="version"/> (no length prefix).</summary>
    public int GetEncodedLength(BitswapProtocolVersion version = BitswapProtocolVersion.V120)
    {
        long length = 0;
        if (HasWantlist)
        {
            length += ProtoOutput.LengthField(WantlistLength(version));
        }
        foreach (var block in Blocks)
        {
            length += ProtoOutput.LengthField(BlockLength(block, version));
        }
        if (version == BitswapProtocolVersion.V120)
        {
            foreach (var presence in Presences)
            {
                length += ProtoOutput.LengthField(PresenceLength(presence));
            }
            if (PendingBytes != 0)
            {
                length += ProtoOutput.VarintField((ulong)(long)PendingBytes);
            }
        }
        return checked((int)length);
    }

    /// <summary>
    /// Writes the message as <paramref name="version"/> understands it: before 1.2.0 a want-have
    /// becomes a plain want (the peer cannot answer HAVE) and presences are left out.
    /// </summary>
    public void WriteTo(IBufferWriter<byte> output, BitswapProtocolVersion version = BitswapProtocolVersion.V120)
    {
        if (HasWantlist)
        {
            ProtoOutput.WriteLengthHeader(output, WantlistField, WantlistLength(version));
            foreach (var entry in Wantlist)
            {
                ProtoOutput.WriteLengthHeader(output, EntriesField, EntryLength(entry, version));
                ProtoOutput.WriteBytesField(output, EntryBlockField, entry.Cid.Bytes);
                if (entry.Priority != 0)
                {
                    ProtoOutput.WriteVarintField(output, EntryPriorityField, (ulong)(long)entry.Priority);
                }
                if (entry.Cancel)
                {
                    ProtoOutput.WriteVarintField(output, EntryCancelField, 1);
                }
                if (version == BitswapProtocolVersion.V120 && entry.WantType != BitswapWantType.Block)
                {
                    ProtoOutput.WriteVarintField(output, EntryWantTypeField, (ulong)entry.WantType);
                }
                if (version == BitswapProtocolVersion.V120 && entry.SendDontHave)
                {
                    ProtoOutput.WriteVarintField(output, EntrySendDontHaveField, 1);
                }
            }
            if (FullWantlist)
            {
                ProtoOutput.WriteVarintField(output, FullField, 1);
            }
        }
        Span<byte> prefix = stackalloc byte[BitswapLimits.MaxPrefixLength];
        foreach (var block in Blocks)
        {
            if (version == BitswapProtocolVersion.V100)
            {
                ProtoOutput.WriteBytesField(output, RawBlocksField, block.Data.Span);
                continue;
            }
            ProtoOutput.WriteLengthHeader(output, PayloadField, BlockLength(block, version));
            var prefixLength = block.Prefix.Write(prefix);
            ProtoOutput.WriteBytesField(output, PrefixField, prefix[..prefixLength]);
            ProtoOutput.WriteBytesField(output, DataField, block.Data.Span);
        }
        if (version != BitswapProtocolVersion.V120)
        {
            return;
        }
        foreach (var presence in Presences)
        {
            ProtoOutput.WriteLengthHeader(output, PresencesField, PresenceLength(presence));
            ProtoOutput.WriteBytesField(output, PresenceCidField, presence.Cid.Bytes);
            if (presence.Type != BitswapPresenceType.Have)
            {
                ProtoOutput.WriteVarintField(output, PresenceTypeField, (ulong)presence.Type);
            }
        }
        if (PendingBytes != 0)
        {
            ProtoOutput.WriteVarintField(output, PendingBytesField, (ulong)(long)PendingBytes);
        }
    }

    public byte[] Encode(BitswapProtocolVersion version = BitswapProtocolVersion.V120)
    {
        var writer = new ArrayBufferWriter<byte>(Math.Max(1, GetEncodedLength(version)));
        WriteTo(writer, version);
        return writer.WrittenSpan.ToArray();
    }

    private bool HasWantlist => Wantlist.Count > 0 || FullWantlist;

    private int WantlistLength(BitswapProtocolVersion version)
    {
        var length = FullWantlist ? ProtoOutput.VarintField(1) : 0;
        foreach (var entry in Wantlist)
        {
            length += ProtoOutput.LengthField(EntryLength(entry, version));
        }
        return length;
    }

    private static int EntryLength(BitswapWantlistEntry entry, BitswapProtocolVersion version)
    {
        var length = ProtoOutput.LengthField(entry.Cid.Bytes.Length);
        if (entry.Priority != 0)
        {
            length += ProtoOutput.VarintField((ulong)(long)entry.Priority);
        }
        if (entry.Cancel)
        {
            length += ProtoOutput.VarintField(1);
        }
        if (version == BitswapProtocolVersion.V120 && entry.WantType != BitswapWantType.Block)
        {
            length += ProtoOutput.VarintField((ulong)entry.WantType);
        }
        if (version == BitswapProtocolVersion.V120 && entry.SendDontHave)
        {
            length += ProtoOutput.VarintField(1);
        }
        return length;
    }

    /// <summary>The body of a payload entry, or the bare bytes for 1.0.0.</summary>
    private static int BlockLength(BitswapBlock block, BitswapProtocolVersion version) =>
        version == BitswapProtocolVersion.V100
            ? block.Data.Length
            : ProtoOutput.LengthField(block.Prefix.EncodedLength) + ProtoOutput.LengthField(block.Data.Length);

    private static int PresenceLength(BitswapBlockPresence presence) =>
        ProtoOutput.LengthField(presence.Cid.Bytes.Length)
        + (presence.Type != BitswapPresenceType.Have ? ProtoOutput.VarintField((ulong)presence.Type) : 0);
}
