using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>
/// One line of <c>/api/v0/stream/publish</c>: progress (<c>Bundles</c>, <c>Bytes</c>) while the
/// import runs, then a last line that also names the stream (<c>Address</c>, k51…) and its head.
/// A live publication names the stream as soon as its first head is announced (<c>Live</c>), and,
/// when the caller waits, once more with the sealed head when the input ends.
/// </summary>
public sealed record StreamPublishLine
{
    public int Bundles { get; init; }

    public long Bytes { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Address { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Head { get; init; }

    /// <summary>A live publication: the head named is a growing one (a last line after the input ends names the sealed head).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Live { get; init; }

    /// <summary>Whether the head named is sealed (for a live publication: the input ended).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Sealed { get; init; }
}
