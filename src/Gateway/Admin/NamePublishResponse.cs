using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary><c>name/publish</c>'s answer, kubo's shape: the name (<c>k51…</c>) and the path it now points at.</summary>
public sealed record NamePublishResponse(
    [property: JsonPropertyName("Name")] string Name,
    [property: JsonPropertyName("Value")] string Value);
