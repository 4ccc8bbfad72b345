using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>Source-generated JSON for the repo, pin, block/rm, dag and CAR commands' answers, shared with the CLI that reads them.</summary>
[JsonSerializable(typeof(RepoStatResponse))]
[JsonSerializable(typeof(RepoGcLine))]
[JsonSerializable(typeof(RepoVerifyResponse))]
[JsonSerializable(typeof(PinChangeResponse))]
[JsonSerializable(typeof(PinLsResponse))]
[JsonSerializable(typeof(BlockRmLine))]
[JsonSerializable(typeof(DagPutResponse))]
[JsonSerializable(typeof(DagImportLine))]
public sealed partial class RepoPinJsonContext : JsonSerializerContext;
