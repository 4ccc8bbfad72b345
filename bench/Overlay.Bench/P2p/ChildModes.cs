namespace Overlay.Bench.P2p;

/// <summary>
/// The modes in which the bench binary runs as a child of itself: the libp2p scenarios need two
/// processes, and both are this program.
/// </summary>
internal static class ChildModes
{
    public static bool IsChild(string[] args) => args is ["--serve", ..] or ["--tcp-sink", ..] or ["--client", ..]
        or ["--bitswap-serve", ..] or ["--bitswap-fetch", ..] or ["--bitswap-read", ..] or ["--gossipsub", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        using var allocations = AllocationSampler.StartIfRequested();
        return await RunModeAsync(args);
    }

    private static async Task<int> RunModeAsync(string[] args) => args switch
    {
        ["--serve"] => await P2pServer.RunAsync(),
        ["--tcp-sink"] => await TcpReference.ServeAsync(),
        ["--bitswap-serve", var store, var bytes] => await Bitswap.BitswapPeer.ServeAsync(store, long.Parse(bytes, System.Globalization.CultureInfo.InvariantCulture)),
        ["--bitswap-fetch", var store, var address, var root, var warmup] => await Bitswap.BitswapPeer.FetchAsync(store, address, root, warmup),
        ["--bitswap-read", var store, var address, var root, var warmup, var prefetch] => await Bitswap.BitswapReadPeer.ReadAsync(store, address, root, warmup, Int(prefetch)),
        ["--gossipsub", var nodes, var messages, var size, var rate] => await PubSub.GossipsubMesh.RunAsync(Int(nodes), Int(messages), Int(size), double.Parse(rate, System.Globalization.CultureInfo.InvariantCulture)),
        ["--client", "tcp", .. var rest] => TcpReference.RunClient(rest),
        ["--client", .. var rest] => await P2pClient.RunAsync(rest),
        _ => throw new ArgumentException($"unknown child mode: {string.Join(' ', args)}"),
    };

    private static int Int(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How to start this program again: the apphost, or `dotnet Overlay.Bench.dll`.</summary>
    public static (string FileName, string[] Prefix) SelfCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [typeof(ChildModes).Assembly.Location])
            : (process, []);
    }
}
