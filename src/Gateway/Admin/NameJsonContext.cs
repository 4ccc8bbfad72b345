using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>Source-generated JSON for the name commands' answers, shared with the CLI that reads them.</summary>
[JsonSerializable(typeof(NameResolveResponse))]
[JsonSerializable(typeof(NamePublishResponse))]
public sealed partial class NameJsonContext : JsonSerializerContext;
