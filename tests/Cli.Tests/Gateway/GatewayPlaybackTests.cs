using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Overlay.Bridge.Ffmpeg;
using Overlay.Cli.Tests.Daemon;
using Overlay.Manifest.Keys;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>
/// Daemon A publishes a small ffmpeg-made video; daemon B, connected to A, serves it through its
/// gateway without being told to follow it: the playlist request does that.
/// </summary>
public sealed class GatewayPlaybackTests : TwoDaemonsTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private HttpClient? _http;

    private HttpClient Http => _http ??= new HttpClient { BaseAddress = new Uri($"http://{DaemonB.GatewayEndPoint}"), Timeout = Timeout };

    public override async Task DisposeAsync()
    {
        _http?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>Publishes <paramref name="seconds"/> of 160x120 test pattern and tone on A (4 s MPEG-TS segments), connects B to A, returns the address.</summary>
    internal static async Task<string> PublishOnAAsync(CliHarness a, CliHarness b, InProcessDaemon daemonA, int seconds, string title)
    {
        var video = Path.Combine(a.Home, "clip.mp4");
        await new FfmpegRunner().FfmpegAsync(["-v", "error", "-f", "lavfi", "-i", $"testsrc=size=160x120:rate=25:duration={seconds}", "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", video]);
        (await a.RunAsync("key", "gen", "clip")).AssertSuccess();
        var publish = await a.RunAsync("publish", video, "--title", title, "--key", "clip").WaitAsync(Timeout);
        Assert.True(publish.ExitCode == 0, publish.Error);
        // The daemon's real gateway (port 0 here), not the config's.
        Assert.Contains($"play: http://{daemonA.GatewayEndPoint}/play/{publish.Lines.Single()}\n", publish.Error, StringComparison.Ordinal);
        (await b.RunAsync("swarm", "connect", daemonA.SwarmAddress.ToString())).AssertSuccess();
        return publish.Lines.Single();
    }

    [Fact]
    public async Task A_stream_published_on_A_plays_through_Bs_gateway_and_ffmpeg_copies_every_segment()
    {
        var address = await PublishOnAAsync(A, B, DaemonA, 12, "Gateway clip");

        using var playlist = await Http.GetAsync($"/play/{address}");
        Assert.Equal(HttpStatusCode.OK, playlist.StatusCode);
        Assert.Equal("application/vnd.apple.mpegurl", playlist.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TimeSpan.FromMinutes(5), playlist.Headers.CacheControl!.MaxAge);
        var text = await playlist.Content.ReadAsStringAsync();
        Assert.Contains("#EXT-X-PLAYLIST-TYPE:VOD\n", text, StringComparison.Ordinal);
        Assert.EndsWith("#EXT-X-ENDLIST\n", text, StringComparison.Ordinal);
        var segments = text.Split('\n').Where(l => l.StartsWith("/segment/", StringComparison.Ordinal)).ToArray();
        Assert.True(segments.Length >= 3, text);
        Assert.Equal(text, await Http.GetStringAsync($"/play/{address}.m3u8"));

        // ffmpeg as the HLS client: every segment copied, no error, the whole 12 s.
        var copy = Path.Combine(B.Home, "copy.ts");
        var run = await FfmpegRunner.RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-i", $"http://{DaemonB.GatewayEndPoint}/play/{address}", "-c", "copy", "-f", "mpegts", copy]).WaitAsync(Timeout);
        Assert.True(run.ExitCode == 0 && run.StandardErrorTail.Length == 0, run.StandardErrorTail);
        var probe = await MediaProbe.RunAsync(new FfmpegRunner(), copy);
        Assert.InRange(probe.Duration!.Value.TotalSeconds, 11.5, 12.6);
        Assert.NotNull(probe.Video);
        Assert.NotNull(probe.Audio);

        // /metrics counts what ffmpeg fetched: every segment served, and the answers by route and status.
        var metrics = await Http.GetStringAsync("/metrics");
        var served = long.Parse(System.Text.RegularExpressions.Regex.Match(metrics, @"^overlay_gateway_segments_served_total (\d+)$", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(served >= segments.Length, $"{served} segments served, {segments.Length} in the playlist");
        // ffmpeg asks for "Range: bytes=0-", so its segment answers are 206s.
        Assert.Matches("(?m)^overlay_gateway_responses_total\\{route=\"segment\",code=\"20[06]\"\\} [1-9]", metrics);
        Assert.Matches("(?m)^overlay_gateway_responses_total\\{route=\"play\",code=\"200\"\\} [1-9]", metrics);

        // The segment itself: typed, immutable, tagged; ranges and HEAD agree with the whole.
        var first = segments[0];
        var whole = await Http.GetByteArrayAsync(first);
        using var range = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, first) { Headers = { Range = new RangeHeaderValue(100, 1123) } });
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(whole.AsSpan(100, 1024).ToArray(), await range.Content.ReadAsByteArrayAsync());
        Assert.Equal("video/mp2t", range.Content.Headers.ContentType!.MediaType);
        Assert.True(range.Headers.CacheControl!.Public && range.Headers.CacheControl.MaxAge == TimeSpan.FromSeconds(29030400), range.Headers.CacheControl.ToString());
        Assert.Contains("immutable", range.Headers.CacheControl.ToString(), StringComparison.Ordinal);
        using var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, first));
        Assert.Equal(whole.Length, head.Content.Headers.ContentLength);
        using var past = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, first) { Headers = { Range = new RangeHeaderValue(whole.Length, null) } });
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, past.StatusCode);
        using var notModified = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, first) { Headers = { IfNoneMatch = { range.Headers.ETag! } } });
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        // The catalog lists it with its title and A as a peer on its topic; the stream's page knows where blocks came from.
        using var catalog = JsonDocument.Parse(await Http.GetStringAsync("/catalog"));
        var entry = catalog.RootElement.GetProperty("streams").EnumerateArray().Single();
        Assert.Equal(address, entry.GetProperty("address").GetString());
        Assert.Equal("Gateway clip", entry.GetProperty("title").GetString());
        Assert.False(entry.GetProperty("live").GetBoolean());
        Assert.Contains(DaemonA.PeerId, entry.GetProperty("peers").EnumerateArray().Select(p => p.GetString()));
        using var sources = JsonDocument.Parse(await Http.GetStringAsync($"/catalog/{address}"));
        Assert.True(sources.RootElement.GetProperty("localBlocks").GetInt64() + sources.RootElement.GetProperty("fetchedBlocks").GetInt64() > 0);
        Assert.All(sources.RootElement.GetProperty("sources").EnumerateArray(), p => Assert.Equal(DaemonA.PeerId, p.GetString()));

        // overlay play prints this gateway's URL for it.
        Assert.Equal($"http://{DaemonB.GatewayEndPoint}/play/{address}", (await B.RunAsync("play", address)).AssertSuccess().Lines.Single());
    }

    [Fact]
    public async Task A_stream_nobody_has_answers_504_within_the_bound_and_bad_names_are_refused()
    {
        (await B.RunAsync("swarm", "connect", DaemonA.SwarmAddress.ToString())).AssertSuccess();
        // Sixteen made-up streams at once: each is followed and waits (bounded) for a head.
        var nobodies = Enumerable.Range(0, 16).Select(_ => Ed25519PrivateKey.Generate().PeerId.ToBase36Name()).ToArray();
        var clock = Stopwatch.StartNew();
        var waits = nobodies.Select(n => Http.GetAsync($"/play/{n}")).ToArray();
        while ((await B.RunAsync("streams")).AssertSuccess().Lines.Count(l => l.Length > 0) < nobodies.Length)
        {
            await Task.Delay(100);
        }
        // A seventeenth is not followed: too many are waiting already.
        var extra = Ed25519PrivateKey.Generate().PeerId.ToBase36Name();
        using var refused = await Http.GetAsync($"/play/{extra}");
        Assert.Equal(HttpStatusCode.GatewayTimeout, refused.StatusCode);
        Assert.Contains("not following another", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var wait in waits)
        {
            using var playlist = await wait;
            Assert.Equal(HttpStatusCode.GatewayTimeout, playlist.StatusCode);
        }
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(40));
        Assert.DoesNotContain(extra, (await B.RunAsync("streams")).AssertSuccess().Text, StringComparison.Ordinal);
        var nobody = nobodies[0];
        using var segment = await Http.GetAsync($"/segment/{nobody}/0.ts");
        Assert.Equal(HttpStatusCode.GatewayTimeout, segment.StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync("/play/not-a-stream")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync($"/play/{DaemonA.PeerId}x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/segment/{nobody}/00.ts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/catalog/{nobody}x")).StatusCode);
    }
}
