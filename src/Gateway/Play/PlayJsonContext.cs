using System.Text.Json.Serialization;

namespace Overlay.Gateway.Play;

/// <summary>Source-generated JSON of the catalog routes, camelCase as browser code expects.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CatalogResponse))]
[JsonSerializable(typeof(StreamSourcesResponse))]
internal sealed partial class PlayJsonContext : JsonSerializerContext;
