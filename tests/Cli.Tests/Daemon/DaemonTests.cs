using System.Net;
using System.Net.Sockets;
using Overlay.Repo;

namespace Overlay.Cli.Tests.Daemon;

/// <summary><c>overlay daemon</c> itself: what it prints, the api file, the repo lock, start failures and a clean stop.</summary>
public sealed class DaemonTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Daemon_prints_its_addresses_writes_the_api_file_and_a_clean_stop_removes_it_and_frees_the_ports()
    {
        await _cli.InitAsync();
        var peerId = (await _cli.RunAsync("id", "-f", "<id>")).AssertSuccess().Text;

        int exitCode;
        IPEndPoint swarm, api, gateway;
        await using (var daemon = await InProcessDaemon.StartAsync(_cli))
        {
            Assert.Equal(peerId, daemon.PeerId);
            Assert.Equal(peerId, daemon.SwarmAddress.ToString().Split("/p2p/")[1]);
            Assert.StartsWith("/ip4/127.0.0.1/tcp/", daemon.SwarmAddress.ToString(), StringComparison.Ordinal);
            Assert.Equal(daemon.ApiAddress.ToString(), daemon.ApiFileText());
            Assert.StartsWith("/ip4/127.0.0.1/tcp/", daemon.ApiFileText(), StringComparison.Ordinal);
            Assert.NotEqual(0, daemon.ApiEndPoint.Port);
            Assert.Equal(IPAddress.Loopback, daemon.GatewayEndPoint.Address);
            Assert.EndsWith("Daemon is ready\n", daemon.Output, StringComparison.Ordinal);
            swarm = daemon.SwarmAddress.ToTcpEndPoint()!;
            api = daemon.ApiEndPoint;
            gateway = daemon.GatewayEndPoint;

            exitCode = await daemon.StopAsync();
            Assert.EndsWith("Shutting down...\n", daemon.Output, StringComparison.Ordinal);
            Assert.Equal("", daemon.Error);
        }

        Assert.Equal(0, exitCode);
        Assert.False(File.Exists(ApiFile.PathIn(_cli.RepoPath)));
        foreach (var endpoint in new[] { swarm, api, gateway })
        {
            using var listener = new TcpListener(endpoint);
            listener.Start();
        }
        // The lock went with it: the repo takes a new daemon.
        await using var again = await InProcessDaemon.StartAsync(_cli);
    }

    [Fact]
    public async Task A_second_daemon_on_the_same_repo_is_refused_and_the_first_keeps_running()
    {
        await _cli.InitAsync();
        await using var first = await InProcessDaemon.StartAsync(_cli);
        var apiFile = first.ApiFileText();

        (await _cli.RunAsync(["daemon", .. InProcessDaemon.EphemeralPorts]))
            .AssertOneLineError($"the repo at {_cli.RepoPath} is in use by another overlay daemon (it holds repo.lock)");

        Assert.Equal(apiFile, first.ApiFileText());
        Assert.False(first.Exit.IsCompleted);
        (await _cli.RunAsync("swarm", "peers")).AssertSuccess();
    }

    [Fact]
    public async Task Overlay_shutdown_stops_the_daemon_cleanly()
    {
        await _cli.InitAsync();
        await using var daemon = await InProcessDaemon.StartAsync(_cli);

        (await _cli.RunAsync("shutdown")).AssertSuccess();

        Assert.Equal(0, await daemon.Exit.WaitAsync(InProcessDaemon.Timeout));
        Assert.Contains("Shutdown requested through the API, shutting down...\n", daemon.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(ApiFile.PathIn(_cli.RepoPath)));
        (await _cli.RunAsync("shutdown")).AssertOneLineError("no daemon running: start `overlay daemon`");
    }

    [Fact]
    public async Task Start_failures_are_one_line_errors_and_leave_no_api_file()
    {
        await _cli.InitAsync();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        (await _cli.RunAsync("daemon", "--listen", $"/ip4/127.0.0.1/tcp/{port}", "--api", "127.0.0.1:0", "--gateway", "127.0.0.1:0"))
            .AssertOneLineError($"cannot listen on /ip4/127.0.0.1/tcp/{port}");
        (await _cli.RunAsync("daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", $"127.0.0.1:{port}", "--gateway", "127.0.0.1:0"))
            .AssertOneLineError($"cannot start the admin API on 127.0.0.1:{port}");
        (await _cli.RunAsync("daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0", "--gateway", $"127.0.0.1:{port}"))
            .AssertOneLineError($"cannot start the gateway on 127.0.0.1:{port}");
        (await _cli.RunAsync("daemon", "--api", "0.0.0.0:0"))
            .AssertOneLineError("the admin API listens on a loopback address only");
        (await _cli.RunAsync("daemon", "--api", "nowhere"))
            .AssertOneLineError("is not HOST:PORT");
        (await _cli.RunAsync("daemon", "--listen", "/dns4/example.com/tcp/1"))
            .AssertOneLineError("expected /ip4/ADDRESS/tcp/PORT");

        Assert.False(File.Exists(ApiFile.PathIn(_cli.RepoPath)));
        // Nothing was left holding the lock either.
        await using var daemon = await InProcessDaemon.StartAsync(_cli);
    }

    [Fact]
    public async Task The_daemon_listens_where_the_config_says_when_no_flags_are_given()
    {
        await _cli.InitAsync();
        var configPath = Path.Combine(_cli.RepoPath, OverlayRepo.ConfigFileName);
        var free = FreePorts(3);
        var config = File.ReadAllText(configPath)
            .Replace("/ip4/0.0.0.0/tcp/7778", $"/ip4/127.0.0.1/tcp/{free[0]}", StringComparison.Ordinal)
            .Replace("/ip4/127.0.0.1/tcp/7779", $"/ip4/127.0.0.1/tcp/{free[1]}", StringComparison.Ordinal)
            .Replace("/ip4/127.0.0.1/tcp/7777", $"/ip4/127.0.0.1/tcp/{free[2]}", StringComparison.Ordinal);
        File.WriteAllText(configPath, config);

        await using var daemon = await InProcessDaemon.StartAsync(_cli, []);

        Assert.Equal(free[0], daemon.SwarmAddress.ToTcpEndPoint()!.Port);
        Assert.Equal($"/ip4/127.0.0.1/tcp/{free[1]}", daemon.ApiFileText());
        Assert.Equal(free[2], daemon.GatewayEndPoint.Port);
    }

    [Fact]
    public async Task Listen_is_repeatable_and_an_unspecified_address_shows_as_this_machines_addresses()
    {
        await _cli.InitAsync();
        await using var daemon = await InProcessDaemon.StartAsync(_cli, ["--listen", "/ip4/0.0.0.0/tcp/0", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0", "--gateway", "127.0.0.1:0"]);

        var swarm = daemon.Output.Split('\n').Where(l => l.StartsWith("Swarm listening on ", StringComparison.Ordinal)).Select(l => l["Swarm listening on ".Length..]).ToArray();
        Assert.DoesNotContain(swarm, a => a.Contains("0.0.0.0", StringComparison.Ordinal));
        Assert.All(swarm, a => Assert.EndsWith($"/p2p/{daemon.PeerId}", a, StringComparison.Ordinal));
        // The loopback address of the 0.0.0.0 listener, and the second listener on its own port.
        var loopbackPorts = swarm.Where(a => a.StartsWith("/ip4/127.0.0.1/tcp/", StringComparison.Ordinal)).Select(a => a.Split('/')[4]).Distinct().ToArray();
        Assert.Equal(2, loopbackPorts.Length);
        var id = (await _cli.RunAsync("id", "-f", "<addrs>")).AssertSuccess();
        Assert.Equal(swarm, id.Text.Split('\n'));
    }

    [Fact]
    public async Task A_ping_in_progress_does_not_hold_up_shutdown_and_fails_in_one_line()
    {
        using var other = new CliHarness();
        await other.InitAsync();
        await _cli.InitAsync();
        await using var target = await InProcessDaemon.StartAsync(other);
        await using var daemon = await InProcessDaemon.StartAsync(_cli);
        var ping = _cli.RunAsync("ping", "-n", "1000", target.SwarmAddress.ToString());
        // Two pings a second apart have gone out by then.
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, await daemon.StopAsync());
        // Kestrel would wait 5 s for a request that ignored the stop.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(4), $"stopping took {stopping.Elapsed}");

        var run = await ping.WaitAsync(InProcessDaemon.Timeout);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Pong received: time=", run.Text, StringComparison.Ordinal);
        Assert.Matches("^Error: the daemon stopped answering after [0-9]+ of 1000 pings\n$", run.Error);
    }

    /// <summary>Ports the OS just handed out and took back; free unless another process grabs one in between.</summary>
    internal static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var listener in listeners)
        {
            listener.Start();
        }
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners)
        {
            listener.Stop();
        }
        return ports;
    }
}
