using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>One line of <c>/api/v0/repo/gc</c>'s stream, kubo's <c>{"Key":{"/":cid}}</c>, or <c>{"Error":…}</c> when GC stopped.</summary>
public sealed record RepoGcLine
{
    [JsonPropertyName("Key")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RepoCidLink? Key { get; init; }

    [JsonPropertyName("Error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
