using System.Diagnostics;
using System.Globalization;

namespace Overlay.Bench.Bitswap;

/// <summary>
/// A real <c>overlay daemon</c> (the built CLI apphost) in its own fresh repo, every address on
/// 127.0.0.1 with a port the kernel picks, driven through the CLI as a user would
/// (<c>overlay … --repo</c> finds it through the repo's api file). CPU time and peak RSS are
/// read from /proc for the daemon process itself.
/// </summary>
internal sealed class DaemonUnderTest : IAsyncDisposable
{
    private const string ReadyLine = "Daemon is ready";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _cli;

    private DaemonUnderTest(Process process, string cli, string repo, string address, string? gateway)
    {
        _process = process;
        _cli = cli;
        Repo = repo;
        Address = address;
        Gateway = gateway;
    }

    /// <summary>The gateway's base URL (http://127.0.0.1:PORT) from the "Gateway server listening on" line.</summary>
    public string? Gateway { get; }

    public string Repo { get; }

    /// <summary>The first swarm address, with /p2p/ (as the daemon prints it), for <c>swarm connect</c>.</summary>
    public string Address { get; }

    public static async Task<DaemonUnderTest> StartAsync(string cli, string repo)
    {
        await ProcessRunner.RunAsync(cli, ["init", "--repo", repo]);
        var start = new ProcessStartInfo(cli)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["daemon", "--repo", repo, "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0", "--gateway", "127.0.0.1:0"])
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {cli} daemon");
        // Drained so a chatty log cannot block the daemon on a full pipe.
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        string? peerId = null;
        string? swarm = null;
        string? gateway = null;
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line && line != ReadyLine)
            {
                if (line.StartsWith("Peer ID: ", StringComparison.Ordinal))
                {
                    peerId = line["Peer ID: ".Length..];
                }
                else if (line.StartsWith("Swarm listening on ", StringComparison.Ordinal))
                {
                    swarm ??= line["Swarm listening on ".Length..];
                }
                else if (line.StartsWith("Gateway server listening on /ip4/", StringComparison.Ordinal))
                {
                    var parts = line["Gateway server listening on /ip4/".Length..].Split('/');
                    gateway = $"http://{parts[0]}:{parts[2]}";
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        if (peerId is null || swarm is null)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new InvalidOperationException($"overlay daemon --repo {repo} did not become ready");
        }
        // Keeps reading so the daemon never blocks writing to stdout.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        return new DaemonUnderTest(process, cli, repo, swarm.Contains("/p2p/", StringComparison.Ordinal) ? swarm : $"{swarm}/p2p/{peerId}", gateway);
    }

    /// <summary>Runs <c>overlay ARGS --repo REPO</c> (through this daemon) to completion; its stdout.</summary>
    public async Task<string> RunAsync(params string[] args) =>
        (await ProcessRunner.RunAsync(_cli, [.. args, "--repo", Repo])).Stdout.Trim();

    /// <summary><c>overlay cat CID &gt; /dev/null</c>, as a user runs it (the CLI process included in the time).</summary>
    public Task CatToNullAsync(string cid) =>
        ProcessRunner.RunAsync("/bin/sh", ["-c", "exec \"$0\" cat --repo \"$1\" \"$2\" > /dev/null", _cli, Repo, cid]);

    /// <summary>User + system CPU seconds the daemon has used so far (/proc/PID/stat, clock ticks of 1/100 s).</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Peak resident memory since the last <see cref="ResetPeakRss"/> (VmHWM, MiB).</summary>
    public double PeakRssMiB()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Resets VmHWM to the current RSS (writing 5 to /proc/PID/clear_refs), so the next peak is one operation's.</summary>
    public void ResetPeakRss() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("shutdown");
            await _process.WaitForExitAsync().WaitAsync(StopTimeout);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (Directory.Exists(Repo))
        {
            Directory.Delete(Repo, recursive: true);
        }
    }
}
