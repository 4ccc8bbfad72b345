using System.Text.Json.Serialization;

namespace Overlay.Repo;

[JsonSourceGenerationOptions(WriteIndented = true, IndentCharacter = ' ', IndentSize = 2)]
[JsonSerializable(typeof(RepoConfig))]
internal sealed partial class RepoJsonContext : JsonSerializerContext;
