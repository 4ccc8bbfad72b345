using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Overlay.Bitswap;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

/// <summary>
/// The repo's pins, with kubo's meaning: a recursive pin keeps a whole DAG (dag-pb, dag-cbor,
/// dag-json links; raw leaves), a direct pin one block, and every block reachable from a
/// recursive pin is indirectly pinned. The set lives in the <c>pins</c> file (<see cref="PinFile"/>),
/// replaced whole and durably on every change. One gate serialises pin changes, garbage
/// collection and quota eviction, so none of them acts on a pin set the others are changing.
/// </summary>
public sealed partial class PinStore : IBlockRetention
{
    public const string FileName = "pins";

    /// <summary>Blocks fetched at once while pinning, so a network-backed source keeps several wants in flight.</summary>
    private const int FetchParallelism = 16;

    private readonly string _directory;
    private readonly FileBlockStore _blocks;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<Cid, PinType>? _pins;
    private IReadOnlySet<Multihash>? _protected;

    public PinStore(string directory, FileBlockStore blocks, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(blocks);
        _directory = Path.GetFullPath(directory);
        _blocks = blocks;
        _logger = logger ?? NullLogger.Instance;
    }

    public string FilePath => Path.Combine(_directory, FileName);

    /// <summary>
    /// Where <see cref="AddAsync(Cid, bool, CancellationToken)"/> reads blocks that are not here:
    /// a daemon with bitswap sets a network-backed store over this repo; unset, only local blocks pin.
    /// </summary>
    public IBlockStore? FetchSource { get; set; }

    /// <summary>Pins through <see cref="FetchSource"/> (or the local store when unset).</summary>
    public Task AddAsync(Cid cid, bool recursive, CancellationToken cancellationToken = default) =>
        AddAsync(cid, recursive, FetchSource ?? _blocks, cancellationToken);

