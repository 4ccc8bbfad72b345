using System.Runtime.CompilerServices;
using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

public sealed partial class PinStore
{
    /// <summary>
    /// Garbage collection: removes every block that no pin reaches, that no
    /// <see cref="BlockOperation"/> holds and that was not put after GC started, yielding each
    /// removed block's CID (raw codec: the store keeps multihashes). Holds the pin gate from mark
    /// to sweep, so pin changes and eviction wait; adds and fetches go on.
    /// </summary>
    public async IAsyncEnumerable<Cid> CollectGarbageAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var shards = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var start = _blocks.BeginCollection();
            var pins = Load();
            var pinned = (await ReachableAsync(pins, cancellationToken).ConfigureAwait(false)).Hashes;
            _protected = pinned;
            var keep = await KeptUnderGateAsync(pinned, cancellationToken).ConfigureAwait(false);
            foreach (var hash in _blocks.SnapshotBlocks())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!keep.Contains(hash) && _blocks.TryCollect(hash, start, shards))
                {
                    yield return Cid.CreateV1(Multicodec.Raw, hash);
                }
            }
        }
        finally
        {
            _gate.Release();
            FileBlockStore.FlushFolders(shards);
        }
    }

    /// <summary>Every block the pins reach in the local store (missing or undecodable blocks end their branch), in walk order.</summary>
    private async Task<(HashSet<Multihash> Hashes, List<Cid> Cids)> ReachableAsync(IReadOnlyDictionary<Cid, PinType> pins, CancellationToken cancellationToken)
    {
        var hashes = new HashSet<Multihash>();
        var cids = new List<Cid>();
        var pending = new Stack<Cid>();
        foreach (var (cid, type) in pins.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
        {
            if (hashes.Add(cid.Hash))
            {
                cids.Add(cid);
                if (type == PinType.Recursive)
                {
                    pending.Push(cid);
                }
            }
        }
        while (pending.TryPop(out var cid))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (cid.Codec is Multicodec.Raw or Multicodec.Libp2pKey)
            {
                continue;
            }
            if (await _blocks.GetAsync(cid, cancellationToken).ConfigureAwait(false) is not { } data)
            {
                continue;
            }
            var links = LinksOf(cid, data.Span, strict: false);
            for (var i = links.Count - 1; i >= 0; i--)
            {
                if (hashes.Add(links[i].Hash))
                {
                    cids.Add(links[i]);
                    pending.Push(links[i]);
                }
            }
        }
        return (hashes, cids);
    }

    /// <summary>The pin set, read from disk on first use (and stray temp files of a crashed save removed).</summary>
    private Dictionary<Cid, PinType> Load()
    {
        if (_pins is not null)
        {
            return _pins;
        }
        if (Directory.Exists(_directory))
        {
            foreach (var stray in Directory.EnumerateFiles(_directory, $".{FileName}.*.tmp"))
            {
                File.Delete(stray);
            }
        }
        var file = FilePath;
        if (!File.Exists(file))
        {
            return _pins = [];
        }
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read);
        if (stream.Length > PinFile.MaxFileLength)
        {
            throw new Manifest.Errors.LimitExceededException("pins file", "file length", PinFile.MaxFileLength, stream.Length);
        }
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return _pins = PinFile.Decode(bytes);
    }

    /// <summary>Writes the new set durably, then makes it current and drops the cached reachable set.</summary>
    private void Save(Dictionary<Cid, PinType> pins)
    {
        Directory.CreateDirectory(_directory);
        DurableFile.Write(_directory, FileName, PinFile.Encode(pins));
        _pins = pins;
        _protected = null;
    }
}
