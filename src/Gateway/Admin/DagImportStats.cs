using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>What a <c>dag/import</c> stored: blocks and their bytes (kubo's <c>stats=true</c> line).</summary>
public sealed record DagImportStats(
    [property: JsonPropertyName("BlockCount")] long BlockCount,
    [property: JsonPropertyName("BlockBytesCount")] long BlockBytesCount);
