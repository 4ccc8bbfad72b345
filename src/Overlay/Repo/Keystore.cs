// Layout: kubo's keystore (https://github.com/ipfs/kubo, keystore/keystore.go): one file per key
// named "key_" + lower-case unpadded RFC 4648 base32 of the name, holding the libp2p
// PrivateKey protobuf.
using System.Text;
using Overlay.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;

namespace Overlay.Repo;

/// <summary>
/// The repo's named keys (<c>keystore/</c>), e.g. stream keys: each is an Ed25519 key whose
/// name (<c>k51…</c>) is a stream's address. Files are written owner-only, fsynced and renamed
/// into place without overwriting, so a key is never half-written, never readable by others and
/// never silently replaced. The repo's identity is listed as <see cref="SelfName"/> but lives in
/// <c>identity.key</c>, as in kubo.
/// </summary>
public sealed class Keystore
{
    public const string FolderName = "keystore";

    /// <summary>The reserved name of the node's own identity key.</summary>
    public const string SelfName = "self";

    /// <summary>Longest name in UTF-8 bytes: its base32 file name (8/5 as long, plus "key_") stays under 255.</summary>
    public const int MaxNameBytes = 150;

    private const string FilePrefix = "key_";

    /// <summary>An Ed25519 PrivateKey protobuf is 68 bytes; anything much longer is not one of ours.</summary>
    private const int MaxKeyFileBytes = 4096;

    private readonly OverlayRepo _repo;

    public Keystore(OverlayRepo repo)
    {
        ArgumentNullException.ThrowIfNull(repo);
        _repo = repo;
        FolderPath = Path.Combine(repo.RootPath, FolderName);
    }

    public string FolderPath { get; }

    /// <summary>Why <paramref name="name"/> cannot name a new key, or null when it can (kubo's rules, plus a length bound).</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "key names must be at least one character";
        }
        if (name == SelfName)
        {
            return "'self' is the node's own identity key; choose another name";
        }
        if (name.Contains('/') || name.Contains('\\'))
        {
            return "key names may not contain slashes";
        }
        if (name.StartsWith('.'))
        {
            return "key names may not begin with a period";
        }
        if (name.Any(char.IsControl))
        {
            return "key names may not contain control characters";
        }
        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            return $"key names are at most {MaxNameBytes} UTF-8 bytes";
        }
        return null;
    }

    /// <summary>The file name a key called <paramref name="name"/> is stored under.</summary>
    public static string FileNameOf(string name) =>
        FilePrefix + Multibase.EncodeBare(Encoding.UTF8.GetBytes(name), MultibaseEncoding.Base32);

    /// <summary>Generates and stores a new Ed25519 key.</summary>
    /// <exception cref="ArgumentException">The name breaks a rule of <see cref="NameProblem"/>.</exception>
    /// <exception cref="RepoException">A key of that name exists.</exception>
    public KeystoreEntry Generate(string name)
    {
        if (NameProblem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }
        var key = Ed25519PrivateKey.Generate();
        Store(name, key.ToProtobuf());
        return new KeystoreEntry(name, key.PeerId);
    }

    /// <summary>The named key, or null when there is none; <see cref="SelfName"/> is the identity key.</summary>
    public Ed25519PrivateKey? Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == SelfName)
        {
            return Ed25519PrivateKey.FromProtobuf(_repo.ReadIdentityKey());
        }
        if (NameProblem(name) is not null)
        {
            return null;
        }
        var path = Path.Combine(FolderPath, FileNameOf(name));
        return File.Exists(path) ? ReadKey(path) : null;
    }

    /// <summary><see cref="SelfName"/> first, then every stored key by name (ordinal order).</summary>
    public IReadOnlyList<KeystoreEntry> List()
    {
        var entries = new List<KeystoreEntry> { new(SelfName, PeerId.Parse(_repo.Config.Identity.PeerId)) };
        if (!Directory.Exists(FolderPath))
        {
            return entries;
        }
        var named = new List<KeystoreEntry>();
        foreach (var path in Directory.EnumerateFiles(FolderPath, FilePrefix + "*"))
        {
            var file = Path.GetFileName(path);
            string name;
            try
            {
                name = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Multibase.DecodeBare(file.AsSpan(FilePrefix.Length), MultibaseEncoding.Base32));
            }
            catch (Exception e) when (e is MalformedDataException or DecoderFallbackException)
            {
                // Not a name we (or kubo) would have written: someone else's file, left alone.
                continue;
            }
            named.Add(new KeystoreEntry(name, ReadKey(path).PeerId));
        }
        entries.AddRange(named.OrderBy(e => e.Name, StringComparer.Ordinal));
        return entries;
    }

    private void Store(string name, byte[] protobuf)
    {
        if (!Directory.Exists(FolderPath))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(FolderPath);
            }
            else
            {
                Directory.CreateDirectory(FolderPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            DirectorySync.Flush(_repo.RootPath);
        }
        var target = Path.Combine(FolderPath, FileNameOf(name));
        if (File.Exists(target))
        {
            throw new RepoException($"a key named '{name}' already exists");
        }
        var temp = Path.Combine(FolderPath, $".{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(protobuf);
                stream.Flush(flushToDisk: true);
            }
            // No overwrite: two concurrent gens of one name leave exactly one key, and the other fails.
            File.Move(temp, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(temp);
            throw new RepoException($"a key named '{name}' already exists");
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        DirectorySync.Flush(FolderPath);
    }

    private static Ed25519PrivateKey ReadKey(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        if (stream.Length > MaxKeyFileBytes)
        {
            throw new LimitExceededException("libp2p-key", $"key file {Path.GetFileName(path)} length", MaxKeyFileBytes, stream.Length);
        }
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return Ed25519PrivateKey.FromProtobuf(bytes);
    }
}
