using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary><c>name/resolve</c>'s answer, kubo's shape: <c>{"Path":"/ipfs/…"}</c>.</summary>
public sealed record NameResolveResponse([property: JsonPropertyName("Path")] string Path);
