using System.Security.Cryptography;
using System.Text.Json;
using Overlay.Bridge.Ffmpeg;
using Overlay.Cli.Tests.Daemon;

namespace Overlay.Cli.Tests.Streams;

/// <summary>
/// <c>overlay publish</c> on daemon A of a small ffmpeg-made video, <c>overlay follow</c> on B
/// and on C (connected to B only), and <c>overlay streams</c> listing it complete.
/// </summary>
public sealed class StreamCommandsTests : TwoDaemonsTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly CliHarness _c = new();
    private InProcessDaemon? _daemonC;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await _c.InitAsync();
        _daemonC = await InProcessDaemon.StartAsync(_c);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_daemonC is not null)
        {
            await _daemonC.DisposeAsync();
        }
        _c.Dispose();
    }

    [Fact]
    public async Task Publish_on_A_follow_on_B_and_on_C_two_hops_away_and_every_block_arrives_unchanged()
    {
        // 12 s of test pattern and tone at 160x120, H.264/AAC: copied into 4 s MPEG-TS segments.
        var video = Path.Combine(A.Home, "clip.mp4");
        await new FfmpegRunner().FfmpegAsync(["-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=12", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=12",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", video]);
        (await A.RunAsync("key", "gen", "clip")).AssertSuccess();

        var publish = await A.RunAsync("publish", video, "--title", "Test clip", "--key", "clip").WaitAsync(Timeout);
        Assert.True(publish.ExitCode == 0, publish.Error);
        var address = publish.Lines.Single();
        Assert.Equal((await A.RunAsync("key", "list", "-l")).AssertSuccess().Lines.Single(l => l.EndsWith(" clip", StringComparison.Ordinal)).Split(' ')[0], address);
        Assert.Contains("published ", publish.Error, StringComparison.Ordinal);
        var published = Single(await A.RunAsync("streams", "--json"));
        Assert.True(published.GetProperty("Own").GetBoolean());
        var head = published.GetProperty("Head").GetString()!;
        var segments = published.GetProperty("Total").GetInt64();
        Assert.True(segments >= 3, $"{segments} segments");

        (await B.RunAsync("swarm", "connect", DaemonA.SwarmAddress.ToString())).AssertSuccess();
        (await _c.RunAsync("swarm", "connect", DaemonB.SwarmAddress.ToString())).AssertSuccess();
        foreach (var follower in new[] { B, _c })
        {
            var follow = await follower.RunAsync("follow", address).WaitAsync(Timeout);
            Assert.True(follow.ExitCode == 0, follow.Error);
            Assert.Matches($"^{address} complete: {segments} segments, .+ \"Test clip\"$", follow.Lines.Single());
            var listed = (await follower.RunAsync("streams")).AssertSuccess().Lines.Single().Split('\t');
            Assert.Equal([address, "Test clip", "sealed", "followed", $"{segments}/{segments}"], listed[..5]);
            Assert.Equal(published.GetProperty("Bytes").GetInt64(), long.Parse(listed[5], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Matches("^[0-9]+ peers$", listed[6]);
        }

        // C's repo alone (its daemon stopped) holds the whole stream, block for block as A has it,
        // kept by the stream retention rather than a pin: an offline GC leaves all of it (specs/sync.md §7).
        var onA = (await A.RunAsync("car", "export", head)).AssertSuccess().Output;
        Assert.Equal(0, await _daemonC!.StopAsync());
        Assert.DoesNotContain(head, (await _c.RunAsync("pin", "ls", "--type=recursive")).AssertSuccess().Text, StringComparison.Ordinal);
        (await _c.RunAsync("repo", "gc")).AssertSuccess();
        var onC = (await _c.RunAsync("car", "export", head)).AssertSuccess().Output;
        Assert.Equal(SHA256.HashData(onA), SHA256.HashData(onC));
    }

    [Fact]
    public async Task Publish_refuses_a_missing_input_and_an_unknown_key_in_one_line()
    {
        (await A.RunAsync("publish", Path.Combine(A.Home, "nothing.mp4"))).AssertOneLineError("no file or folder");
        var folder = Directory.CreateDirectory(Path.Combine(A.Home, "hls")).FullName;
        (await A.RunAsync("publish", folder, "--key", "nokey")).AssertOneLineError("no key named \"nokey\"");
        (await A.RunAsync("publish", folder, "--priority", "urgent")).AssertOneLineError("not one of live, near_live, vod");
        (await A.RunAsync("publish", Path.Combine(A.Home, "nodir", "index.m3u8"), "--live")).AssertOneLineError("no file or folder");
    }

    [Fact]
    public async Task Publish_live_returns_at_the_first_head_the_daemon_keeps_publishing_and_seals_at_the_end_of_the_input()
    {
        // 12 s played at its native rate: the command returns after the first 2 s segment, not after 12 s.
        var video = Path.Combine(A.Home, "cam.mp4");
        await TestPatternAsync(video, seconds: 12, gop: 50);
        (await A.RunAsync("key", "gen", "cam")).AssertSuccess();
        (await B.RunAsync("swarm", "connect", DaemonA.SwarmAddress.ToString())).AssertSuccess();

        var publish = await A.RunAsync("publish", video, "--live", "--key", "cam", "--title", "Cam").WaitAsync(Timeout);
        Assert.True(publish.ExitCode == 0, publish.Error);
        var address = publish.Lines.Single();
        Assert.Contains($"/play/{address}", publish.Error, StringComparison.Ordinal);
        Assert.Contains("the daemon keeps publishing", publish.Error, StringComparison.Ordinal);
        var listed = (await A.RunAsync("streams")).AssertSuccess().Lines.Single().Split('\t');
        Assert.Equal([address, "Cam", "live", "publishing"], listed[..4]);

        // follow --once returns as soon as B holds what is published so far, the stream still live.
        var caughtUp = await B.RunAsync("follow", address, "--once").WaitAsync(Timeout);
        Assert.True(caughtUp.ExitCode == 0, caughtUp.Error);
        Assert.Matches($"^{address} caught up \\(live\\): \\d+ segments, .+ \"Cam\"$", caughtUp.Lines.Single());

        // Plain follow keeps reporting while it grows; once the input ends A seals it and B ends with the sealed head.
        var follow = await B.RunAsync("follow", address).WaitAsync(Timeout);
        Assert.True(follow.ExitCode == 0, follow.Error);
        Assert.Matches($"^{address} complete: \\d+ segments, .+ \"Cam\"$", follow.Lines.Single());
        var liveReports = follow.Error.Split('\n').Where(l => l.StartsWith("live: ", StringComparison.Ordinal)).Distinct().Count();
        Assert.True(liveReports >= 2, follow.Error);
        Assert.True(Single(await B.RunAsync("streams", "--json")).GetProperty("Sealed").GetBoolean());
        var deadline = DateTime.UtcNow + Timeout;
        JsonElement atA, atB;
        do
        {
            await Task.Delay(250);
            atA = Single(await A.RunAsync("streams", "--json"));
            atB = Single(await B.RunAsync("streams", "--json"));
        }
        while (!(atA.GetProperty("Sealed").GetBoolean() && atB.GetProperty("Head").GetString() == atA.GetProperty("Head").GetString() && atB.GetProperty("Complete").GetBoolean())
            && DateTime.UtcNow < deadline);
        Assert.True(atA.GetProperty("Sealed").GetBoolean(), atA.ToString());
        Assert.False(atA.GetProperty("Publishing").GetBoolean());
        Assert.Equal(atA.GetProperty("Head").GetString(), atB.GetProperty("Head").GetString());
        Assert.True(atB.GetProperty("Complete").GetBoolean(), atB.ToString());
        Assert.True(atB.GetProperty("Total").GetInt64() >= 3, atB.ToString());
    }

    [Fact]
    public async Task Publish_live_from_stdin_streams_the_input_to_the_daemon_and_waits_for_the_seal()
    {
        var ts = Path.Combine(A.Home, "in.ts");
        await TestPatternAsync(ts, seconds: 5, gop: 25);
        (await A.RunAsync("key", "gen", "pipe")).AssertSuccess();
        var publish = await A.RunWithInputAsync(await File.ReadAllBytesAsync(ts), "publish", "-", "--live", "--key", "pipe", "--json").WaitAsync(Timeout);
        Assert.True(publish.ExitCode == 0, publish.Error);
        using var first = JsonDocument.Parse(publish.Lines.Single());
        Assert.True(first.RootElement.GetProperty("Live").GetBoolean());
        Assert.Contains(", head ", publish.Error, StringComparison.Ordinal);
        Assert.Contains("(sealed)", publish.Error, StringComparison.Ordinal);
        var listed = Single(await A.RunAsync("streams", "--json"));
        Assert.True(listed.GetProperty("Sealed").GetBoolean());
        Assert.True(listed.GetProperty("Total").GetInt64() >= 2, listed.ToString());
    }

    /// <summary>A tiny H.264 test pattern (96x64, 25 fps, a keyframe every <paramref name="gop"/> frames), container by extension.</summary>
    private static Task TestPatternAsync(string path, int seconds, int gop) =>
        new FfmpegRunner().FfmpegAsync(["-v", "error", "-f", "lavfi", "-i", $"testsrc=size=96x64:rate=25:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", $"{gop}", "-pix_fmt", "yuv420p", path]);

    private static JsonElement Single(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.Error);
        using var document = JsonDocument.Parse(run.Output);
        return document.RootElement.GetProperty("Streams").EnumerateArray().Single().Clone();
    }
}
