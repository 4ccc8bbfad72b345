using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Overlay.Gateway.Admin;

/// <summary>Typed results for the admin API, serialized with the source-generated context.</summary>
internal static class ApiResults
{
    /// <summary>kubo's error body; a 5xx is a failed command, anything else the client's mistake.</summary>
    public static JsonHttpResult<ApiError> Error(int status, string message) =>
        TypedResults.Json(new ApiError(message, status >= 500 ? ApiError.NormalCode : ApiError.ClientCode), ApiJsonContext.Default.ApiError, statusCode: status);
}
