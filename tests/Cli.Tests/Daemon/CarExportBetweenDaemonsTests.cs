using System.Security.Cryptography;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// <c>car export</c> and <c>dag get</c> on daemon B of a DAG that only daemon A holds: after a
/// swarm connect B fetches the blocks over bitswap, and the CAR it writes round-trips.
/// </summary>
public sealed class CarExportBetweenDaemonsTests : TwoDaemonsTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly CliHarness _c = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await _c.InitAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _c.Dispose();
    }

    [Fact]
    public async Task Export_on_B_of_a_DAG_added_on_A_fetches_over_bitswap_and_the_CAR_round_trips()
    {
        var content = CliHarness.RandomBytes((3 << 20) + 4_321, seed: 61);
        var root = (await A.RunAsync("add", "-Q", A.WriteFile("clip.bin", content))).AssertSuccess().Text.Trim();
        var onA = (await A.RunAsync("car", "export", root)).AssertSuccess().Output;
        (await B.RunAsync("car", "export", root)).AssertOneLineError(root);

        (await B.RunAsync("swarm", "connect", DaemonA.SwarmAddress.ToString())).AssertSuccess();
        var onB = (await B.RunAsync("car", "export", root).WaitAsync(Timeout)).AssertSuccess().Output;

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
        var leaf = (await A.RunWithInputAsync(CliHarness.Utf8("{\"title\":\"only on A\"}"), "dag", "put")).AssertSuccess().Lines.Single();
        var parent = (await B.RunWithInputAsync(CliHarness.Utf8($"{{\"child\":{{\"/\":\"{leaf}\"}}}}"), "dag", "put")).AssertSuccess().Lines.Single();

        (await B.RunAsync("swarm", "connect", DaemonA.SwarmAddress.ToString())).AssertSuccess();
        var title = (await B.RunAsync("dag", "get", $"{parent}/child/title").WaitAsync(Timeout)).AssertSuccess();

        Assert.Equal("\"only on A\"", title.Text);
    }
}
