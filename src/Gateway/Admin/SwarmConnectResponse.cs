using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary><c>/api/v0/swarm/connect</c>: one "connect &lt;peer&gt; success" line per address, as kubo answers.</summary>
public sealed record SwarmConnectResponse(
    [property: JsonPropertyName("Strings")] IReadOnlyList<string> Strings);
