using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Streams;

/// <summary>
/// Reads through another store and hands out a block only after its bytes hash to its CID, so a
/// payload walk never parses or counts substituted bytes, whatever store it reads from.
/// </summary>
internal sealed class VerifyingBlockStore(IBlockStore inner) : IBlockStore
{
    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("a verifying view is read-only");

    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        var block = await inner.GetAsync(cid, cancellationToken).ConfigureAwait(false);
        if (block is { } bytes)
        {
            Verify(cid, bytes.Span);
        }
        return block;
    }

    /// <summary>The block's bytes, checked against its CID; <see cref="BlockNotFoundException"/> when absent.</summary>
    public static async ValueTask<ReadOnlyMemory<byte>> GetVerifiedAsync(IBlockStore store, Cid cid, CancellationToken cancellationToken)
    {
        var block = await store.GetAsync(cid, cancellationToken).ConfigureAwait(false) ?? throw new BlockNotFoundException(cid);
        Verify(cid, block.Span);
        return block;
    }

    private static void Verify(Cid cid, ReadOnlySpan<byte> bytes)
    {
        if (!cid.Matches(bytes))
        {
            throw new VerificationException($"block {cid} does not hash to its CID");
        }
    }

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => inner.HasAsync(cid, cancellationToken);

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) => inner.GetSizeAsync(cid, cancellationToken);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("a verifying view is read-only");

    public IAsyncEnumerable<Cid> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
}
