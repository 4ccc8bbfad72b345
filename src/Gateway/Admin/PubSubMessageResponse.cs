using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>
/// One message of kubo's <c>pubsub/sub</c> stream: the author's peer ID, and the data, sequence
/// number and topics each multibase-encoded (base64url, prefix <c>u</c>), as kubo sends them.
/// </summary>
public sealed record PubSubMessageResponse(
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("data")] string Data,
    [property: JsonPropertyName("seqno")] string Seqno,
    [property: JsonPropertyName("topicIDs")] IReadOnlyList<string> TopicIds);
