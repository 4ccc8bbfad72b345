using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>One line of kubo's <c>add</c> answer: the entry's path as given, its CID and its DAG size (a string, as kubo sends it).</summary>
public sealed record AddedEntry(
    [property: JsonPropertyName("Name")] string Name,
    [property: JsonPropertyName("Hash")] string Hash,
    [property: JsonPropertyName("Size")] string Size);
