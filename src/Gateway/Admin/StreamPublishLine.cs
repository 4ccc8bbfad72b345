using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>
/// One line of <c>/api/v0/stream/publish</c>: progress (<c>Bundles</c>, <c>Bytes</c>) while the
/// import runs, then a last line that also names the stream (<c>Address</c>, k51…) and its head.
/// </summary>
public sealed record StreamPublishLine
{
    public int Bundles { get; init; }

    public long Bytes { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Address { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Head { get; init; }
}
