using System.Text.Json.Serialization;

namespace Overlay.Gateway.Peers;

/// <summary>Source-generated JSON for <c>/peers</c>.</summary>
[JsonSerializable(typeof(PeersResponse))]
[JsonSourceGenerationOptions(WriteIndented = false)]
public sealed partial class PeersJsonContext : JsonSerializerContext;