    /// <summary>
    /// Pins <paramref name="cid"/>: first makes sure every block it keeps is here, reading the
    /// missing ones from <paramref name="source"/> (a network-backed store fetches them) and storing
    /// them locally, all under a lease; then records the pin. Adding a recursive pin to a direct
    /// one upgrades it; a direct pin on a recursively pinned CID is refused, as in kubo.
    /// </summary>
    /// <exception cref="PinException">A block could not be found, or the pin conflicts.</exception>
    public async Task AddAsync(Cid cid, bool recursive, IBlockStore source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        ArgumentNullException.ThrowIfNull(source);
        using var operation = _blocks.BeginOperation();
        await FetchAsync(cid, recursive, source, operation, cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pins = Load();
            var existing = pins.TryGetValue(cid, out var type) ? type : (PinType?)null;
            if (existing == PinType.Recursive && !recursive)
            {
                throw new PinException($"{cid} is already pinned recursively");
            }
            var wanted = recursive ? PinType.Recursive : PinType.Direct;
            if (existing != wanted)
            {
                Save(new Dictionary<Cid, PinType>(pins) { [cid] = wanted });
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes a pin (kubo's <c>pin rm</c>: recursive by default; a recursive pin is not removed by a direct-only removal).</summary>
    /// <exception cref="PinException">Not pinned, only indirectly pinned, or pinned recursively while <paramref name="recursive"/> is false.</exception>
    public async Task RemoveAsync(Cid cid, bool recursive = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pins = Load();
            if (!pins.TryGetValue(cid, out var type))
            {
                throw new PinException((await ReachableAsync(pins, cancellationToken).ConfigureAwait(false)).Hashes.Contains(cid.Hash)
                    ? $"{cid} is pinned indirectly: unpin the pin above it"
                    : $"{cid} is not pinned");
            }
            if (type == PinType.Recursive && !recursive)
            {
                throw new PinException($"{cid} is pinned recursively");
            }
            var next = new Dictionary<Cid, PinType>(pins);
            next.Remove(cid);
            Save(next);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The pins of <paramref name="type"/> (all types when null): recursive and direct first, then the indirect ones.</summary>
    public async Task<IReadOnlyList<PinnedCid>> ListAsync(PinType? type = null, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pins = Load();
            var list = pins
                .Where(p => type is null || p.Value == type)
                .Select(p => new PinnedCid(p.Key, p.Value))
                .OrderBy(p => p.Cid.ToString(), StringComparer.Ordinal)
                .ToList();
            if (type is null or PinType.Indirect)
            {
                var roots = pins.Keys.Select(c => c.Hash).ToHashSet();
                var reachable = await ReachableAsync(pins, cancellationToken).ConfigureAwait(false);
                list.AddRange(reachable.Cids.Where(c => !roots.Contains(c.Hash)).Select(c => new PinnedCid(c, PinType.Indirect)));
            }
            return list;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>How <paramref name="cid"/>'s block is pinned, or null when it is not.</summary>
    public async Task<PinType?> IsPinnedAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pins = Load();
            if (pins.TryGetValue(cid, out var type))
            {
                return type;
            }
            return (await ProtectedUnderGateAsync(cancellationToken).ConfigureAwait(false)).Contains(cid.Hash) ? PinType.Indirect : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task<IDisposable> IBlockRetention.LockAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new GateRelease(_gate);
    }

    ValueTask<IReadOnlySet<Multihash>> IBlockRetention.ProtectedAsync(CancellationToken cancellationToken) => ProtectedUnderGateAsync(cancellationToken);

    ValueTask<IReadOnlyList<IReadOnlySet<Multihash>>> IBlockRetention.TiersAsync(CancellationToken cancellationToken) =>
        Tiers?.TiersAsync(cancellationToken) ?? ValueTask.FromResult<IReadOnlyList<IReadOnlySet<Multihash>>>([]);

    /// <summary>Class-ranked stream data (specs/repo.md §6): never collected by GC, evicted after unkept blocks.</summary>
    internal IRetentionTiers? Tiers { get; set; }

    /// <summary>What GC keeps: the pins' blocks and every retention tier (call under the gate).</summary>
    private async ValueTask<IReadOnlySet<Multihash>> KeptUnderGateAsync(IReadOnlySet<Multihash> pinned, CancellationToken cancellationToken)
    {
        if (Tiers is not { } tiers)
        {
            return pinned;
        }
        var kept = new HashSet<Multihash>(pinned);
        foreach (var tier in await tiers.TiersAsync(cancellationToken).ConfigureAwait(false))
        {
            kept.UnionWith(tier);
        }
        return kept;
    }

    private async ValueTask<IReadOnlySet<Multihash>> ProtectedUnderGateAsync(CancellationToken cancellationToken) =>
        _protected ??= (await ReachableAsync(Load(), cancellationToken).ConfigureAwait(false)).Hashes;

    /// <summary>Makes sure the blocks the pin will keep are here, fetching what is missing through <paramref name="source"/>.</summary>
    private async Task FetchAsync(Cid root, bool recursive, IBlockStore source, BlockOperation operation, CancellationToken cancellationToken)
    {
        var visited = new HashSet<Multihash> { root.Hash };
        List<Cid> level = [root];
        while (level.Count > 0)
        {
            var next = new ConcurrentQueue<Cid>();
            await Parallel.ForEachAsync(level, new ParallelOptions { MaxDegreeOfParallelism = FetchParallelism, CancellationToken = cancellationToken }, async (cid, token) =>
            {
                var data = await EnsureLocalAsync(cid, source, operation, needBytes: recursive, token).ConfigureAwait(false);
                if (recursive && data is { } bytes)
                {
                    foreach (var link in LinksOf(cid, bytes.Span, strict: true))
                    {
                        next.Enqueue(link);
                    }
                }
            }).ConfigureAwait(false);
            level = next.Where(c => visited.Add(c.Hash)).ToList();
        }
    }

    /// <summary>The block's bytes when its links are needed (null for leaves already here), fetched and stored when missing.</summary>
    private async Task<ReadOnlyMemory<byte>?> EnsureLocalAsync(Cid cid, IBlockStore source, BlockOperation operation, bool needBytes, CancellationToken cancellationToken)
    {
        operation.Lease(cid);
        var isLeaf = cid.Codec is Multicodec.Raw or Multicodec.Libp2pKey;
        if (isLeaf || !needBytes)
        {
            if (await _blocks.HasAsync(cid, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
        else if (await _blocks.GetAsync(cid, cancellationToken).ConfigureAwait(false) is { } local)
        {
            return local;
        }
        var fetched = await source.GetAsync(cid, cancellationToken).ConfigureAwait(false)
            ?? throw new PinException($"block {cid} was not found: cannot pin what is not here or on the network");
        if (!cid.Hash.Matches(fetched.Span))
        {
            throw new VerificationException($"block {cid} from {source.GetType().Name} does not match its hash");
        }
        if (!await _blocks.HasAsync(cid, cancellationToken).ConfigureAwait(false))
        {
            await operation.Blocks.PutAsync(cid, fetched, cancellationToken).ConfigureAwait(false);
        }
        return fetched;
    }

    /// <summary>
    /// A block's links; when not <paramref name="strict"/> (walking what is already pinned), an
    /// undecodable block is logged and treated as a leaf instead of failing GC or eviction.
    /// </summary>
    private IReadOnlyList<Cid> LinksOf(Cid cid, ReadOnlySpan<byte> data, bool strict)
    {
        try
        {
            return BlockLinks.Of(cid, data);
        }
        catch (Exception e) when (!strict && e is MalformedDataException or NotSupportedException)
        {
            BlockStoreLog.UnreadableLinks(_logger, cid.ToString(), e.Message);
            return [];
        }
        catch (NotSupportedException e)
        {
            throw new PinException(e.Message);
        }
    }

    private sealed class GateRelease(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
