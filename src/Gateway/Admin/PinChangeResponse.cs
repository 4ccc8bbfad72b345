using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary><c>/api/v0/pin/add</c> and <c>/api/v0/pin/rm</c>: kubo's <c>{"Pins":[cid…]}</c>.</summary>
public sealed record PinChangeResponse([property: JsonPropertyName("Pins")] IReadOnlyList<string> Pins);
