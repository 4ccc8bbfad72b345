using System.Text.Json.Serialization;
using Overlay.Repo;

namespace Overlay.Gateway.Admin;

/// <summary><c>/api/v0/repo/stat</c>, with kubo's field names.</summary>
public sealed record RepoStatResponse
{
    [JsonPropertyName("RepoSize")]
    public required long RepoSize { get; init; }

    [JsonPropertyName("StorageMax")]
    public required long StorageMax { get; init; }

    [JsonPropertyName("NumObjects")]
    public required long NumObjects { get; init; }

    [JsonPropertyName("RepoPath")]
    public required string RepoPath { get; init; }

    [JsonPropertyName("Version")]
    public required string Version { get; init; }

    /// <summary>The repo's layout version, written like kubo's "fs-repo@16".</summary>
    public static string VersionOf(int layoutVersion) => $"overlay-repo@{layoutVersion}";

    /// <summary>What <paramref name="repo"/>'s store holds now.</summary>
    public static RepoStatResponse Of(OverlayRepo repo)
    {
        ArgumentNullException.ThrowIfNull(repo);
        return new RepoStatResponse
        {
            RepoSize = repo.Blocks.SizeInBytes,
            StorageMax = repo.Blocks.Options.StorageMax,
            NumObjects = repo.Blocks.Count,
            RepoPath = repo.RootPath,
            Version = VersionOf(OverlayRepo.LayoutVersion),
        };
    }
}
