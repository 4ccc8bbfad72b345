using System.Globalization;
using Overlay.Bench.P2p;

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

    private readonly ServerProcess _server;
    private readonly string _repo;

    private JsGateway(ServerProcess server, string repo)
    {
        _server = server;
        _repo = repo;
        var announcement = server.Announcement;
        Url = $"http://127.0.0.1:{announcement.GetProperty("port").GetInt32().ToString(CultureInfo.InvariantCulture)}";
        Cids = announcement.GetProperty("cids").EnumerateArray().Select(c => c.GetString() ?? throw new InvalidOperationException("null CID")).ToArray();
    }

    /// <summary>http://127.0.0.1:PORT of the HTTP server.</summary>
    public string Url { get; }

    /// <summary>The libp2p address with /p2p/, for another gateway's <c>--dial</c>.</summary>
    public string Address => _server.Address;

    /// <summary>The CIDs of the files given to <see cref="StartAsync"/>, in their order.</summary>
    public IReadOnlyList<string> Cids { get; }

    public static async Task<JsGateway> StartAsync(BenchContext context, string repo, string? dial, IReadOnlyList<string> files)
    {
        string[] args = [Path.Combine(context.JsDir, "bench-gateway.mjs"), repo, .. dial is null ? [] : new[] { "--dial", dial }, .. files];
        var server = await ServerProcess.StartAsync(context.Node, args);
        var gateway = new JsGateway(server, repo);
        if (gateway.Cids.Count != files.Count)
        {
            await gateway.DisposeAsync();
            throw new InvalidOperationException($"bench-gateway.mjs added {gateway.Cids.Count} of {files.Count} files");
        }
        return gateway;
    }

    /// <summary>Peak resident memory of the node process since the last <see cref="ResetPeakRss"/> (VmHWM, MiB).</summary>
    public double PeakRssMiB()
    {
        var line = File.ReadLines($"/proc/{_server.ProcessId}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Resets VmHWM to the current RSS, as the daemon's is reset, so the next peak is one operation's.</summary>
    public void ResetPeakRss() => File.WriteAllText($"/proc/{_server.ProcessId}/clear_refs", "5");

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        if (Directory.Exists(_repo))
        {
            Directory.Delete(_repo, recursive: true);
        }
    }
}
