using System.Security.Cryptography;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// <c>car export</c> and <c>dag get</c> on daemon B of a DAG that only daemon A holds: after a
/// swarm connect B fetches the blocks over bitswap, and the CAR it writes round-trips.
/// </summary>
public sealed class CarExportBetweenDaemonsTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly CliHarness _a = new();
    private readonly CliHarness _b = new();
    private readonly CliHarness _c = new();
    private InProcessDaemon _daemonA = null!;
    private InProcessDaemon _daemonB = null!;

    public async Task InitializeAsync()
    {
        await _a.InitAsync();
        await _b.InitAsync();
        await _c.InitAsync();
        _daemonA = await InProcessDaemon.StartAsync(_a);
        _daemonB = await InProcessDaemon.StartAsync(_b);
    }

    public async Task DisposeAsync()
    {
        Assert.Equal(0, await _daemonA.StopAsync());
        Assert.Equal(0, await _daemonB.StopAsync());
        await _daemonA.DisposeAsync();
        await _daemonB.DisposeAsync();
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
    }

    [Fact]
    public async Task Export_on_B_of_a_DAG_added_on_A_fetches_over_bitswap_and_the_CAR_round_trips()
    {
        var content = CliHarness.RandomBytes((3 << 20) + 4_321, seed: 61);
        var root = (await _a.RunAsync("add", "-Q", _a.WriteFile("clip.bin", content))).AssertSuccess().Text.Trim();
        var onA = (await _a.RunAsync("car", "export", root)).AssertSuccess().Output;
        (await _b.RunAsync("car", "export", root)).AssertOneLineError(root);

        (await _b.RunAsync("swarm", "connect", _daemonA.SwarmAddress.ToString())).AssertSuccess();
        var onB = (await _b.RunAsync("car", "export", root).WaitAsync(Timeout)).AssertSuccess().Output;

        Assert.Equal(SHA256.HashData(onA), SHA256.HashData(onB));
        // B kept what it fetched: an offline read of B's repo finds the DAG once B's daemon is gone.
        var import = (await _c.RunWithInputAsync(onB, "car", "import")).AssertSuccess();
        Assert.Equal($"Root\t{root}", import.Lines[0]);
        Assert.Matches(@"^Imported 5 blocks \(\d+ bytes\)$", import.Lines[1]);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData((await _c.RunAsync("cat", root)).AssertSuccess().Output));
        Assert.Equal($"{root} recursive\n", (await _c.RunAsync("pin", "ls", "--type=recursive")).AssertSuccess().Text);
    }

    [Fact]
    public async Task Dag_get_on_B_follows_a_link_into_a_block_only_A_holds()
    {
        var leaf = (await _a.RunWithInputAsync(CliHarness.Utf8("{\"title\":\"only on A\"}"), "dag", "put")).AssertSuccess().Lines.Single();
        var parent = (await _b.RunWithInputAsync(CliHarness.Utf8($"{{\"child\":{{\"/\":\"{leaf}\"}}}}"), "dag", "put")).AssertSuccess().Lines.Single();

        (await _b.RunAsync("swarm", "connect", _daemonA.SwarmAddress.ToString())).AssertSuccess();
        var title = (await _b.RunAsync("dag", "get", $"{parent}/child/title").WaitAsync(Timeout)).AssertSuccess();

        Assert.Equal("\"only on A\"", title.Text);
    }
}
