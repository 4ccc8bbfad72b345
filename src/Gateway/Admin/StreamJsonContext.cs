using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>Source-generated JSON for the stream commands' answers, shared with the CLI that reads them.</summary>
[JsonSerializable(typeof(StreamPublishLine))]
[JsonSerializable(typeof(StreamEntry))]
[JsonSerializable(typeof(StreamListResponse))]
public sealed partial class StreamJsonContext : JsonSerializerContext;
