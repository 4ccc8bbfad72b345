using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Overlay.Addressing;
using Overlay.Gateway.Hosting;
using Overlay.Node;

namespace Overlay.Gateway.Admin;

/// <summary>
/// The admin RPC the CLI talks to (kubo's <c>/api/v0</c>): <c>POST /api/v0/&lt;command&gt;?arg=…</c>,
/// JSON answers, on a loopback address only and on its own port, so exposing the gateway never
/// exposes control (BRIEF §6). Requests from browsers are refused (<see cref="AdminRequestGuard"/>).
/// </summary>
public sealed class AdminApi : IAsyncDisposable
{
    public const string PathPrefix = "/api/v0/";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;

    private AdminApi(WebApplication app, CancellationTokenSource stopping, Multiaddr address)
    {
        _app = app;
        _stopping = stopping;
        Address = address;
    }

    /// <summary>Where the API listens (the real port when 0 was asked for), as written into the repo's api file.</summary>
    public Multiaddr Address { get; }

    /// <summary>
    /// Starts the API for <paramref name="node"/> on <paramref name="endpoint"/>, which must be a
    /// loopback address. <paramref name="requestShutdown"/> is called after answering <c>shutdown</c>;
    /// <paramref name="streamImporter"/>, when given, lets <c>stream/publish</c> import inputs.
    /// </summary>
    /// <exception cref="ArgumentException">The endpoint is not a loopback address.</exception>
    /// <exception cref="IOException">The endpoint cannot be bound (e.g. the port is in use).</exception>
    public static async Task<AdminApi> StartAsync(
        OverlayNode node,
        IPEndPoint endpoint,
        VersionResponse version,
        Action requestShutdown,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default,
        IStreamImporter? streamImporter = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            throw new ArgumentException($"the admin API listens on loopback only, not on {endpoint.Address}", nameof(endpoint));
        }
        var stopping = new CancellationTokenSource();
        var app = KestrelHost.Create(endpoint);
        try
        {
            var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AdminApi>();
            app.Use(AdminRequestGuard.InvokeAsync);
            app.Use(new AdminErrorHandler(logger, stopping.Token).InvokeAsync);
            new AdminCommands(node, version, requestShutdown, stopping.Token, streamImporter).Map(app);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new AdminApi(app, stopping, Multiaddr.ForTcp(new IPEndPoint(endpoint.Address, KestrelHost.BoundPort(app))));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            stopping.Dispose();
            throw;
        }
    }

    /// <summary>Ends streaming commands, lets short ones finish, and stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
