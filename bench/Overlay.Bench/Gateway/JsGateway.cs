using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Overlay.Bench.Gateway;

/// <summary>
/// The Helia side of the gateway scenarios: tests/js/bench-gateway.mjs as a child process (a
/// Helia 7 node with bitswap and blockstore-fs in its own folder, and a node:http server that
/// streams @helia/verified-fetch's answers to GET /ipfs/…). It adds the given files before it
/// announces itself, optionally dials another such gateway (the one-hop case), and stops when
/// its standard input closes. Peak RSS is read from /proc for the node process itself.
/// </summary>
internal sealed class JsGateway : IAsyncDisposable
{
    public const string PeerName = "Helia 7 + @helia/verified-fetch 8.0.4 behind node:http, blockstore-fs";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly string _repo;

    private JsGateway(Process process, string repo, string url, string address, IReadOnlyList<string> cids)
    {
        _process = process;
        _repo = repo;
        Url = url;
        Address = address;
        Cids = cids;
    }

    /// <summary>http://127.0.0.1:PORT of the HTTP server.</summary>
    public string Url { get; }

    /// <summary>The libp2p address with /p2p/, for another gateway's <c>--dial</c>.</summary>
    public string Address { get; }

    /// <summary>The CIDs of the files given to <see cref="StartAsync"/>, in their order.</summary>
    public IReadOnlyList<string> Cids { get; }

    public static async Task<JsGateway> StartAsync(BenchContext context, string repo, string? dial, IReadOnlyList<string> files)
    {
        var start = new ProcessStartInfo(context.Node)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = context.JsDir,
        };
        start.ArgumentList.Add(Path.Combine(context.JsDir, "bench-gateway.mjs"));
        start.ArgumentList.Add(repo);
        if (dial is not null)
        {
            start.ArgumentList.Add("--dial");
            start.ArgumentList.Add(dial);
        }
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node bench-gateway.mjs");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        string? line;
        using (var timeout = new CancellationTokenSource(StartTimeout))
        {
            try
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                line = null;
            }
        }
        if (line is null)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (stderr)
            {
                throw new InvalidOperationException($"bench-gateway.mjs did not announce itself (exit {process.ExitCode}): {stderr}");
            }
        }
        // Keeps reading so the script never blocks on a full pipe.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        using var json = JsonDocument.Parse(line);
        var r = json.RootElement;
        var cids = r.GetProperty("cids").EnumerateArray().Select(c => c.GetString() ?? throw new InvalidOperationException("null CID")).ToArray();
        if (cids.Length != files.Count)
        {
            throw new InvalidOperationException($"bench-gateway.mjs added {cids.Length} of {files.Count} files");
        }
        var port = r.GetProperty("port").GetInt32();
        return new JsGateway(process, repo, $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", r.GetProperty("addr").GetString()!, cids);
    }

    /// <summary>Peak resident memory of the node process since the last <see cref="ResetPeakRss"/> (VmHWM, MiB).</summary>
    public double PeakRssMiB()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Resets VmHWM to the current RSS, as the daemon's is reset, so the next peak is one operation's.</summary>
    public void ResetPeakRss() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using (var timeout = new CancellationTokenSource(StopTimeout))
        {
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        if (Directory.Exists(_repo))
        {
            Directory.Delete(_repo, recursive: true);
        }
    }
}
