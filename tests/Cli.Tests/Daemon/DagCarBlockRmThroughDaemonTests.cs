using System.Text.Json;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// <c>block rm</c>, <c>dag put|get</c> and <c>car export|import</c> with a daemon running go
/// through its admin API, print exactly what they print offline, and keep the daemon's view of
/// its store (<c>repo stat</c>) right.
/// </summary>
public sealed class DagCarBlockRmThroughDaemonTests : IAsyncLifetime
{
    private readonly CliHarness _offline = new();
    private readonly CliHarness _online = new();
    private InProcessDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        await _offline.InitAsync();
        await _online.InitAsync();
        _daemon = await InProcessDaemon.StartAsync(_online);
    }

    public async Task DisposeAsync()
    {
        Assert.Equal(0, await _daemon.StopAsync());
        await _daemon.DisposeAsync();
        _online.Dispose();
        _offline.Dispose();
    }

    [Fact]
    public async Task Each_command_through_the_daemon_prints_what_it_prints_offline()
    {
        // The daemon's index is built now, so a write that bypassed the daemon would be missing from its counts below.
        (await _online.RunAsync("repo", "stat")).AssertSuccess();
        var offline = await ScriptAsync(_offline);
        var online = await ScriptAsync(_online);

        Assert.Equal(offline.Count, online.Count);
        for (var i = 0; i < offline.Count; i++)
        {
            Assert.True(offline[i] == online[i], $"step {i}: offline {offline[i]} / through the daemon {online[i]}");
        }
        // The daemon did the writes: its own count includes them without a restart.
        var stat = JsonDocument.Parse((await _online.RunAsync("repo", "stat", "--json")).AssertSuccess().Text).RootElement;
        var blocks = Directory.GetFiles(Path.Combine(_online.RepoPath, "blocks"), "*.data", SearchOption.AllDirectories);
        Assert.Equal(blocks.Length, stat.GetProperty("NumObjects").GetInt64());
        Assert.Equal(blocks.Sum(f => new FileInfo(f).Length), stat.GetProperty("RepoSize").GetInt64());
    }

    /// <summary>The same commands on either repo; each step's exit code, stdout and stderr.</summary>
    private static async Task<List<string>> ScriptAsync(CliHarness cli)
    {
        var steps = new List<string>();
        // A missing block is "not in the repo" offline and "not here nor at any peer" through the
        // daemon: for those steps only the failing CID must be named; every other message is the same.
        async Task<CliRun> Step(CliRun run, string? missing = null)
        {
            if (missing is not null)
            {
                run.AssertOneLineError(missing);
            }
            steps.Add($"[{run.ExitCode}] {Convert.ToHexString(run.Output)} | {(missing is null ? run.Error.Replace(cli.Home, "<home>", StringComparison.Ordinal) : missing)}");
            return run;
        }

        var leaf = (await Step(await cli.RunWithInputAsync(CliHarness.Utf8("{\"leaf\":[1,2,{\"deep\":\"yes\"}]}"), "dag", "put"))).Lines.Single();
        var parent = (await Step(await cli.RunWithInputAsync(CliHarness.Utf8($"{{\"l\":{{\"/\":\"{leaf}\"}},\"n\":7}}"), "dag", "put", "--json", "--pin"))).Text;
        var parentCid = JsonDocument.Parse(parent).RootElement.GetProperty("Cid").GetProperty("/").GetString()!;
        await Step(await cli.RunWithInputAsync(CliHarness.Utf8("{\"a\":1}"), "dag", "put", "--store-codec", "dag-json"));
        await Step(await cli.RunWithInputAsync(CliHarness.Utf8("{\"/\":{\"bytes\":\"AAEC\"}}"), "dag", "put", "--store-codec", "raw"));
        await Step(await cli.RunWithInputAsync(CliHarness.Utf8("{not json"), "dag", "put"));
        await Step(await cli.RunAsync("dag", "get", parentCid));
        await Step(await cli.RunAsync("dag", "get", $"{parentCid}/l/leaf/2/deep"));
        await Step(await cli.RunAsync("dag", "get", "--output-codec", "dag-cbor", $"/ipfs/{parentCid}/l"));

        var car = (await Step(await cli.RunAsync("car", "export", parentCid))).Output;
        var absentRoot = Cid.Compute(Multicodec.Raw, "absent"u8).ToString();
        await Step(await cli.RunAsync("car", "export", absentRoot), missing: absentRoot);
        await Step(await cli.RunAsync("dag", "get", absentRoot), missing: absentRoot);
        await Step(await cli.RunAsync("dag", "get", $"{parentCid}/nope"));
        await Step(await cli.RunAsync("dag", "get", "--output-codec", "raw", parentCid));
        var carFile = cli.WriteFile("dag.car", car);
        await Step(await cli.RunAsync("car", "import", carFile));
        await Step(await cli.RunWithInputAsync(car, "car", "import", "--json", "--pin-roots=false"));
        await Step(await cli.RunAsync("pin", "ls", "--type=recursive"));
        await Step(await cli.RunAsync("car", "import", Path.Combine(cli.Home, "absent.car")));
        await Step(await cli.RunAsync("dag", "put", Path.Combine(cli.Home, "absent.json")));

        var loose = (await Step(await cli.RunWithInputAsync(CliHarness.Utf8("bye"), "block", "put"))).Lines.Single();
        var absent = Cid.Compute(Multicodec.Raw, "not here"u8).ToString();
        await Step(await cli.RunAsync("block", "rm", loose));
        await Step(await cli.RunAsync("block", "rm", loose));
        await Step(await cli.RunAsync("block", "rm", "-f", loose));
        await Step(await cli.RunAsync("block", "rm", "--json", leaf, absent));
        await Step(await cli.RunAsync("block", "rm", "-q", parentCid));
        return steps;
    }

    [Fact]
    public async Task Export_of_an_incomplete_DAG_through_the_daemon_fails_after_the_part_it_had()
    {
        var root = (await _offline.RunAsync("add", "-Q", _offline.WriteFile("f.bin", CliHarness.RandomBytes(1_500_000, seed: 21)))).AssertSuccess().Text.Trim();
        var rootCid = Cid.Parse(root);
        var rootBlock = (await _offline.RunAsync("block", "get", root)).AssertSuccess().Output;
        using var partial = new MemoryStream();
        var writer = await Overlay.Manifest.Car.CarWriter.CreateAsync(partial, [rootCid]);
        await writer.WriteBlockAsync(rootCid, rootBlock);
        await writer.FlushAsync();
        (await _online.RunWithInputAsync(partial.ToArray(), "car", "import", "--pin-roots=false")).AssertSuccess();

        var run = await _online.RunAsync("car", "export", root);

        Assert.Equal(1, run.ExitCode);
        // The daemon resets the connection; when the reset overtakes its headers, the client never saw an answer at all.
        Assert.Matches(@"^Error: the daemon (cut the export short|at \S+ did not answer dag/export)", run.Error);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        // What went out before the first leaf was missed is the start of the CAR, nothing else.
        Assert.InRange(run.Output.Length, 0, partial.Length);
        Assert.Equal(partial.ToArray()[..run.Output.Length], run.Output);
    }

    [Fact]
    public async Task Block_rm_through_the_daemon_updates_its_repo_stat()
    {
        var before = await StatAsync();
        var cids = new List<string>();
        foreach (var size in new[] { 10_000, 20_000, 30_000 })
        {
            cids.Add((await _online.RunWithInputAsync(CliHarness.RandomBytes(size, seed: size), "block", "put")).AssertSuccess().Lines.Single());
        }
        Assert.Equal((before.Count + 3, before.Bytes + 60_000), await StatAsync());

        Assert.Equal($"removed {cids[1]}\n", (await _online.RunAsync("block", "rm", cids[1])).AssertSuccess().Text);

        Assert.Equal((before.Count + 2, before.Bytes + 40_000), await StatAsync());
        (await _online.RunAsync("block", "get", cids[1])).AssertOneLineError(cids[1]);
        Assert.Empty((await _online.RunAsync("block", "rm", "-q", cids[0], cids[2])).AssertSuccess().Text);
        Assert.Equal(before, await StatAsync());
    }

    private async Task<(long Count, long Bytes)> StatAsync()
    {
        var stat = JsonDocument.Parse((await _online.RunAsync("repo", "stat", "--json")).AssertSuccess().Text).RootElement;
        return (stat.GetProperty("NumObjects").GetInt64(), stat.GetProperty("RepoSize").GetInt64());
    }
}
