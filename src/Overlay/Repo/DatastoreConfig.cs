using System.Text.Json.Serialization;
using Overlay.Blocks;

namespace Overlay.Repo;

/// <summary>The <c>Datastore</c> section of <see cref="RepoConfig"/>, with kubo's key name.</summary>
public sealed record DatastoreConfig
{
    public static DatastoreConfig Default { get; } = new() { StorageMax = BlockStoreOptions.DefaultStorageMax };

    /// <summary>The most bytes of blocks the repo keeps (a number of bytes; kubo writes "10GB", we write 10737418240).</summary>
    [JsonPropertyName("StorageMax")]
    public required long StorageMax { get; init; }
}
