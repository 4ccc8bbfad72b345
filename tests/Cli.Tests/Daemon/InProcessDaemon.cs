using System.Net;
using System.Text.RegularExpressions;
using Overlay.Addressing;
using Overlay.Repo;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// <c>overlay daemon</c> run in-process on the harness's repo, on loopback with ports chosen by
/// the OS, until the test stops it (the cancellation a signal would cause).
/// </summary>
internal sealed partial class InProcessDaemon : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static readonly string[] EphemeralPorts = ["--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0", "--gateway", "127.0.0.1:0"];

    private readonly CancellationTokenSource _stop = new();
    private readonly CapturedOutput _output = new();
    private readonly StringWriter _errorText = new() { NewLine = "\n" };
    private readonly TextWriter _error;

    private InProcessDaemon(CliHarness cli, string[] args)
    {
        Cli = cli;
        _error = TextWriter.Synchronized(_errorText);
        var app = cli.CreateApp(new CliConsole(new MemoryStream(), _output, _error));
        Exit = Task.Run(() => app.RunAsync([.. args, "--repo", cli.RepoPath], _stop.Token));
    }

    public CliHarness Cli { get; }

    public Task<int> Exit { get; }

    public string Output => _output.Text;

    public string Error
    {
        get
        {
            // The synchronized writer locks on itself for every write.
            lock (_error)
            {
                return _errorText.ToString();
            }
        }
    }

    public string PeerId => Match(PeerIdLine()).Groups[1].Value;

    /// <summary>The first "Swarm listening on" address, with /p2p/.</summary>
    public Multiaddr SwarmAddress => Multiaddr.Parse(Match(SwarmLine()).Groups[1].Value);

    public Multiaddr ApiAddress => Multiaddr.Parse(Match(ApiLine()).Groups[1].Value);

    public IPEndPoint ApiEndPoint => ApiAddress.ToTcpEndPoint()!;

    public IPEndPoint GatewayEndPoint => Multiaddr.Parse(Match(GatewayLine()).Groups[1].Value).ToTcpEndPoint()!;

    /// <summary>Starts a daemon with <paramref name="args"/> (null: loopback, OS-chosen ports) and waits for "Daemon is ready".</summary>
    public static async Task<InProcessDaemon> StartAsync(CliHarness cli, string[]? args = null)
    {
        var daemon = new InProcessDaemon(cli, ["daemon", .. args ?? EphemeralPorts]);
        var deadline = DateTime.UtcNow + Timeout;
        while (!daemon.Output.Contains("Daemon is ready\n", StringComparison.Ordinal))
        {
            if (daemon.Exit.IsCompleted)
            {
                throw new InvalidOperationException($"the daemon exited with {await daemon.Exit} before it was ready; stdout:\n{daemon.Output}\nstderr:\n{daemon.Error}");
            }
            if (DateTime.UtcNow > deadline)
            {
                await daemon.DisposeAsync();
                throw new TimeoutException($"the daemon was not ready within {Timeout}; stdout:\n{daemon.Output}\nstderr:\n{daemon.Error}");
            }
            await Task.Delay(20);
        }
        return daemon;
    }

    /// <summary>Requests the stop a signal would, and returns the exit code once everything has shut down.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await Exit.WaitAsync(Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Exit.IsCompleted)
        {
            await StopAsync();
        }
        _stop.Dispose();
    }

    public string ApiFileText() => File.ReadAllText(ApiFile.PathIn(Cli.RepoPath));

    private Match Match(Regex pattern)
    {
        var match = pattern.Match(Output);
        Assert.True(match.Success, $"no line matching {pattern} in:\n{Output}");
        return match;
    }

    [GeneratedRegex(@"^Peer ID: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex PeerIdLine();

    [GeneratedRegex(@"^Swarm listening on (\S+)$", RegexOptions.Multiline)]
    private static partial Regex SwarmLine();

    [GeneratedRegex(@"^RPC API server listening on (\S+)$", RegexOptions.Multiline)]
    private static partial Regex ApiLine();

    [GeneratedRegex(@"^Gateway server listening on (\S+)$", RegexOptions.Multiline)]
    private static partial Regex GatewayLine();
}
