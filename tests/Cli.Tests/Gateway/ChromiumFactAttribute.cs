namespace Overlay.Cli.Tests.Gateway;

/// <summary>
/// A fact that needs headless Chromium (Debian's <c>chromium</c>, which scripts/test installs
/// when root). Skipped, saying why, only when the browser is absent and this run could not have
/// installed it (not root); as root a missing browser is a failure, not a skip.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!File.Exists(BrowserPath) && Environment.UserName != "root")
        {
            Skip = $"headless Chromium is not installed at {BrowserPath} and this run is not root: apt-get install chromium (scripts/test does it as root), or set OVERLAY_CHROMIUM";
        }
    }

    /// <summary>OVERLAY_CHROMIUM, else Debian's /usr/bin/chromium.</summary>
    public static string BrowserPath => Environment.GetEnvironmentVariable("OVERLAY_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
}
