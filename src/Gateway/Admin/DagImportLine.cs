using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>
/// One line of <c>/api/v0/dag/import</c>'s stream, as kubo sends them: a
/// <c>{"Root":{"Cid":{"/":…},"PinErrorMsg":""}}</c> line per CAR root, then, with
/// <c>stats=true</c>, one <c>{"Stats":{"BlockCount","BlockBytesCount"}}</c> line.
/// </summary>
public sealed record DagImportLine
{
    [JsonPropertyName("Root")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DagImportRoot? Root { get; init; }

    [JsonPropertyName("Stats")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DagImportStats? Stats { get; init; }
}
