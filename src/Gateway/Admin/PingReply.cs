using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>
/// One line of <c>/api/v0/ping</c>'s streamed answer (kubo's <c>PingResult</c>): a pong carries
/// its round trip in <see cref="Time"/> (nanoseconds, a Go duration); header, error and
/// average lines carry <see cref="Text"/> and a zero time.
/// </summary>
public sealed record PingReply(
    [property: JsonPropertyName("Success")] bool Success,
    [property: JsonPropertyName("Time")] long Time,
    [property: JsonPropertyName("Text")] string Text);
