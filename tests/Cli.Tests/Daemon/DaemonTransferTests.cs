using System.Security.Cryptography;
using System.Text.Json;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// add, cat, get and block commands through two running daemons: what one adds, the other
/// reads over bitswap after a swarm connect, byte for byte and under the same CID.
/// </summary>
public sealed class DaemonTransferTests : TwoDaemonsTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);


    [Fact]
    public async Task A_file_added_on_one_daemon_is_cat_and_get_on_the_other_byte_exact()
    {
        var content = CliHarness.RandomBytes((5 << 20) + 12_345, seed: 41);
        var file = A.WriteFile("movie.bin", content);
        var offline = (await A.RunRawAsync(["add", "-n", "-Q", file])).AssertSuccess().Text.Trim();

        var added = (await A.RunAsync("add", file)).AssertSuccess();
        var cid = added.Text.Split(' ')[1];
        Assert.Equal($"added {cid} movie.bin\n", added.Text);
        Assert.Equal(offline, cid);
        // Through the daemon: its store has the blocks, so an offline read of the repo finds them too.
        Assert.True(File.Exists(Path.Combine(A.RepoPath, "blocks", "SHARDING")));

        (await B.RunAsync("swarm", "connect", DaemonA.SwarmAddress.ToString())).AssertSuccess();
        var cat = (await B.RunAsync("cat", cid).WaitAsync(Timeout)).AssertSuccess();
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(cat.Output));

        var range = (await B.RunAsync("cat", "--offset", "1000000", "--length", "70000", cid)).AssertSuccess();
        Assert.Equal(content.AsSpan(1_000_000, 70_000).ToArray(), range.Output);

        var target = Path.Combine(B.Home, "out.bin");
        var get = (await B.RunAsync("get", cid, "-o", target).WaitAsync(Timeout)).AssertSuccess();
        Assert.Equal($"Saving file(s) to {target}\n", get.Text);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(File.ReadAllBytes(target)));

        // B now holds every block: its own add of the same bytes (only-hash, through its daemon) names the same root.
        var again = (await B.RunWithInputAsync(content, "add", "-Q", "-n")).AssertSuccess();
        Assert.Equal(cid + "\n", again.Text);
    }

    [Fact]
    public async Task A_directory_added_through_the_daemon_gets_the_offline_cids_and_comes_back_whole()
    {
        var root = Path.Combine(A.Home, "tree");
        Directory.CreateDirectory(Path.Combine(root, "sub", "deeper"));
        File.WriteAllBytes(Path.Combine(root, "a.txt"), CliHarness.Utf8("alpha\n"));
        File.WriteAllBytes(Path.Combine(root, "sub", "b name+%.bin"), CliHarness.RandomBytes(1_500_000, seed: 7));
        File.WriteAllBytes(Path.Combine(root, "sub", "deeper", "c"), []);
        File.WriteAllBytes(Path.Combine(root, ".hidden"), CliHarness.Utf8("secret"));
        File.CreateSymbolicLink(Path.Combine(root, "link"), "a.txt");

        var offline = (await A.RunRawAsync(["add", "-n", "-r", "-w", root])).AssertSuccess();
        var daemon = (await A.RunAsync("add", "-r", "-w", root)).AssertSuccess();
        // The same entries and CIDs; the daemon reports directories after the files (kubo's order), offline as the walk leaves them.
        Assert.Equal(offline.Lines.Order(StringComparer.Ordinal), daemon.Lines.Order(StringComparer.Ordinal));
        Assert.Equal(offline.Lines[^1], daemon.Lines[^1]);
        Assert.DoesNotContain(".hidden", daemon.Text, StringComparison.Ordinal);
        var json = (await A.RunAsync("add", "-r", "--json", "-H", root)).AssertSuccess();
        var last = JsonDocument.Parse(json.Lines[^1]).RootElement;
        Assert.Equal("tree", last.GetProperty("Name").GetString());
        Assert.Contains(json.Lines, l => l.Contains("\"Name\":\"tree/.hidden\"", StringComparison.Ordinal));
        var treeCid = daemon.Lines[^2].Split(' ')[1];

        (await B.RunAsync("swarm", "connect", DaemonA.SwarmAddress.ToString())).AssertSuccess();
        var target = Path.Combine(B.Home, "copy");
        (await B.RunAsync("get", treeCid, "-o", target).WaitAsync(Timeout)).AssertSuccess();
        Assert.Equal("alpha\n", File.ReadAllText(Path.Combine(target, "a.txt")));
        Assert.Equal(CliHarness.RandomBytes(1_500_000, seed: 7), File.ReadAllBytes(Path.Combine(target, "sub", "b name+%.bin")));
        Assert.Empty(File.ReadAllBytes(Path.Combine(target, "sub", "deeper", "c")));
        Assert.Equal("a.txt", new FileInfo(Path.Combine(target, "link")).LinkTarget);
        Assert.False(File.Exists(Path.Combine(target, ".hidden")));
    }

    [Fact]
    public async Task Block_put_get_stat_go_through_the_daemon_and_reach_the_other_peer()
    {
        var data = CliHarness.RandomBytes(300_000, seed: 3);
        var put = (await A.RunWithInputAsync(data, "block", "put")).AssertSuccess();
        var cid = put.Text.Trim();
        var stat = (await A.RunAsync("block", "stat", cid)).AssertSuccess();
        Assert.Equal($"Key: {cid}\nSize: 300000\n", stat.Text);

        (await B.RunAsync("swarm", "connect", DaemonA.SwarmAddress.ToString())).AssertSuccess();
        var get = (await B.RunAsync("block", "get", cid).WaitAsync(Timeout)).AssertSuccess();
        Assert.Equal(data, get.Output);
        using var json = JsonDocument.Parse((await B.RunAsync("block", "stat", "--json", cid)).AssertSuccess().Output);
        Assert.Equal(300_000, json.RootElement.GetProperty("Size").GetInt32());

        var big = CliHarness.RandomBytes((1 << 20) + 1, seed: 4);
        (await A.RunWithInputAsync(big, "block", "put")).AssertOneLineError("produced block is over 1MiB");
        (await A.RunWithInputAsync(big, "block", "put", "--allow-big-block")).AssertSuccess();
    }

    [Fact]
    public async Task Add_progress_through_the_daemon_draws_on_stderr_and_clears_before_each_line()
    {
        var file = A.WriteFile("clip.bin", CliHarness.RandomBytes(3_000_000, seed: 5));
        var run = await A.RunAsync("add", "--progress", file);
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^added \S+ clip\.bin\n$", run.Text);
        Assert.Contains("\rclip.bin  ", run.Error, StringComparison.Ordinal);
        Assert.Contains("2.9 MiB / 2.9 MiB  100%", run.Error, StringComparison.Ordinal);
        // Cleared at the end: the last thing on stderr is a carriage return after blanks.
        Assert.EndsWith("\r", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_through_the_daemon_pins_its_root_unless_asked_not_to_and_gc_keeps_only_that()
    {
        var kept = (await A.RunWithInputAsync(CliHarness.RandomBytes(2_500_000, seed: 11), "add", "-Q")).AssertSuccess().Text.Trim();
        var loose = (await A.RunWithInputAsync(CliHarness.RandomBytes(2_500_000, seed: 12), "add", "-Q", "--pin=false")).AssertSuccess().Text.Trim();

        Assert.Equal([kept], (await A.RunAsync("pin", "ls", "--type", "recursive", "-q")).AssertSuccess().Lines);
        (await A.RunAsync("repo", "gc", "-q")).AssertSuccess();
        Assert.Equal(2_500_000, (await A.RunAsync("cat", kept)).AssertSuccess().Output.Length);
        Assert.False(File.Exists(Path.Combine(A.RepoPath, "blocks", Overlay.Blocks.FileBlockStore.RelativePathOf(Overlay.Manifest.Multiformats.Cid.Parse(loose).Hash))));
    }

    [Fact]
    public async Task Gc_running_all_through_concurrent_adds_never_takes_a_block_of_an_acknowledged_add()
    {
        using var stop = new CancellationTokenSource();
        var collections = 0;
        var gc = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                (await A.RunAsync("repo", "gc", "-q")).AssertSuccess();
                collections++;
            }
        });
        var contents = Enumerable.Range(0, 6).Select(i => CliHarness.RandomBytes(2_200_000 + i * 77_777, seed: 100 + i)).ToArray();
        // Each file twice over: the second add reuses blocks that GC could otherwise take between the adds.
        var adds = contents.Concat(contents).Select(content => Task.Run(async () => (await A.RunWithInputAsync(content, "add", "-Q")).AssertSuccess().Text.Trim())).ToArray();
        var roots = await Task.WhenAll(adds);
        await stop.CancelAsync();
        await gc;
        (await A.RunAsync("repo", "gc", "-q")).AssertSuccess();

        Assert.True(collections > 0);
        for (var i = 0; i < contents.Length; i++)
        {
            Assert.Equal(roots[i], roots[i + contents.Length]);
            Assert.Equal(SHA256.HashData(contents[i]), SHA256.HashData((await A.RunAsync("cat", roots[i])).AssertSuccess().Output));
        }
        Assert.Equal(roots.Distinct().Order(StringComparer.Ordinal), (await A.RunAsync("pin", "ls", "--type", "recursive", "-q")).AssertSuccess().Lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Errors_through_the_daemon_are_one_line()
    {
        (await A.RunAsync("cat", "not-a-cid")).AssertOneLineError("invalid");
        (await A.RunAsync("add", Path.Combine(A.Home, "missing.bin"))).AssertOneLineError("missing.bin");
        var dir = Path.Combine(A.Home, "d");
        Directory.CreateDirectory(dir);
        (await A.RunAsync("add", dir)).AssertOneLineError("use the '-r' flag");
        var added = (await A.RunWithInputAsync(CliHarness.Utf8("x"), "add", "-Q")).AssertSuccess().Text.Trim();
        (await A.RunAsync("get", added + "/nothing-below")).AssertOneLineError("");
        // Not here and no peer connected to ask: "not found" at once, not after the fetch timeout.
        var absent = (await A.RunRawAsync(["add", "-n", "-Q", A.WriteFile("absent.bin", CliHarness.RandomBytes(100, seed: 99))])).AssertSuccess().Text.Trim();
        var started = DateTime.UtcNow;
        (await A.RunAsync("cat", absent)).AssertOneLineError("is not in the store");
        (await A.RunAsync("block", "get", absent)).AssertOneLineError("is not in the store");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "absent blocks were waited for");
    }
}
