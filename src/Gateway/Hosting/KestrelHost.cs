using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Overlay.Gateway.Hosting;

/// <summary>
/// A bare Kestrel web application on one endpoint: no configuration files, no environment
/// variables, no logging providers, no HTTPS. Nothing in the working folder or the environment
/// (appsettings.json, ASPNETCORE_URLS) can move a listener to another interface, and startup
/// stays short.
/// </summary>
internal static class KestrelHost
{
    /// <summary>How long a stopping server lets in-flight requests finish before aborting them.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The admin API and the health route take no request bodies; anything bigger is refused.</summary>
    private const long MaxRequestBodySize = 64 * 1024;

    public static WebApplication Create(IPEndPoint endpoint)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = MaxRequestBodySize;
            options.Listen(endpoint);
        });
        builder.Services.AddRoutingCore();
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        return builder.Build();
    }

    /// <summary>The port actually bound (the real one when 0 was asked for); valid after start.</summary>
    public static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var first = addresses.FirstOrDefault() ?? throw new InvalidOperationException("the server is not listening");
        return new Uri(first).Port;
    }
}
