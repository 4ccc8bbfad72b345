using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>A store whose reads a test can rewrite: hide a block (as a peer that never sends it), or hand out other bytes for it.</summary>
internal sealed class FaultyBlockStore(IBlockStore inner) : IBlockStore
{
    public Func<Cid, ReadOnlyMemory<byte>?, ReadOnlyMemory<byte>?> Read { get; set; } = (_, bytes) => bytes;

    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default) =>
        Read(cid, await inner.GetAsync(cid, cancellationToken));

    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => inner.PutAsync(cid, data, cancellationToken);

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => inner.HasAsync(cid, cancellationToken);

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) => inner.GetSizeAsync(cid, cancellationToken);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) => inner.DeleteAsync(cid, cancellationToken);

    public IAsyncEnumerable<Cid> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
}
