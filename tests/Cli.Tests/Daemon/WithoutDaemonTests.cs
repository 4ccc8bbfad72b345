using Overlay.Repo;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>Daemon-only commands without a daemon, and with an api file left by one that died.</summary>
public sealed class WithoutDaemonTests : IDisposable
{
    private const string NoDaemon = "no daemon running: start `overlay daemon`";

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    public static TheoryData<string> Situations() => new() { "no api file", "stale api file" };

    [Theory]
    [MemberData(nameof(Situations))]
    public async Task Daemon_commands_say_no_daemon_and_id_falls_back_to_offline(string situation)
    {
        await _cli.InitAsync();
        if (situation == "stale api file")
        {
            // What a killed daemon leaves: an address where nobody listens any more.
            File.WriteAllText(ApiFile.PathIn(_cli.RepoPath), $"/ip4/127.0.0.1/tcp/{DaemonTests.FreePorts(1)[0]}");
        }
        var peer = (await _cli.RunAsync("id", "-f", "<id>")).AssertSuccess().Text;

        (await _cli.RunAsync("swarm", "peers")).AssertOneLineError(NoDaemon);
        (await _cli.RunAsync("swarm", "connect", $"/ip4/127.0.0.1/tcp/1/p2p/{peer}")).AssertOneLineError(NoDaemon);
        (await _cli.RunAsync("ping", peer)).AssertOneLineError(NoDaemon);
        (await _cli.RunAsync("shutdown")).AssertOneLineError(NoDaemon);
        (await _cli.RunAsync("id", peer)).AssertOneLineError(NoDaemon);

        var id = (await _cli.RunAsync("id")).AssertSuccess();
        Assert.Equal($"ID: {peer}", id.Lines[0]);
        Assert.Equal("Addresses: (none: the daemon is not running)", id.Lines[3]);
    }

    [Fact]
    public async Task An_api_file_that_is_not_a_multiaddr_is_a_one_line_error()
    {
        await _cli.InitAsync();
        File.WriteAllText(ApiFile.PathIn(_cli.RepoPath), "http://127.0.0.1:7779");

        (await _cli.RunAsync("swarm", "peers")).AssertOneLineError("does not hold a multiaddr");
    }
}
