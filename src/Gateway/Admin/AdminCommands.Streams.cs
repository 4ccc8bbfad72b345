using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Overlay.Manifest.Errors;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    /// <summary>One value of a streamed answer: compact JSON and a newline, flushed so the client sees it now.</summary>
    private static async Task WriteJsonLineAsync<T>(Stream body, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        await JsonSerializer.SerializeAsync(body, value, type, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a command that streams JSON lines. A failure before the first line is an ordinary
    /// error answer; after it the status is already sent, so the error becomes a last line in
    /// kubo's error shape (<c>{"Message","Code","Type":"error"}</c>), which the CLI reports.
    /// </summary>
    private static async Task<IResult> StreamLinesAsync(HttpContext context, Func<Task> body)
    {
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (Exception e) when (context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested
            && e is ApiArgumentException or OverlayException or IOException or ArgumentException or OperationCanceledException)
        {
            var message = e is OperationCanceledException ? "the daemon is shutting down" : e.Message;
            var code = e is ApiArgumentException or ArgumentException ? ApiError.ClientCode : ApiError.NormalCode;
            await WriteJsonLineAsync(context.Response.Body, new ApiError(message, code), ApiJsonContext.Default.ApiError, CancellationToken.None).ConfigureAwait(false);
        }

        return Results.Empty;
    }
}
