using System.Text.Json.Serialization;
using Overlay.Gateway.Admin;

namespace Overlay.Gateway;

/// <summary>Source-generated JSON for every answer the servers give, shared with the CLI that reads them.</summary>
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(SwarmConnectResponse))]
[JsonSerializable(typeof(SwarmPeersResponse))]
[JsonSerializable(typeof(PingReply))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(AddedEntry))]
[JsonSerializable(typeof(BlockStatResponse))]
[JsonSerializable(typeof(StringsResponse))]
[JsonSerializable(typeof(PubSubMessageResponse))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
