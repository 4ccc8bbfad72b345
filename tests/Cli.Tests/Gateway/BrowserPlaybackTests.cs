using System.Text.Json;
using Overlay.Cli.Tests.Daemon;
using Overlay.Tests.Shared;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>
/// A real player: headless Chromium (driven by playwright-core from tests/js/play-check.mjs)
/// opens B's player page, which plays with hls.js a 32 s stream that A published; playback must
/// pass 20 s without one stall after it started.
/// </summary>
public sealed class BrowserPlaybackTests : TwoDaemonsTest
{
    [ChromiumFact]
    public async Task Chromium_plays_a_stream_published_on_A_from_Bs_page_past_20_seconds_without_a_stall()
    {
        var address = await GatewayPlaybackTests.PublishOnAAsync(A, B, DaemonA, 32, "Browser clip");
        var page = $"http://{DaemonB.GatewayEndPoint}/?play={address}";
        var (exit, stdout, stderr) = await JsPeer.RunAsync("play-check.mjs", [page, "21", "90"], timeout: TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, $"play-check.mjs exited {exit}: {stderr}");
        using var result = JsonDocument.Parse(stdout);
        var state = result.RootElement;
        Assert.True(state.GetProperty("started").GetBoolean(), stdout);
        Assert.Empty(state.GetProperty("errors").EnumerateArray());
        Assert.True(state.GetProperty("currentTime").GetDouble() >= 20, stdout);
        Assert.Equal(0, state.GetProperty("waitingEvents").GetInt32());
        Assert.Equal(0, state.GetProperty("stalls").GetInt32());
    }
}
