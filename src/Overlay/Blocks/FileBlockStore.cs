// Layout follows kubo's flatfs: https://github.com/ipfs/go-ds-flatfs (next-to-last/2 sharding, "<KEY>.data" files).
using System.Runtime.CompilerServices;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

/// <summary>
/// Blocks as one file each, named like kubo's flatfs: the RFC 4648 base32 (upper case, no
/// padding) of the multihash plus ".data", in a shard folder named by the two characters before
/// the key's last one. Writes go to a temporary file in the shard folder, are fsynced, renamed
/// into place and the folder is fsynced, so a crash leaves either the whole block or nothing.
/// Reads re-hash the bytes and throw <see cref="VerificationException"/> when they do not match.
/// Identity CIDs carry their bytes inline: like kubo's blockstore, they are always "present",
/// read from the CID itself, and never written to disk.
/// </summary>
public sealed class FileBlockStore : IBlockStore
{
    /// <summary>The SHARDING file's content in a kubo flatfs folder.</summary>
    public const string ShardingDescriptor = "/repo/flatfs/shard/v1/next-to-last/2";

    private const string DataSuffix = ".data";
    private const string TempPrefix = ".put-";
    private const int ShardLength = 2;

    public FileBlockStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>Creates the root folder and its SHARDING file when absent.</summary>
    public void EnsureCreated()
    {
        Directory.CreateDirectory(Root);
        var sharding = Path.Combine(Root, "SHARDING");
        if (!File.Exists(sharding))
        {
            WriteDurably(Root, sharding, System.Text.Encoding.ASCII.GetBytes(ShardingDescriptor + "\n"));
        }
    }

    /// <summary>The flatfs key of a multihash: base32 upper case without padding.</summary>
    public static string KeyOf(Multihash hash) => Multibase.EncodeBare(hash.Bytes, MultibaseEncoding.Base32Upper);

    /// <summary>Where the block with <paramref name="hash"/> lives, relative to <see cref="Root"/>.</summary>
    public static string RelativePathOf(Multihash hash)
    {
        var key = KeyOf(hash);
        return Path.Combine(ShardOf(key), key + DataSuffix);
    }

    public async ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (IsIdentity(cid))
        {
            return;
        }
        var path = PathOf(cid);
        if (File.Exists(path))
        {
            return;
        }
        var shard = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(shard))
        {
            Directory.CreateDirectory(shard);
            // The new shard folder's own entry lives in the root; sync it too or the block can vanish with it.
            DirectorySync.Flush(Root);
        }
        var temp = Path.Combine(shard, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        DirectorySync.Flush(shard);
    }

    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (IsIdentity(cid))
        {
            return cid.Hash.Digest.ToArray();
        }
        byte[] data;
        try
        {
            data = await File.ReadAllBytesAsync(PathOf(cid), cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        if (!MultihashAlgorithm.TryGet(cid.Hash.Code, out _))
        {
            throw new VerificationException($"block {cid}: hash function {Multicodec.NameOf(cid.Hash.Code)} cannot be verified here");
        }
        if (!cid.Matches(data))
        {
            throw new VerificationException($"block {cid} on disk does not match its hash (file {PathOf(cid)} is corrupt)");
        }
        return data;
    }

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        return ValueTask.FromResult(IsIdentity(cid) || File.Exists(PathOf(cid)));
    }

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (IsIdentity(cid))
        {
            return ValueTask.FromResult<int?>(cid.Hash.DigestLength);
        }
        var file = new FileInfo(PathOf(cid));
        return ValueTask.FromResult<int?>(file.Exists ? checked((int)file.Length) : null);
    }

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (IsIdentity(cid))
        {
            return ValueTask.CompletedTask;
        }
        var path = PathOf(cid);
        if (File.Exists(path))
        {
            File.Delete(path);
            DirectorySync.Flush(Path.GetDirectoryName(path)!);
        }
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<Cid> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }
        foreach (var shard in Directory.EnumerateDirectories(Root))
        {
            foreach (var file in Directory.EnumerateFiles(shard, "*" + DataSuffix))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (TryParseFileName(Path.GetFileName(file), out var hash))
                {
                    yield return Cid.CreateV1(Multicodec.Raw, hash);
                }
            }
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static bool IsIdentity(Cid cid) => cid.Hash.Code == Multicodec.Identity;

    private string PathOf(Cid cid) => Path.Combine(Root, RelativePathOf(cid.Hash));

    /// <summary>flatfs's next-to-last/2: the two characters before the last, padded with '_' for short keys.</summary>
    private static string ShardOf(string key)
    {
        var padded = key.Length < ShardLength + 1 ? key.PadLeft(ShardLength + 1, '_') : key;
        return padded.Substring(padded.Length - ShardLength - 1, ShardLength);
    }

    /// <summary>Files that are not ours (a stray copy, another tool's name) are skipped, not fatal.</summary>
    private static bool TryParseFileName(string name, out Multihash hash)
    {
        hash = null!;
        var key = name[..^DataSuffix.Length];
        if (key.Length == 0 || key.Any(c => c is not (>= 'A' and <= 'Z') and not (>= '2' and <= '7')))
        {
            return false;
        }
        try
        {
            hash = Multihash.Decode(Multibase.DecodeBare(key, MultibaseEncoding.Base32Upper));
            return true;
        }
        catch (MalformedDataException)
        {
            return false;
        }
    }

    private static void WriteDurably(string directory, string path, byte[] content)
    {
        var temp = Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N"));
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        DirectorySync.Flush(directory);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure is the one worth reporting; a leftover temp file is skipped by listings.
        }
    }
}
