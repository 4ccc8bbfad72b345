using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>kubo's answer to <c>block/put</c> and <c>block/stat</c>.</summary>
public sealed record BlockStatResponse(
    [property: JsonPropertyName("Key")] string Key,
    [property: JsonPropertyName("Size")] int Size);
