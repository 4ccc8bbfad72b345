// Spec: https://specs.ipfs.tech/unixfs/#node-types
using Overlay.Manifest.Blocks;
using Overlay.Manifest.DagPb;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.UnixFs;

/// <summary>One verified, decoded UnixFS block: a raw leaf, or a dag-pb node with its UnixFS Data.</summary>
internal sealed class UnixFsNode
{
    private UnixFsNode(Cid cid, ReadOnlyMemory<byte> block, DagPbNode? pb, UnixFsData? data)
    {
        Cid = cid;
        Block = block;
        Pb = pb;
        Data = data;
    }

    public Cid Cid { get; }

    public ReadOnlyMemory<byte> Block { get; }

    /// <summary>Null for a raw leaf.</summary>
    public DagPbNode? Pb { get; }

    /// <summary>Null for a raw leaf.</summary>
    public UnixFsData? Data { get; }

    public UnixFsType Type => Data?.Type ?? UnixFsType.File;

    public bool IsFile => Type is UnixFsType.File or UnixFsType.Raw;

    public bool IsDirectory => Type is UnixFsType.Directory or UnixFsType.HamtShard;

    /// <summary>File bytes below this node, checked against <c>filesize</c> when that is present.</summary>
    public ulong ContentSize()
    {
        if (Data is null)
        {
            return (ulong)Block.Length;
        }
        ulong size;
        try
        {
            size = Data.ContentSize();
        }
        catch (OverflowException e)
        {
            throw new MalformedDataException(UnixFsData.FormatName, $"{Cid}: blocksizes overflow 64 bits", e);
        }
        if (Data.FileSize is { } declared && declared != size)
        {
            throw new MalformedDataException(UnixFsData.FormatName, $"{Cid}: filesize {declared} but data and blocksizes add up to {size}");
        }
        return size;
    }

    public static async ValueTask<UnixFsNode> LoadAsync(IBlockStore store, Cid cid, CancellationToken cancellationToken) =>
        Decode(cid, await VerifiedBlocks.GetAsync(store, cid, cancellationToken).ConfigureAwait(false));

    public static UnixFsNode Decode(Cid cid, ReadOnlyMemory<byte> block)
    {
        switch (cid.Codec)
        {
            case Multicodec.Raw:
                return new UnixFsNode(cid, block, null, null);
            case Multicodec.DagPb:
                var pb = DagPb.DagPb.Decode(block.Span);
                if (pb.Data is not { } data)
                {
                    throw new MalformedDataException(UnixFsData.FormatName, $"{cid}: dag-pb node without UnixFS Data");
                }
                return new UnixFsNode(cid, block, pb, UnixFsData.Decode(data.Span));
            default:
                throw new MalformedDataException(UnixFsData.FormatName, $"{cid}: codec {Multicodec.NameOf(cid.Codec)} is not UnixFS");
        }
    }
}
