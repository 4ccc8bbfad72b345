using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>One key of <see cref="PinLsResponse"/>: its pin type, "recursive", "direct" or "indirect".</summary>
public sealed record PinLsEntry([property: JsonPropertyName("Type")] string Type);
