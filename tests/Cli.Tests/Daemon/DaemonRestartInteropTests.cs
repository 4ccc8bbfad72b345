using Overlay.Repo;
using Overlay.Tests.Shared;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// Issue 3's "a js node reconnects after our daemon restarts": our daemon as a real process on a
/// fixed port, a real js-libp2p node dialing it; the daemon is stopped (SIGTERM, then SIGKILL),
/// started again on the same port and repo, and the js node reaches the same peer ID again.
/// </summary>
public sealed class DaemonRestartInteropTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task A_js_node_reconnects_to_the_same_peer_after_the_daemon_restarts_from_SIGTERM_and_from_SIGKILL()
    {
        await _cli.InitAsync();
        var peerId = (await _cli.RunAsync("id", "-f", "<id>")).AssertSuccess().Text;
        var port = DaemonTests.FreePorts(1)[0];
        string[] args = ["--listen", $"/ip4/127.0.0.1/tcp/{port}", "--api", "127.0.0.1:0", "--gateway", "127.0.0.1:0"];
        var address = $"/ip4/127.0.0.1/tcp/{port}/p2p/{peerId}";

        await using var js = JsProcess.Start("libp2p-peer.mjs");
        var ready = await js.WaitForEventAsync(e => (string?)e["event"] == "ready", Timeout);
        var jsPeer = (string)ready["peerId"]!;

        var daemon = await DaemonProcess.StartAsync(_cli.RepoPath, args, Timeout);
        try
        {
            Assert.Contains($"Swarm listening on {address}\n", daemon.Output, StringComparison.Ordinal);
            await JsReachesUsAsync(js, address, peerId, jsPeer);

            // A clean stop: exit code 0, the api file removed, the js node sees the connection end.
            await daemon.TerminateAsync(Timeout);
            Assert.True(daemon.ExitCode == 0, $"exit code {daemon.ExitCode}; stderr:\n{daemon.Error}");
            Assert.EndsWith("Received interrupt signal, shutting down...\n", daemon.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(ApiFile.PathIn(_cli.RepoPath)));
            await js.WaitForEventAsync(e => (string?)e["event"] == "disconnect" && (string?)e["peer"] == peerId, Timeout);
            await daemon.DisposeAsync();

            daemon = await DaemonProcess.StartAsync(_cli.RepoPath, args, Timeout);
            await JsReachesUsAsync(js, address, peerId, jsPeer);

            // A crash: nothing cleaned up, the api file is stale, and the repo lock must not be.
            await daemon.KillAsync(Timeout);
            Assert.True(File.Exists(ApiFile.PathIn(_cli.RepoPath)));
            (await _cli.RunAsync("swarm", "peers")).AssertOneLineError("no daemon running: start `overlay daemon`");
            await js.WaitForEventAsync(e => (string?)e["event"] == "disconnect" && (string?)e["peer"] == peerId, Timeout);
            await daemon.DisposeAsync();

            daemon = await DaemonProcess.StartAsync(_cli.RepoPath, args, Timeout);
            await JsReachesUsAsync(js, address, peerId, jsPeer);
        }
        finally
        {
            await daemon.DisposeAsync();
        }
    }

    /// <summary>js dials our fixed address and gets our peer ID; pings go both ways; our daemon lists js.</summary>
    private async Task JsReachesUsAsync(JsProcess js, string address, string peerId, string jsPeer)
    {
        var dialed = await js.CommandAsync("dial", new { addr = address }, Timeout);
        Assert.Equal(peerId, (string?)dialed["peer"]);
        var rtt = await js.CommandAsync("ping", new { addr = peerId }, Timeout);
        Assert.True((double)rtt["rttMs"]! >= 0);

        var ping = (await _cli.RunAsync("ping", "-n", "1", jsPeer)).AssertSuccess();
        Assert.StartsWith("Pong received: time=", ping.Lines[1], StringComparison.Ordinal);
        Assert.Contains($"/p2p/{jsPeer}", (await _cli.RunAsync("swarm", "peers")).AssertSuccess().Text, StringComparison.Ordinal);
    }
}
