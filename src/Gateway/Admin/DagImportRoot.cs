using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>A root of an imported CAR and, when pinning it failed, why ("" when it was pinned or not asked to be).</summary>
public sealed record DagImportRoot(
    [property: JsonPropertyName("Cid")] RepoCidLink Cid,
    [property: JsonPropertyName("PinErrorMsg")] string PinErrorMsg);
