using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>kubo's line per stored node of <c>/api/v0/dag/put</c>: <c>{"Cid":{"/":cid}}</c>.</summary>
public sealed record DagPutResponse([property: JsonPropertyName("Cid")] RepoCidLink Cid);
