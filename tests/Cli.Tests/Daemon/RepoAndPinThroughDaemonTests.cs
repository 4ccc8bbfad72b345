using System.Text.Json;
using Overlay.Blocks;
using Overlay.Repo;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>With a daemon running, <c>repo</c> and <c>pin</c> go through its admin API, whose answers have kubo's shapes.</summary>
public sealed class RepoAndPinThroughDaemonTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });
    private InProcessDaemon _daemon = null!;
    private string _kept = "";
    private string _loose = "";

    public async Task InitializeAsync()
    {
        await _cli.InitAsync();
        // Added before the daemon starts (the offline add path), so the daemon's store finds them by its opening scan.
        _kept = (await _cli.RunAsync("add", "-Q", "--pin=false", _cli.WriteFile("kept.bin", CliHarness.RandomBytes(2_500_000, 1)))).AssertSuccess().Text.Trim();
        _loose = (await _cli.RunAsync("add", "-Q", "--pin=false", _cli.WriteFile("loose.bin", CliHarness.RandomBytes(1_500_000, 2)))).AssertSuccess().Text.Trim();
        _daemon = await InProcessDaemon.StartAsync(_cli);
    }

    public async Task DisposeAsync()
    {
        Assert.Equal(0, await _daemon.StopAsync());
        await _daemon.DisposeAsync();
        _http.Dispose();
        _cli.Dispose();
    }

    private async Task<JsonElement> PostAsync(string command)
    {
        using var response = await _http.PostAsync(new Uri($"http://{_daemon.ApiEndPoint}/api/v0/{command}"), null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Pin_gc_and_stat_go_through_the_daemon_with_kubo_answer_shapes()
    {
        Assert.Equal(_kept, (await PostAsync($"pin/add?arg={_kept}")).GetProperty("Pins")[0].GetString());
        var keys = (await PostAsync("pin/ls?type=all")).GetProperty("Keys");
        Assert.Equal("recursive", keys.GetProperty(_kept).GetProperty("Type").GetString());
        Assert.Equal(4, keys.EnumerateObject().Count());
        var stat = await PostAsync("repo/stat");
        Assert.Equal(7, stat.GetProperty("NumObjects").GetInt64());
        Assert.Equal("overlay-repo@1", stat.GetProperty("Version").GetString());

        var gc = (await _cli.RunAsync("repo", "gc")).AssertSuccess();

        Assert.Equal(3, gc.Lines.Length);
        Assert.All(gc.Lines, l => Assert.StartsWith("removed ", l, StringComparison.Ordinal));
        Assert.Contains("NumObjects: 4\n", (await _cli.RunAsync("repo", "stat")).AssertSuccess().Text, StringComparison.Ordinal);
        Assert.Equal($"{_kept} recursive\n", (await _cli.RunAsync("pin", "ls", "--type=recursive")).AssertSuccess().Text);
        (await _cli.RunAsync("pin", "add", _loose)).AssertOneLineError("not found");
        Assert.Equal($"unpinned {_kept}\n", (await _cli.RunAsync("pin", "rm", _kept)).AssertSuccess().Text);
        (await _cli.RunAsync("pin", "rm", _kept)).AssertOneLineError("not pinned");
        Assert.Empty((await PostAsync("pin/ls")).GetProperty("Keys").EnumerateObject());
    }

    [Fact]
    public async Task Verify_through_the_daemon_quarantines_and_exits_1()
    {
        var repo = OverlayRepo.Open(_cli.RepoPath);
        await repo.Pins.AddAsync(Overlay.Manifest.Multiformats.Cid.Parse(_kept), recursive: true, repo.Blocks);
        var leaf = (await repo.Pins.ListAsync(PinType.Indirect))[0].Cid;
        File.WriteAllBytes(Path.Combine(repo.Blocks.Root, FileBlockStore.RelativePathOf(leaf.Hash)), [9, 9, 9]);

        var run = await _cli.RunAsync("repo", "verify", "--json");

        Assert.Equal(1, run.ExitCode);
        var report = JsonDocument.Parse(run.Text).RootElement;
        Assert.Equal(7, report.GetProperty("Checked").GetInt32());
        Assert.Single(report.GetProperty("Quarantined").EnumerateArray());
        Assert.Single(Directory.GetFiles(Path.Combine(_cli.RepoPath, OverlayRepo.QuarantineFolderName)));
    }
}
