using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>kubo's list answer (<c>pubsub/ls</c>, <c>pubsub/peers</c>): <c>{"Strings":[…]}</c>.</summary>
public sealed record StringsResponse([property: JsonPropertyName("Strings")] IReadOnlyList<string> Strings);
