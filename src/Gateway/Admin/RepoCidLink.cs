using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>A CID as kubo's RPC writes it: <c>{"/":"bafy…"}</c>.</summary>
public sealed record RepoCidLink([property: JsonPropertyName("/")] string Cid);
