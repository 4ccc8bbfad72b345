using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>
/// An error answer of the admin API, in kubo's shape: <c>{"Message": "…", "Code": 0, "Type": "error"}</c>.
/// <see cref="Code"/> is kubo's <c>cmds.ErrorType</c>: <see cref="NormalCode"/> for a failure of
/// the command (HTTP 500), <see cref="ClientCode"/> for a bad request (HTTP 4xx).
/// </summary>
public sealed record ApiError(
    [property: JsonPropertyName("Message")] string Message,
    [property: JsonPropertyName("Code")] int Code)
{
    public const int NormalCode = 0;
    public const int ClientCode = 1;

    [JsonPropertyName("Type")]
    public string Type => "error";
}
