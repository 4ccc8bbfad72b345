using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>One line of <c>/api/v0/block/rm</c>'s stream, kubo's <c>{"Hash","Error"}</c>: Error is set when that block was not removed.</summary>
public sealed record BlockRmLine
{
    [JsonPropertyName("Hash")]
    public required string Hash { get; init; }

    [JsonPropertyName("Error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
