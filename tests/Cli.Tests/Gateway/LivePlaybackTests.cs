using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Overlay.Bridge.Ffmpeg;
using Overlay.Cli.Tests.Daemon;
using Overlay.Gateway.Play;
using Xunit.Abstractions;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>
/// A live stream end to end through a gateway (specs/gateway-hls.md, stream-import.md §5): daemon
/// A publishes ffmpeg's output at its native rate (<c>publish --live</c>); daemon B knows only the
/// address and serves it on <c>/play</c> as a sliding live playlist, then, once A seals it, as the
/// whole VOD list; ffmpeg reading B's playlist during the run ends cleanly with a decodable file.
/// </summary>
public sealed partial class LivePlaybackTests(ITestOutputHelper output) : TwoDaemonsTest
{
    private const int Seconds = 24;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public override async Task DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }

    [Fact(Timeout = 180_000)]
    public async Task A_live_stream_plays_through_Bs_gateway_while_live_and_ends_as_the_whole_list()
    {
        // 24 s of 96x64 test pattern and tone, a keyframe every 2 s: copied into 2 s segments.
        var video = Path.Combine(A.Home, "cam.mp4");
        await new FfmpegRunner().FfmpegAsync(["-v", "error", "-f", "lavfi", "-i", $"testsrc=size=96x64:rate=25:duration={Seconds}", "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={Seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", video]);
        (await A.RunAsync("key", "gen", "cam")).AssertSuccess();
        (await B.RunAsync("swarm", "connect", DaemonA.SwarmAddress.ToString())).AssertSuccess();
        var publish = await A.RunAsync("publish", video, "--live", "--key", "cam", "--title", "Live cam").WaitAsync(Timeout);
        Assert.True(publish.ExitCode == 0, publish.Error);
        var address = publish.Lines.Single();
        // The play URL printed is A's real gateway (on port 0 here), not the config's address.
        Assert.Contains($"play: http://{DaemonA.GatewayEndPoint}/play/{address}\n", publish.Error, StringComparison.Ordinal);
        var playlistUrl = $"http://{DaemonB.GatewayEndPoint}/play/{address}";

        // B's first answer: the live window (B starts following on this request).
        var first = await GetPlaylistAsync(playlistUrl);
        Assert.False(first.Ended, first.Text);

        // ffmpeg as a live HLS client of B, started while the stream is live.
        var played = Path.Combine(B.Home, "played.ts");
        var player = FfmpegRunner.RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-i", playlistUrl, "-c", "copy", "-f", "mpegts", played]);

        // Reload about every second until the playlist ends; compare every segment seen live with A's.
        var sequences = new List<long>();
        var compared = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + Timeout;
        var current = first;
        while (!current.Ended)
        {
            Assert.True(DateTime.UtcNow < deadline, $"B's playlist did not end:\n{current.Text}");
            Assert.True(current.Segments.Count >= 1 && current.Segments.Count <= new PlayOptions().LiveWindow, current.Text);
            Assert.Equal(TimeSpan.FromSeconds(1), current.MaxAge);
            Assert.DoesNotContain("#EXT-X-PLAYLIST-TYPE", current.Text, StringComparison.Ordinal);
            sequences.Add(current.MediaSequence);
            foreach (var segment in current.Segments.Where(compared.Add))
            {
                var fromB = await _http.GetByteArrayAsync($"http://{DaemonB.GatewayEndPoint}{segment}");
                var fromA = await _http.GetByteArrayAsync($"http://{DaemonA.GatewayEndPoint}{segment}");
                Assert.Equal(fromA, fromB);
            }
            await Task.Delay(1000);
            current = await GetPlaylistAsync(playlistUrl);
        }

        // Live, the window moved on: its media sequence advanced between reloads, never backwards.
        Assert.True(sequences.Distinct().Count() >= 2, string.Join(",", sequences));
        Assert.Equal(sequences.Order(), sequences);
        Assert.True(compared.Count >= 6, $"{compared.Count} segments compared while live");

        // Sealed: every segment from 0, typed VOD, as A's head counts them.
        var sealedList = current;
        Assert.Equal(0, sealedList.MediaSequence);
        Assert.Contains("#EXT-X-PLAYLIST-TYPE:VOD\n", sealedList.Text, StringComparison.Ordinal);
        var total = long.Parse(Regex.Match((await A.RunAsync("streams", "--json")).AssertSuccess().Text, "\"Total\":\\s*(\\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(total, sealedList.Segments.Count);
        Assert.Equal(Enumerable.Range(0, (int)total).Select(i => $"/segment/{address}/{i}.ts"), sealedList.Segments);

        // The player saw ENDLIST and finished on its own, cleanly, with a decodable file.
        var run = await player.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.StandardErrorTail);
        await new FfmpegRunner().FfmpegAsync(["-v", "error", "-xerror", "-i", played, "-f", "null", "-"]);
        var probe = await MediaProbe.RunAsync(new FfmpegRunner(), played);
        Assert.NotNull(probe.Video);
        Assert.True(probe.Duration!.Value.TotalSeconds >= 6, $"{probe.Duration} played");
        output.WriteLine($"{sequences.Count} live reloads, media sequence {sequences[0]}..{sequences[^1]}, {compared.Count} of {total} segments compared live, ffmpeg played {probe.Duration.Value.TotalSeconds:F1} s");
    }

    private async Task<Playlist> GetPlaylistAsync(string url)
    {
        using var response = await _http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        var sequence = MediaSequence().Match(text);
        return new Playlist(
            text,
            text.EndsWith("#EXT-X-ENDLIST\n", StringComparison.Ordinal),
            sequence.Success ? long.Parse(sequence.Groups[1].Value, CultureInfo.InvariantCulture) : -1,
            [.. text.Split('\n').Where(l => l.StartsWith("/segment/", StringComparison.Ordinal))],
            response.Headers.CacheControl?.MaxAge);
    }

    [GeneratedRegex(@"^#EXT-X-MEDIA-SEQUENCE:(\d+)$", RegexOptions.Multiline)]
    private static partial Regex MediaSequence();

    private sealed record Playlist(string Text, bool Ended, long MediaSequence, IReadOnlyList<string> Segments, TimeSpan? MaxAge);
}
