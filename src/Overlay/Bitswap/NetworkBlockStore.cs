using Overlay.Bitswap.Client;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap;

/// <summary>
/// An <see cref="IBlockStore"/> that reads the local store first and fetches a missing block
/// over bitswap (verified, then kept locally), so readers such as <c>UnixFsReader</c> work on
/// content that is not here yet, one block at a time with their own look-ahead. Puts go to the
/// local store and are offered to peers waiting for them. Presence, size, listing and deletion
/// are local only. All reads of one instance share a session, so peers found for the first block
/// are asked first for the next.
/// </summary>
public sealed class NetworkBlockStore : IBlockStore
{
    private readonly IBlockStore _local;
    private readonly BitswapSession _session;

    public NetworkBlockStore(BitswapService bitswap, TimeSpan? fetchTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(bitswap);
        _local = bitswap.LocalStore;
        _session = bitswap.Client.CreateSession();
        FetchTimeout = fetchTimeout ?? DefaultFetchTimeout;
    }

    /// <summary>How long <see cref="GetAsync"/> looks for a missing block before reporting it absent.</summary>
    public static TimeSpan DefaultFetchTimeout { get; } = TimeSpan.FromMinutes(1);

    public TimeSpan FetchTimeout { get; }

    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        _local.PutAsync(cid, data, cancellationToken);

    /// <summary>The local copy, else the network's (null when nobody sent it within <see cref="FetchTimeout"/>).</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        if (await _local.GetAsync(cid, cancellationToken).ConfigureAwait(false) is { } local)
        {
            return local;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FetchTimeout);
        try
        {
            return await _session.GetBlockAsync(cid, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => _local.HasAsync(cid, cancellationToken);

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) => _local.GetSizeAsync(cid, cancellationToken);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) => _local.DeleteAsync(cid, cancellationToken);

    public IAsyncEnumerable<Cid> ListAsync(CancellationToken cancellationToken = default) => _local.ListAsync(cancellationToken);
}
