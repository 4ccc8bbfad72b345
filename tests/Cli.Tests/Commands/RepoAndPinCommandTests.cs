using System.Text.Json;
using Overlay.Blocks;
using Overlay.Repo;

namespace Overlay.Cli.Tests.Commands;

/// <summary><c>overlay repo stat|gc|verify</c> and <c>overlay pin add|rm|ls</c> on a repo opened directly (no daemon).</summary>
public sealed class RepoAndPinCommandTests : IAsyncLifetime, IDisposable
{
    private readonly CliHarness _cli = new();

    public Task InitializeAsync() => _cli.InitAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _cli.Dispose();

    private async Task<string> AddAsync(int size, int seed, params string[] options)
    {
        var file = _cli.WriteFile($"f{seed}.bin", CliHarness.RandomBytes(size, seed));
        return (await _cli.RunAsync(["add", "-Q", .. options, file])).AssertSuccess().Text.Trim();
    }

    [Fact]
    public async Task Add_pins_by_default_and_gc_removes_only_what_no_pin_reaches()
    {
        var pinned = await AddAsync(2_500_000, 1);
        var unpinned = await AddAsync(1_500_000, 2, "--pin=false");

        var ls = (await _cli.RunAsync("pin", "ls", "--type=recursive")).AssertSuccess();
        Assert.Equal($"{pinned} recursive", Assert.Single(ls.Lines));
        var stat = JsonDocument.Parse((await _cli.RunAsync("repo", "stat", "--json")).AssertSuccess().Text).RootElement;
        Assert.Equal(3 + 1 + 2 + 1, stat.GetProperty("NumObjects").GetInt64()); // 1 MiB leaves and a root each
        Assert.Equal("overlay-repo@1", stat.GetProperty("Version").GetString());
        Assert.Equal(10L << 30, stat.GetProperty("StorageMax").GetInt64());
        Assert.Equal(Path.GetFullPath(_cli.RepoPath), stat.GetProperty("RepoPath").GetString());

        var gc = (await _cli.RunAsync("repo", "gc")).AssertSuccess();
        Assert.Equal(3, gc.Lines.Length);
        Assert.All(gc.Lines, l => Assert.StartsWith("removed b", l, StringComparison.Ordinal));
        var text = (await _cli.RunAsync("repo", "stat")).AssertSuccess().Text;
        Assert.Contains("NumObjects: 4\n", text, StringComparison.Ordinal);
        Assert.Equal(CliHarness.RandomBytes(2_500_000, 1), (await _cli.RunAsync("cat", pinned)).AssertSuccess().Output);
        (await _cli.RunAsync("cat", unpinned)).AssertOneLineError("");
        Assert.Empty((await _cli.RunAsync("repo", "gc", "-q")).AssertSuccess().Text);
    }

    [Fact]
    public async Task Pin_add_rm_and_ls_follow_kubo()
    {
        var root = await AddAsync(2_500_000, 3, "--pin=false");

        Assert.Equal($"pinned {root} directly\n", (await _cli.RunAsync("pin", "add", "--recursive=false", root)).AssertSuccess().Text);
        Assert.Equal($"{root} direct\n", (await _cli.RunAsync("pin", "ls")).AssertSuccess().Text);
        Assert.Equal($"pinned {root} recursively\n", (await _cli.RunAsync("pin", "add", root)).AssertSuccess().Text);
        var all = (await _cli.RunAsync("pin", "ls")).AssertSuccess().Lines;
        Assert.Equal($"{root} recursive", all[0]);
        Assert.Equal(3, all.Count(l => l.EndsWith(" indirect", StringComparison.Ordinal)));
        Assert.Equal(3, (await _cli.RunAsync("pin", "ls", "--type", "indirect", "-q")).AssertSuccess().Lines.Length);
        var json = JsonDocument.Parse((await _cli.RunAsync("pin", "ls", "--json")).AssertSuccess().Text).RootElement;
        Assert.Equal("recursive", json.GetProperty("Keys").GetProperty(root).GetProperty("Type").GetString());

        (await _cli.RunAsync("pin", "add", "--recursive=false", root)).AssertOneLineError("already pinned recursively");
        (await _cli.RunAsync("pin", "rm", "--recursive=false", root)).AssertOneLineError("pinned recursively");
        Assert.Equal($"unpinned {root}\n", (await _cli.RunAsync("pin", "rm", root)).AssertSuccess().Text);
        (await _cli.RunAsync("pin", "rm", root)).AssertOneLineError("not pinned");
        (await _cli.RunAsync("pin", "add", "bafkreib6iewhqhq3dxnhwtdbxuf4ngzrmkte3rotxhuwjfjgibt4v5dyda")).AssertOneLineError("not found");
        (await _cli.RunAsync("pin", "add", "not-a-cid")).AssertOneLineError("not a CID");
        Assert.Empty((await _cli.RunAsync("pin", "ls")).AssertSuccess().Text);
    }

    [Fact]
    public async Task Verify_quarantines_corrupt_blocks_and_exits_1()
    {
        var root = await AddAsync(2_500_000, 4);
        Assert.Contains("verified 4 blocks: 0 corrupt", (await _cli.RunAsync("repo", "verify")).AssertSuccess().Text, StringComparison.Ordinal);
        var repo = OverlayRepo.Open(_cli.RepoPath);
        var leaf = (await repo.Pins.ListAsync(PinType.Indirect))[0].Cid;
        var path = Path.Combine(repo.Blocks.Root, FileBlockStore.RelativePathOf(leaf.Hash));
        File.WriteAllBytes(path, [1, 2, 3]);

        var run = await _cli.RunAsync("repo", "verify");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"corrupt {Overlay.Manifest.Multiformats.Cid.CreateV1(Overlay.Manifest.Multiformats.Multicodec.Raw, leaf.Hash)} (quarantined)", run.Text, StringComparison.Ordinal);
        Assert.Contains("1 corrupt", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.Single(Directory.GetFiles(Path.Combine(_cli.RepoPath, OverlayRepo.QuarantineFolderName)));
        // Offline there is nobody to refetch from: the read stops at the missing block.
        Assert.Equal(1, (await _cli.RunAsync("cat", root)).ExitCode);
    }

    [Fact]
    public async Task A_config_without_Datastore_opens_with_the_default_quota_and_a_small_quota_is_enforced()
    {
        var config = Path.Combine(_cli.RepoPath, OverlayRepo.ConfigFileName);
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(config))!.AsObject();
        Assert.True(node.Remove("Datastore"));
        File.WriteAllText(config, node.ToJsonString());
        var stat = JsonDocument.Parse((await _cli.RunAsync("repo", "stat", "--json")).AssertSuccess().Text).RootElement;
        Assert.Equal(10L << 30, stat.GetProperty("StorageMax").GetInt64());

        node["Datastore"] = new System.Text.Json.Nodes.JsonObject { ["StorageMax"] = 3_000_000 };
        File.WriteAllText(config, node.ToJsonString());
        await AddAsync(2_500_000, 5);
        (await _cli.RunAsync("add", "-Q", _cli.WriteFile("big.bin", CliHarness.RandomBytes(1_500_000, 6)))).AssertOneLineError("quota exceeded");
    }
}
