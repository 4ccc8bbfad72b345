using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Overlay.Manifest.Errors;

namespace Overlay.Gateway.Admin;

/// <summary>
/// Turns a command's exception into kubo's error body: bad arguments are 400 (client code),
/// failures of the command 500. A bug is answered the same way and logged, so one bad request
/// never takes the daemon down.
/// </summary>
internal sealed partial class AdminErrorHandler(ILogger logger, CancellationToken stopping)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client hung up: there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, message) = e switch
            {
                ApiArgumentException => (StatusCodes.Status400BadRequest, e.Message),
                ArgumentException argument => (StatusCodes.Status400BadRequest, WithoutParameterName(argument)),
                OverlayException or IOException => (StatusCodes.Status500InternalServerError, e.Message),
                OperationCanceledException when stopping.IsCancellationRequested => (StatusCodes.Status503ServiceUnavailable, "the daemon is shutting down"),
                OperationCanceledException => (StatusCodes.Status500InternalServerError, "timed out"),
                _ => Unexpected(context, e),
            };
            await ApiResults.Error(status, message).ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    private (int, string) Unexpected(HttpContext context, Exception e)
    {
        LogUnexpected(logger, context.Request.Path, e);
        return (StatusCodes.Status500InternalServerError, e.Message);
    }

    /// <summary>"cannot dial ourselves (Parameter 'address')" reads as "cannot dial ourselves" to a user.</summary>
    private static string WithoutParameterName(ArgumentException e) =>
        e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Admin API command {Path} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string path, Exception exception);
}
