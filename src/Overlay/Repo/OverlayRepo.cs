using System.Text.Json;
using Microsoft.Extensions.Logging;
using Overlay.Blocks;
using Overlay.Manifest.Errors;

namespace Overlay.Repo;

/// <summary>
/// A node's folder (kubo's <c>$IPFS_PATH</c>): <c>config.json</c>, the identity private key in
/// <c>identity.key</c> (owner read/write only), the <c>version</c> of this layout and the
/// <c>blocks/</c> store. <c>config.json</c> is written last, so it marks a finished init: a folder
/// without it is not a repo, and init may run in it again. Pins live in <c>pins</c>
/// (<see cref="PinStore"/>) and block files that failed verification in <c>quarantine/</c>
/// (specs/repo.md).
/// </summary>
public sealed class OverlayRepo
{
    public const string ConfigFileName = "config.json";
    public const string IdentityKeyFileName = "identity.key";
    public const string VersionFileName = "version";
    public const string BlocksFolderName = "blocks";
    public const string QuarantineFolderName = "quarantine";

    /// <summary>The layout version written into <see cref="VersionFileName"/>; bumped with a migration.</summary>
    public const int LayoutVersion = 1;

    /// <summary>A libp2p private-key protobuf is ~70 bytes for Ed25519 and ~1.2 KB for RSA-2048; anything past this is not a key.</summary>
    private const int MaxIdentityKeyLength = 16 * 1024;

    /// <summary>Configs are a few hundred bytes; the cap keeps a wrong file from being read whole.</summary>
    private const int MaxConfigLength = 1024 * 1024;

    private const string ConfigFormat = "repo config";

    private OverlayRepo(string path, RepoConfig config, ILoggerFactory? loggers = null)
    {
        RootPath = path;
        Config = config;
        var options = new BlockStoreOptions
        {
            StorageMax = (config.Datastore ?? DatastoreConfig.Default).StorageMax,
            QuarantinePath = System.IO.Path.Combine(path, QuarantineFolderName),
        };
        Blocks = new FileBlockStore(System.IO.Path.Combine(path, BlocksFolderName), options, loggers?.CreateLogger("Overlay.Blocks"));
        Pins = new PinStore(path, Blocks, loggers?.CreateLogger("Overlay.Pins"))
        {
            // Without a running node (offline gc), followed and carried streams are still kept; a node replaces this with its live view.
            Tiers = Streams.Retention.StreamRetention.ForRepo(System.IO.Path.Combine(path, Streams.StreamStateStore.FolderName), Blocks),
        };
        Blocks.Retention = Pins;
    }

    public string RootPath { get; }

    public RepoConfig Config { get; }

    public FileBlockStore Blocks { get; }

    /// <summary>Recursive and direct pins; quota eviction and GC keep what they reach.</summary>
    public PinStore Pins { get; }

    public static bool IsInitialized(string path) => File.Exists(System.IO.Path.Combine(path, ConfigFileName));

    /// <summary>
    /// Creates a repo at <paramref name="path"/> for the identity whose libp2p private-key protobuf
    /// is <paramref name="privateKey"/> and whose peer ID is <paramref name="peerId"/>.
    /// </summary>
    /// <exception cref="RepoException">A repo is already initialised there.</exception>
    public static OverlayRepo Init(string path, ReadOnlySpan<byte> privateKey, string peerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(peerId);
        path = System.IO.Path.GetFullPath(path);
        if (IsInitialized(path))
        {
            throw new RepoException($"a repo is already initialised at {path}");
        }
        CreateOwnerOnlyDirectory(path);
        var config = RepoConfig.CreateDefault(peerId);
        var repo = new OverlayRepo(path, config);
        DurableFile.Write(path, IdentityKeyFileName, privateKey, ownerOnly: true);
        DurableFile.Write(path, VersionFileName, System.Text.Encoding.ASCII.GetBytes($"{LayoutVersion}\n"), ownerOnly: true);
        repo.Blocks.EnsureCreated();
        DurableFile.Write(path, ConfigFileName, JsonSerializer.SerializeToUtf8Bytes(config, RepoJsonContext.Default.RepoConfig), ownerOnly: true);
        return repo;
    }

    /// <summary>Opens the repo at <paramref name="path"/>.</summary>
    /// <exception cref="RepoException">There is no initialised repo there.</exception>
    /// <exception cref="MalformedDataException">Its config is not valid.</exception>
    public static OverlayRepo Open(string path, ILoggerFactory? loggers = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = System.IO.Path.GetFullPath(path);
        if (!IsInitialized(path))
        {
            throw new RepoException($"no repo at {path}: run `overlay init`");
        }
        CheckLayoutVersion(path);
        var bytes = ReadBounded(System.IO.Path.Combine(path, ConfigFileName), MaxConfigLength, ConfigFormat);
        RepoConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(bytes, RepoJsonContext.Default.RepoConfig);
        }
        catch (JsonException e)
        {
            throw new MalformedDataException(ConfigFormat, $"{ConfigFileName} in {path} is not valid: {e.Message}", e);
        }
        if (config is null)
        {
            throw new MalformedDataException(ConfigFormat, $"{ConfigFileName} in {path} is null");
        }
        if (config.Datastore is { StorageMax: <= 0 } datastore)
        {
            throw new MalformedDataException(ConfigFormat, $"Datastore.StorageMax in {path} must be a positive number of bytes, got {datastore.StorageMax}");
        }
        return new OverlayRepo(path, config, loggers);
    }

    /// <summary>The identity's libp2p private-key protobuf bytes.</summary>
    public byte[] ReadIdentityKey() =>
        ReadBounded(System.IO.Path.Combine(RootPath, IdentityKeyFileName), MaxIdentityKeyLength, "identity key");

    /// <summary>A repo written by a newer (or unknown) layout is refused rather than half-understood.</summary>
    private static void CheckLayoutVersion(string path)
    {
        var file = System.IO.Path.Combine(path, VersionFileName);
        var text = System.Text.Encoding.ASCII.GetString(ReadBounded(file, 64, "repo version")).Trim();
        if (text != LayoutVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new RepoException($"the repo at {path} has layout version \"{text}\"; this overlay reads version {LayoutVersion}");
        }
    }

    private static byte[] ReadBounded(string file, int maxLength, string format)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read);
        if (stream.Length > maxLength)
        {
            throw new LimitExceededException(format, $"{System.IO.Path.GetFileName(file)} length", maxLength, stream.Length);
        }
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
